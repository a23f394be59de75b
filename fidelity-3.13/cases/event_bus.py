"""Event bus: closures as subscribers, lambdas, sorted with key, set operations, generator pipeline."""
import gc

class Bus:
    def __init__(self):
        self.subs = {}
    def on(self, topic, fn):
        self.subs.setdefault(topic, []).append(fn)
    def emit(self, topic, payload):
        return [fn(payload) for fn in self.subs.get(topic, ())]

def make_counter(name):
    total = [0]
    def handler(p):
        total[0] += p["n"]
        return (name, total[0])
    return handler

def evens(xs):
    for x in xs:
        if x % 2 == 0:
            yield x

def squares(xs):
    for x in xs:
        yield x * x

bus = Bus()
for n in ("a", "b", "c"):
    bus.on("tick", make_counter(n))
bus.on("tick", lambda p: ("lam", p["n"]))
seen = set()
acc = 0
for i in range(4000):
    out = bus.emit("tick", {"n": i, "src": "loop"})
    seen |= {name for name, _ in out}
    acc += sum(squares(evens(range(i % 10))))
    ranked = sorted(out, key=lambda t: t[1], reverse=True)
    if i % 500 == 0:
        bus.on("tick", make_counter(f"late{i}"))
RESULT = {"seen": sorted(seen), "acc": acc, "subs": len(bus.subs["tick"]), "collect": gc.collect()}
