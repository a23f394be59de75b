"""A metrics registry with dataclasses (field default_factory, frozen keys, slots=True, order=True, asdict) and enum (Enum, IntEnum, Flag, auto, lookups by value and name), series linked back to the registry and reset each scrape."""
import dataclasses
import enum
import gc
import sys
from dataclasses import dataclass, field


class Kind(enum.Enum):
    COUNTER = "counter"
    GAUGE = "gauge"
    HISTOGRAM = "histogram"


class Level(enum.IntEnum):
    DEBUG = 10
    INFO = 20
    WARN = 30


class Perm(enum.Flag):
    READ = enum.auto()
    WRITE = enum.auto()
    ADMIN = enum.auto()


@dataclass(frozen=True)
class Key:
    name: str
    kind: Kind
    labels: tuple = ()


@dataclass(slots=True)
class Sample:
    value: float
    ts: int


@dataclass(order=True)
class Series:
    key: Key = field(compare=False)
    total: float = 0.0
    samples: list = field(default_factory=list, compare=False, repr=False)
    registry: object = field(default=None, compare=False, repr=False)


class Registry:
    def __init__(self):
        self.series = {}

    def observe(self, name, kind, value, ts, **labels):
        key = Key(name, kind, tuple(sorted(labels.items())))
        s = self.series.get(key)
        if s is None:
            s = self.series[key] = Series(key, registry=self)
        s.samples.append(Sample(value, ts))
        s.total += value
        return s


scrapes = []
swept = []
for scrape in range(8):
    reg = Registry()
    for t in range(400):
        kind = list(Kind)[t % 3]
        reg.observe("http_%s" % kind.value, kind, float(t % 17), t, route="/r%d" % (t % 6),
                    level=Level(10 * (1 + t % 3)).name)
    top = max(reg.series.values())
    scrapes.append([len(reg.series), top.total, top.key.kind.name])
    del reg, top
    if scrape % 3 == 2:
        swept.append(gc.collect())

k = Key("x", Kind.GAUGE, (("a", 1),))
try:
    k.name = "y"
    frozen = None
except dataclasses.FrozenInstanceError:
    frozen = "FrozenInstanceError"
s = Series(k, 2.5, [Sample(1.0, 1)])
perm = Perm.READ | Perm.WRITE
RESULT = {
    "scrapes": scrapes[:2],
    "n_scrapes": len(scrapes),
    "frozen": frozen,
    "hash_eq": hash(k) == hash(Key("x", Kind.GAUGE, (("a", 1),))),
    "asdict": repr(dataclasses.asdict(s)),
    "repr": repr(s),
    "fields": [f.name for f in dataclasses.fields(Series)],
    "kind_lookup": [Kind("gauge").name, Kind["HISTOGRAM"].value],
    "level": [Level.WARN > Level.INFO, int(Level.DEBUG) + 1, Level(20).name],
    "perm": [Perm.WRITE in perm, Perm.ADMIN in perm, perm.value],
    "sample_slots": hasattr(Sample(0.0, 0), "__dict__"),
    "sample_size": sys.getsizeof(Sample(0.0, 0)),
    "swept": swept,
    "collect": gc.collect(),
    "count_end": list(gc.get_count()),
}
