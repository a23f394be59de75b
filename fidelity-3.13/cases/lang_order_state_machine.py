"""An order workflow state machine: a validating state property with a setter, __getattr__ dispatch of on_<event> handlers, bound methods stored on instances (self cycles), class-level transition tables, and __init_subclass__ checks."""
import gc


class InvalidTransition(Exception):
    def __init__(self, machine, event):
        super().__init__("%s cannot %s from %s" % (type(machine).__name__, event, machine.state))
        self.machine = machine
        self.event = event


class Machine:
    transitions = {}
    initial = None

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        states = set(cls.transitions)
        for targets in cls.transitions.values():
            for t in targets.values():
                if t not in states:
                    raise TypeError("unknown state %s in %s" % (t, cls.__name__))
        cls.events = sorted({e for ts in cls.transitions.values() for e in ts})

    def __init__(self, ident):
        self.ident = ident
        self._state = self.initial
        self.history = []
        self.on_change = self.record

    @property
    def state(self):
        return self._state

    @state.setter
    def state(self, value):
        if value not in self.transitions:
            raise ValueError(value)
        old, self._state = self._state, value
        self.on_change(old, value)

    def record(self, old, new):
        self.history.append((old, new))

    def fire(self, event):
        targets = self.transitions[self._state]
        if event not in targets:
            raise InvalidTransition(self, event)
        self.state = targets[event]

    def __getattr__(self, name):
        if name.startswith("on_") and name[3:] in type(self).events:
            event = name[3:]
            return lambda: self.fire(event)
        raise AttributeError(name)


class Order(Machine):
    initial = "new"
    transitions = {
        "new": {"pay": "paid", "cancel": "cancelled"},
        "paid": {"ship": "shipped", "refund": "refunded"},
        "shipped": {"deliver": "delivered", "lose": "lost"},
        "lost": {"refund": "refunded"},
        "delivered": {},
        "refunded": {},
        "cancelled": {},
    }


try:
    class Broken(Machine):
        transitions = {"a": {"go": "b"}}
    subclass_error = None
except TypeError as e:
    subclass_error = str(e)

scripts = [["pay", "ship", "deliver"], ["cancel"], ["pay", "refund"], ["pay", "ship", "lose", "refund"],
           ["ship"], ["pay", "pay"]]
final_states = {}
errors = []
for i in range(1800):
    o = Order(i)
    for ev in scripts[i % len(scripts)]:
        try:
            getattr(o, "on_" + ev)()
        except InvalidTransition as e:
            if len(errors) < 200:
                errors.append(e)
    final_states[o.state] = final_states.get(o.state, 0) + 1
    try:
        o.state = "teleported"
    except ValueError:
        pass

try:
    o.on_fly
    missing = None
except AttributeError as e:
    missing = "AttributeError:" + str(e)

msg = str(errors[0])
count_mid = list(gc.get_count())
err_count = len(errors)
c1 = gc.collect()
errors.clear()
del o
c2 = gc.collect()

RESULT = {
    "events": Order.events,
    "final_states": dict(sorted(final_states.items())),
    "subclass_error": subclass_error,
    "missing": missing,
    "msg": msg,
    "err_count": err_count,
    "collect_kept": c1,
    "collect_dropped": c2,
    "count_end": list(gc.get_count()),
}
