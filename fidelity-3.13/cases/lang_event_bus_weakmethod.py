"""An in-process event bus: subscribers held through weakref.WeakMethod and strong callables, a class decorator registering handlers, classmethod/staticmethod factories, __call__/__iter__/__len__/__bool__ on the bus, and widgets in cycles dropped while subscribed."""
import gc
import weakref

HANDLER_CLASSES = []


def handler_class(cls):
    HANDLER_CLASSES.append(cls.__name__)
    cls.registered = True
    return cls


class Bus:
    def __init__(self):
        self.topics = {}
        self.delivered = 0
        self.pruned = 0

    def subscribe(self, topic, fn):
        if hasattr(fn, "__func__"):
            ref = weakref.WeakMethod(fn)
        else:
            ref = lambda fn=fn: fn
        self.topics.setdefault(topic, []).append(ref)

    def __call__(self, topic, payload):
        live = []
        for ref in self.topics.get(topic, ()):
            fn = ref()
            if fn is None:
                self.pruned += 1
                continue
            live.append(ref)
            fn(payload)
            self.delivered += 1
        self.topics[topic] = live

    def __iter__(self):
        return iter(sorted(self.topics))

    def __len__(self):
        return sum(len(v) for v in self.topics.values())

    def __bool__(self):
        return any(self.topics.values())


@handler_class
class Widget:
    count = 0

    def __init__(self, bus, name):
        self.bus = bus
        self.name = name
        self.children = []
        self.parent = None
        self.received = []
        bus.subscribe("click", self.on_click)
        Widget.count += 1

    @classmethod
    def tree(cls, bus, name, width):
        root = cls(bus, name)
        for i in range(width):
            child = cls(bus, "%s.%d" % (name, i))
            child.parent = root
            root.children.append(child)
        return root

    @staticmethod
    def label(n):
        return "w%d" % n

    def on_click(self, payload):
        self.received.append(payload)


@handler_class
class Logger:
    def __init__(self):
        self.lines = []

    def on_any(self, payload):
        self.lines.append(payload)


bus = Bus()
logger = Logger()
bus.subscribe("click", logger.on_any)
totals = []
audit = []
bus.subscribe("click", audit.append)
for frame in range(60):
    t = Widget.tree(bus, Widget.label(frame), 5)
    bus("click", frame)
    if frame % 10 == 9:
        del t
        totals.append([len(bus), gc.collect(), len(bus)])
        bus("click", -frame)
        totals[-1].append(len(bus))

RESULT = {
    "handler_classes": HANDLER_CLASSES,
    "widgets": Widget.count,
    "delivered": bus.delivered,
    "pruned": bus.pruned,
    "totals": totals,
    "topics": list(bus),
    "truthy": [bool(bus), bool(Bus())],
    "logged": len(logger.lines),
    "audit": len(audit),
    "registered": Widget.registered,
    "collect": gc.collect(),
    "count_end": list(gc.get_count()),
}
