"""An ORM-like identity map: models referencing their session, a unit of work flushed in batches."""
import gc


class Session:
    def __init__(self):
        self.identity = {}
        self.dirty = []

    def add(self, obj):
        self.identity[(type(obj).__name__, obj.pk)] = obj
        self.dirty.append(obj)

    def flush(self):
        n = len(self.dirty)
        self.dirty = []
        return n


class Model:
    def __init__(self, session, pk, **fields):
        self.session = session
        self.pk = pk
        self.fields = dict(fields)
        session.add(self)


flushed = 0
for batch in range(40):
    s = Session()
    for pk in range(150):
        Model(s, pk, name="n%d" % pk, score=pk * 1.5, tags=["x", "y"])
    flushed += s.flush()
    if batch % 8 == 0:
        gc.collect(0)
    del s

RESULT = {"flushed": flushed, "collect": gc.collect(), "count": list(gc.get_count())}
