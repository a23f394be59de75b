"""A monthly sales report with itertools and operator: product/accumulate/groupby/tee/zip_longest/pairwise/starmap, itemgetter and attrgetter sort keys, functools.reduce, and per-region rollups that keep references to their rows."""
import functools
import gc
import itertools
import operator


class Sale:
    __slots__ = ("region", "rep", "month", "amount", "rollup")

    def __init__(self, region, rep, month, amount):
        self.region = region
        self.rep = rep
        self.month = month
        self.amount = amount
        self.rollup = None


class Rollup:
    def __init__(self, key):
        self.key = key
        self.rows = []
        self.total = 0


regions = ["north", "south", "east", "west"]
reps = ["ann", "bob", "cy"]
months = list(range(1, 13))
reports = []
for year in range(6):
    sales = [Sale(r, p, m, (year * 31 + m * 17 + len(r) * 7 + len(p)) % 200)
             for r, p, m in itertools.product(regions, reps, months)]
    sales.sort(key=operator.attrgetter("region", "month"))
    rollups = {}
    for key, group in itertools.groupby(sales, key=operator.attrgetter("region")):
        ru = rollups[key] = Rollup(key)
        for s in group:
            s.rollup = ru
            ru.rows.append(s)
            ru.total += s.amount
    running = list(itertools.accumulate(s.amount for s in rollups["north"].rows))
    best = max(rollups.values(), key=operator.attrgetter("total"))
    reports.append([best.key, best.total, running[-1]])
    del sales, rollups, ru, s, best
    if year % 2 == 1:
        gc.collect(0)

pairs = [(3, 4), (5, 6), (7, 8)]
a, b = itertools.tee(range(5))
next(b)
steps = [y - x for x, y in zip(a, b)]
rows = [("x", 3), ("y", 1), ("z", 2)]
RESULT = {
    "reports": reports,
    "product": functools.reduce(operator.mul, range(1, 11)),
    "starmap": list(itertools.starmap(operator.mul, pairs)),
    "steps": steps,
    "pairwise": [list(p) for p in itertools.pairwise("abcd")],
    "zip_longest": [list(z) for z in itertools.zip_longest([1, 2, 3], "ab", fillvalue="-")],
    "by_second": [r[0] for r in sorted(rows, key=operator.itemgetter(1))],
    "compress": list(itertools.compress("abcdef", [1, 0, 1, 0, 1, 1])),
    "combos": len(list(itertools.combinations(range(8), 3))),
    "repeat_cycle": list(itertools.islice(itertools.cycle("ab"), 5)),
    "methodcaller": operator.methodcaller("split", ",")("a,b,c"),
    "collect": gc.collect(),
    "count_end": list(gc.get_count()),
}
