"""Slots nodes in rings, dict registries holding tuples, explicit mid-level collections."""
import gc


class Ring:
    __slots__ = ("nxt", "payload", "__weakref__")

    def __init__(self, payload):
        self.nxt = None
        self.payload = payload


def make_ring(n, tag):
    first = Ring((tag, 0))
    cur = first
    for i in range(1, n):
        node = Ring((tag, i))
        cur.nxt = node
        cur = node
    cur.nxt = first
    return first


registry = {}
kept = []
results = []
for round_no in range(30):
    for k in range(20):
        r = make_ring(7, k)
        if k % 5 == 0:
            kept.append(r)
    registry[round_no] = tuple(range(round_no % 4))
    if round_no % 10 == 9:
        results.append(gc.collect(1))

del kept[::2]
results.append(gc.collect())
RESULT = {"collects": results, "kept": len(kept), "registry": len(registry)}
