"""A memoizing cache that never evicts: every batch of lookups adds entries that stay alive."""
import tracemalloc

cache = {}


def lookup(key):
    value = cache.get(key)
    if value is None:
        value = [key, key * 2, "item-%d" % key]
        cache[key] = value
    return value


tracemalloc.start()
for batch in range(5):
    for i in range(batch * 1500, (batch + 1) * 1500):
        lookup(i)
    tracemalloc.take_snapshot()
print("entries:", len(cache))
