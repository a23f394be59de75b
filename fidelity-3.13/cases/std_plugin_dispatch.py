"""A plugin host with abc (ABC, abstractmethod), functools.singledispatch handlers, types.SimpleNamespace contexts and MappingProxyType views, contextlib.closing, and plugins unloaded between reloads."""
import abc
import contextlib
import functools
import gc
import types
import weakref


class Plugin(abc.ABC):
    def __init__(self, host):
        self.host = host
        self.closed = False

    @abc.abstractmethod
    def handle(self, event):
        ...

    def close(self):
        self.closed = True
        self.host.closed += 1


class Echo(Plugin):
    def handle(self, event):
        return render(event)


class Counter(Plugin):
    def __init__(self, host):
        super().__init__(host)
        self.seen = 0

    def handle(self, event):
        self.seen += 1
        return self.seen


class Incomplete(Plugin):
    pass


@functools.singledispatch
def render(event):
    return "obj"


@render.register
def _(event: int):
    return "int:%d" % event


@render.register
def _(event: str):
    return "str:" + event


@render.register(list)
def _(event):
    return "list:%d" % len(event)


class Host:
    def __init__(self):
        self.plugins = []
        self.closed = 0
        self.ctx = types.SimpleNamespace(host=self, version=1, events=[])


outputs = []
plugin_refs = []
reloads = []
host = Host()
for reload in range(40):
    with contextlib.closing(Echo(host)) as echo, contextlib.closing(Counter(host)) as counter:
        host.plugins = [echo, counter]
        plugin_refs.append(weakref.ref(echo))
        for i, ev in enumerate([1, "a", [1, 2], 2.5, "b", 7]):
            out = [p.handle(ev) for p in host.plugins]
            host.ctx.events.append(out[0])
            if reload == 0:
                outputs.append(out)
            echo.last = ev
            echo.me = echo
    host.plugins = []
    del echo, counter
    if reload % 10 == 9:
        reloads.append(gc.collect())

try:
    Incomplete(host)
    abstract_error = None
except TypeError:
    abstract_error = "TypeError"

view = types.MappingProxyType({"a": 1})
try:
    view["b"] = 2
    proxy_error = None
except TypeError:
    proxy_error = "TypeError"
ns = types.SimpleNamespace(a=1, b=[2])
RESULT = {
    "outputs": outputs,
    "closed": host.closed,
    "events": len(host.ctx.events),
    "alive_plugins": sum(1 for r in plugin_refs if r() is not None),
    "reloads": reloads,
    "abstract_error": abstract_error,
    "abstracts": sorted(Incomplete.__abstractmethods__),
    "is_plugin": [isinstance(Echo(host), Plugin), issubclass(int, Plugin)],
    "proxy_error": proxy_error,
    "ns": repr(ns),
    "ns_eq": ns == types.SimpleNamespace(b=[2], a=1),
    "registry": sorted(t.__name__ for t in render.registry),
    "collect": gc.collect(),
    "count_end": list(gc.get_count()),
}
