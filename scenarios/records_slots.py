"""Records: __dict__ instances vs __slots__

Twenty thousand small records stored twice: as plain instances (attributes in a per-instance
values array, and a real dict once `vars()` or `__dict__` is touched) and as `__slots__`
instances (fixed slots, no dict at all). sys.getsizeof and tracemalloc show the savings.
"""
import sys
import tracemalloc


class PointDict:
    def __init__(self, x, y, label):
        self.x = x
        self.y = y
        self.label = label


class PointSlots:
    __slots__ = ("x", "y", "label")

    def __init__(self, x, y, label):
        self.x = x
        self.y = y
        self.label = label


def build(cls, n):
    return [cls(i, i * 2, "p%d" % i) for i in range(n)]


N = 20000
tracemalloc.start()
before = tracemalloc.get_traced_memory()[0]
with_dict = build(PointDict, N)
dict_bytes = tracemalloc.get_traced_memory()[0] - before

before = tracemalloc.get_traced_memory()[0]
with_slots = build(PointSlots, N)
slots_bytes = tracemalloc.get_traced_memory()[0] - before

# Touching __dict__ materializes a real dict object for that instance (and keeps it).
before = tracemalloc.get_traced_memory()[0]
for p in with_dict[:1000]:
    vars(p)
materialized = tracemalloc.get_traced_memory()[0] - before
tracemalloc.stop()

print("getsizeof instance:", sys.getsizeof(with_dict[0]), "vs slots:", sys.getsizeof(with_slots[0]))
print(f"__dict__ records:  {dict_bytes / N:.0f} B each")
print(f"__slots__ records: {slots_bytes / N:.0f} B each")
print(f"vars() on 1000 records added {materialized / 1024:.0f} KiB of dicts")
