"""A plugin registry driven by a metaclass (__prepare__, __new__, __call__), with plugin classes created at runtime by type(), unloaded, and collected as cyclic garbage."""
import gc
import weakref


class Hooks(dict):
    def __init__(self):
        super().__init__()
        self.order = []

    def __setitem__(self, key, value):
        if not key.startswith("__"):
            self.order.append(key)
        super().__setitem__(key, value)


class PluginMeta(type):
    registry = {}
    instances = 0

    @classmethod
    def __prepare__(mcls, name, bases, **kw):
        return Hooks()

    def __new__(mcls, name, bases, ns, **kw):
        cls = super().__new__(mcls, name, bases, dict(ns))
        cls.hook_order = list(ns.order)
        cls.priority = kw.get("priority", 0)
        if bases:
            mcls.registry[name] = cls
        return cls

    def __init__(cls, name, bases, ns, **kw):
        super().__init__(name, bases, ns)

    def __call__(cls, *args, **kwargs):
        PluginMeta.instances += 1
        obj = super().__call__(*args, **kwargs)
        obj.loaded = True
        return obj


class Plugin(metaclass=PluginMeta):
    def __init__(self, host):
        self.host = host
        host.plugins.append(self)

    def run(self, payload):
        return payload


class Compress(Plugin, priority=5):
    def setup(self):
        return "compress"

    def run(self, payload):
        return payload[: len(payload) // 2]


class Audit(Plugin, priority=1):
    def setup(self):
        return "audit"

    def teardown(self):
        return "bye"


class Host:
    def __init__(self):
        self.plugins = []


def dynamic_plugin(i):
    def run(self, payload):
        return payload + str(i)
    ns = Hooks()
    ns["run"] = run
    ns["n"] = i
    return PluginMeta("Dyn%d" % i, (Plugin,), ns, priority=i % 3)


refs = []
host = Host()
out = []
for i in range(150):
    cls = dynamic_plugin(i)
    refs.append(weakref.ref(cls))
    p = cls(host)
    out.append(p.run("x"))
    if i % 10 == 0:
        Compress(host)
        Audit(host)

alive_before = sum(1 for r in refs if r() is not None)
ordered = sorted(PluginMeta.registry.values(), key=lambda c: (-c.priority, c.__name__))[:4]
for name in [n for n in PluginMeta.registry if n.startswith("Dyn")]:
    del PluginMeta.registry[name]
host.plugins.clear()
del cls, p
alive_mid = sum(1 for r in refs if r() is not None)
collected = gc.collect()
alive_after = sum(1 for r in refs if r() is not None)

RESULT = {
    "instances": PluginMeta.instances,
    "registered_left": sorted(PluginMeta.registry),
    "hook_order": Compress.hook_order + Audit.hook_order,
    "top": [c.__name__ for c in ordered],
    "out_tail": out[-3:],
    "type_of_plugin": type(Compress).__name__,
    "alive_before": alive_before,
    "alive_mid": alive_mid,
    "alive_after": alive_after,
    "collect": collected,
    "count_end": list(gc.get_count()),
}
