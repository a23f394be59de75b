"""Telemetry events as __slots__ classes with inheritance (a __weakref__ slot, a __dict__ slot in one subclass), sizes and tracking of each, and a ring buffer whose events point back at their stream."""
import gc
import sys
import weakref


class Event:
    __slots__ = ("ts", "stream")

    def __init__(self, ts, stream):
        self.ts = ts
        self.stream = stream


class Metric(Event):
    __slots__ = ("name", "value")

    def __init__(self, ts, stream, name, value):
        super().__init__(ts, stream)
        self.name = name
        self.value = value


class Span(Event):
    __slots__ = ("parent", "children", "__weakref__")

    def __init__(self, ts, stream, parent=None):
        Event.__init__(self, ts, stream)
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)


class TaggedMetric(Metric):
    __slots__ = ("__dict__",)


class Flat:
    __slots__ = ("a", "b")


class Stream:
    def __init__(self, name, size):
        self.name = name
        self.size = size
        self.ring = [None] * size
        self.pos = 0
        self.dropped = 0

    def push(self, ev):
        if self.ring[self.pos] is not None:
            self.dropped += 1
        self.ring[self.pos] = ev
        self.pos = (self.pos + 1) % self.size


streams = [Stream("s%d" % k, 64) for k in range(4)]
span_refs = []
for t in range(6000):
    st = streams[t % 4]
    if t % 3 == 0:
        st.push(Metric(t, st, "latency", t * 0.5))
    elif t % 3 == 1:
        root = Span(t, st)
        child = Span(t, st, root)
        Span(t, st, child)
        span_refs.append(weakref.ref(root))
        st.push(root)
    else:
        m = TaggedMetric(t, st, "bytes", t)
        m.host = "h%d" % (t % 5)
        st.push(m)

f = Flat()
f.a = 1
try:
    f.c = 3
    slot_error = None
except AttributeError:
    slot_error = "AttributeError"

m0 = Metric(0, None, "x", 1.0)
tm = TaggedMetric(0, None, "x", 1)
sp = Span(0, None)
sizes = {
    "Event": sys.getsizeof(Event(0, None)),
    "Metric": sys.getsizeof(m0),
    "Span": sys.getsizeof(sp),
    "TaggedMetric": sys.getsizeof(tm),
    "Flat": sys.getsizeof(f),
}
tracked = {
    "Metric": gc.is_tracked(m0),
    "Flat": gc.is_tracked(f),
    "Span": gc.is_tracked(sp),
    "Tagged_dict": gc.is_tracked(getattr(tm, "__dict__")),
}
dropped = sum(st.dropped for st in streams)
alive_spans_before = sum(1 for r in span_refs if r() is not None)
c1 = gc.collect()
alive_spans = sum(1 for r in span_refs if r() is not None)
del streams, st, root, child
c2 = gc.collect()

RESULT = {
    "dropped_events": dropped,
    "sizes": sizes,
    "tracked": tracked,
    "slot_error": slot_error,
    "has_dict": [hasattr(m0, "__dict__"), hasattr(tm, "__dict__")],
    "slots": [list(Metric.__slots__), list(Span.__slots__)],
    "alive_spans_before": alive_spans_before,
    "alive_spans": alive_spans,
    "collect_first": c1,
    "collect_streams": c2,
    "count_end": list(gc.get_count()),
}
