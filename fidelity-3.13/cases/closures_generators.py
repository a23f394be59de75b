"""Closures, generators and caught exceptions in a loop; comprehension churn."""
import gc


def counter():
    count = 0

    def inc(step=1):
        nonlocal count
        count += step
        return count

    return inc


def evens(n):
    for i in range(n):
        if i % 2 == 0:
            yield i


def risky(i):
    if i % 3 == 0:
        raise ValueError("bad %d" % i)
    return i * 2


total = 0
errors = 0
fns = []
for i in range(4000):
    c = counter()
    c()
    c(2)
    if i % 100 == 0:
        fns.append(c)
    total += sum(evens(10))
    squares = [x * x for x in range(5)]
    lookup = {str(x): x for x in range(3)}
    try:
        total += risky(i)
    except ValueError as e:
        errors += 1

RESULT = {
    "total": total,
    "errors": errors,
    "fns": len(fns),
    "collect": gc.collect(),
    "count": list(gc.get_count()),
}
