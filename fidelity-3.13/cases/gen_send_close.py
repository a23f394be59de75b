"""Coroutine-style generators with send(), close(), try/finally inside generators, and abandoned generators in cycles."""
import gc

log = []

def averager():
    total = 0.0
    n = 0
    avg = None
    try:
        while True:
            x = yield avg
            total += x
            n += 1
            avg = total / n
    finally:
        log.append(n)

class Holder:
    def __init__(self):
        self.gen = averager()
        next(self.gen)
        self.me = self

results = []
for i in range(1500):
    g = averager()
    next(g)
    for v in range(i % 6 + 1):
        last = g.send(v)
    g.close()
    results.append(last)
    if i % 10 == 0:
        h = Holder()
        h.gen.send(i)
        h = None
RESULT = {"last": results[-1], "closed": len(log), "collect": gc.collect(), "after": len(log)}
