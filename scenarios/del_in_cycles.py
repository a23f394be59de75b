"""Objects with __del__ in reference cycles

Since Python 3.4 (PEP 442) cycles whose objects define __del__ are collectable: the collector
calls each finalizer exactly once, then frees the cycle. A finalizer that stores `self`
somewhere resurrects the object; when it becomes garbage again, __del__ is not called twice.
"""
import gc

closed = []
graveyard = []


class Connection:
    def __init__(self, name):
        self.name = name
        self.peer = None

    def __del__(self):
        # Runs once per object, when the collector finds the cycle unreachable.
        closed.append(self.name)


class Phoenix:
    def __init__(self, n):
        self.n = n
        self.partner = None

    def __del__(self):
        graveyard.append(self)  # resurrection: the object is reachable again


for i in range(300):
    a = Connection("a%d" % i)
    b = Connection("b%d" % i)
    a.peer = b
    b.peer = a
a = b = None
print("collected:", gc.collect(), "finalizers run:", len(closed))

for i in range(50):
    p = Phoenix(i)
    q = Phoenix(i + 1000)
    p.partner = q
    q.partner = p
p = q = None
print("resurrecting collect returned:", gc.collect(), "resurrected:", len(graveyard))
del graveyard[:]
print("second collect returned:", gc.collect(), "(no second __del__ call)")
