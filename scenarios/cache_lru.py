"""Unbounded cache that leaks vs a bounded LRU

A bounded LRU (a dict used in insertion order, evicting the oldest key) keeps the heap flat;
then a memoizing cache that never evicts keeps every result alive: memory only grows and
the survivors are promoted to generation 2. The script takes a tracemalloc snapshot as the
cache grows: compare the first and the last, and the cache's line tops the list and the
leak suspects.
"""
import gc
import tracemalloc

unbounded = {}


def lookup_unbounded(key):
    value = unbounded.get(key)
    if value is None:
        value = [key, key * 2, "item-%d" % key]
        unbounded[key] = value
    return value


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = {}

    def get(self, key):
        value = self.data.pop(key, None)
        if value is None:
            value = [key, key * 2, "item-%d" % key]
            if len(self.data) >= self.capacity:
                oldest = next(iter(self.data))
                del self.data[oldest]
        self.data[key] = value
        return value


LOOKUPS = 12000
tracemalloc.start()
lru = LRUCache(500)
for i in range(LOOKUPS):
    lru.get((i * 31) % 10000)
lru_bytes = tracemalloc.get_traced_memory()[0]
print(f"bounded LRU:     {len(lru.data)} entries, {lru_bytes / 1024:.0f} KiB traced")

gc.collect()
start = tracemalloc.get_traced_memory()[0]
for i in range(LOOKUPS):
    lookup_unbounded((i * 31) % 10000)
    if i % 3000 == 0:
        # Recorded by PyGC Lab; not kept here: a Snapshot holds a tuple per trace, and
        # keeping one would itself look like a leak.
        tracemalloc.take_snapshot()
leak_bytes = tracemalloc.get_traced_memory()[0] - start
print(f"unbounded cache: {len(unbounded)} entries, {leak_bytes / 1024:.0f} KiB more traced, never freed")
print("generation sizes:", [len(gc.get_objects(g)) for g in range(3)])
