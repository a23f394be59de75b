"""An event bus with bound-method subscribers, unsubscribing half; tuples of tuples as events."""
import gc


class Bus:
    def __init__(self):
        self.subs = []

    def subscribe(self, fn):
        self.subs.append(fn)

    def publish(self, event):
        delivered = 0
        for fn in self.subs:
            fn(event)
            delivered += 1
        return delivered


class Listener:
    def __init__(self, bus, name):
        self.bus = bus
        self.name = name
        self.seen = 0
        bus.subscribe(self.on_event)

    def on_event(self, event):
        self.seen += 1


bus = Bus()
listeners = [Listener(bus, "l%d" % i) for i in range(60)]
total = 0
for i in range(3000):
    total += bus.publish((i, ("evt", i % 7)))
bus.subs = bus.subs[::2]
del listeners
first = gc.collect()
for i in range(500):
    total += bus.publish((i, ()))
RESULT = {"total": total, "first": first, "subs": len(bus.subs), "second": gc.collect()}
