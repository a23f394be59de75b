"""Event objects with kwargs, dataclass-like __repr__, f-strings, try/finally, dict comprehension and min/max."""
import gc

class Event:
    __slots__ = ("kind", "data", "ts")
    def __init__(self, kind, ts, **data):
        self.kind = kind
        self.ts = ts
        self.data = data
    def __repr__(self):
        return f"Event({self.kind!r}, ts={self.ts})"

class Recorder:
    def __init__(self):
        self.events = []
        self.by_kind = {}
    def record(self, ev):
        self.events.append(ev)
        self.by_kind.setdefault(ev.kind, []).append(ev.ts)
        if len(self.events) > 200:
            self.events = self.events[-100:]

rec = Recorder()
reprs = 0
for i in range(5000):
    ev = Event(("click", "view", "buy")[i % 3], i, user=i % 13, page=f"/p/{i % 17}")
    try:
        rec.record(ev)
        reprs += len(repr(ev))
    finally:
        ev = None
stats = {k: (min(v), max(v), len(v)) for k, v in rec.by_kind.items()}
RESULT = {"stats": sorted(stats.items()), "reprs": reprs, "events": len(rec.events), "collect": gc.collect()}
