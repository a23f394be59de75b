"""Weak references with callbacks to objects in cycles, and __del__ that counts."""
import gc
import weakref

deleted = []
called = []


class Res:
    def __init__(self, name):
        self.name = name
        self.peer = None

    def __del__(self):
        deleted.append(self.name)


def cb(ref):
    called.append(1)


refs = []
for i in range(300):
    a = Res("a%d" % i)
    b = Res("b%d" % i)
    a.peer = b
    b.peer = a
    refs.append(weakref.ref(a, cb))
    if i % 2 == 0:
        a.peer = None

alive_before = sum(1 for r in refs if r() is not None)
n = gc.collect()
alive_after = sum(1 for r in refs if r() is not None)
RESULT = {
    "alive_before": alive_before,
    "alive_after": alive_after,
    "collected": n,
    "deleted": len(deleted),
    "callbacks": len(called),
}
