"""Unbounded cache that leaks vs a bounded LRU

A memoizing cache that never evicts keeps every result alive: memory only grows and the
survivors are promoted to generation 2. A bounded LRU (here a dict used in insertion order,
evicting the oldest key) keeps the heap flat. Watch live bytes and the generation sizes.
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
for i in range(LOOKUPS):
    lookup_unbounded((i * 31) % 10000)
leak_bytes = tracemalloc.get_traced_memory()[0]
print(f"unbounded cache: {len(unbounded)} entries, {leak_bytes / 1024:.0f} KiB traced")

unbounded.clear()
gc.collect()
tracemalloc.reset_peak()
start = tracemalloc.get_traced_memory()[0]
lru = LRUCache(500)
for i in range(LOOKUPS):
    lru.get((i * 31) % 10000)
lru_bytes = tracemalloc.get_traced_memory()[0] - start
print(f"bounded LRU:     {len(lru.data)} entries, {lru_bytes / 1024:.0f} KiB traced")
print("generation sizes:", [len(gc.get_objects(g)) for g in range(3)])
