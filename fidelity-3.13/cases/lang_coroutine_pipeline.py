"""A push-based log pipeline of generator coroutines: yield as an expression, yield from delegation with send, throw and close passing through, return values, and abandoned pipelines kept in cycles."""
import gc

closed = []


class Reset(Exception):
    pass


def counter(name):
    n = 0
    try:
        while True:
            try:
                item = yield n
            except Reset:
                n = 0
                continue
            if item is None:
                return n
            n += 1
    finally:
        closed.append(name)


def filtered(pred, sink_name):
    result = yield from counter(sink_name)
    return ("done", result)


def splitter(stats):
    lines = 0
    try:
        while True:
            line = yield lines
            lines += 1
            level = line.split(" ", 1)[0]
            stats[level] = stats.get(level, 0) + 1
    except GeneratorExit:
        stats["closed"] = stats.get("closed", 0) + 1
        raise


class Pipeline:
    def __init__(self, k):
        self.k = k
        self.stats = {}
        self.split = splitter(self.stats)
        self.errors = filtered(lambda l: l.startswith("ERROR"), "errors%d" % k)
        next(self.split)
        next(self.errors)
        self.owner = self

    def feed(self, line):
        self.split.send(line)
        if line.startswith("ERROR"):
            return self.errors.send(line)
        return None


finals = []
resets = 0
abandoned = 0
for k in range(250):
    p = Pipeline(k)
    for j in range(12):
        lvl = ("INFO", "WARN", "ERROR")[(j + k) % 3]
        p.feed("%s message %d" % (lvl, j))
        if j == 6 and k % 5 == 0:
            p.errors.throw(Reset)
            resets += 1
    if k % 4 == 0:
        abandoned += 1
        continue
    try:
        p.errors.send(None)
    except StopIteration as stop:
        finals.append(stop.value)
    p.split.close()

def chain_gen():
    yield 1
    got = yield from (x * 2 for x in range(3))
    yield got

values = list(chain_gen())
closed_before = len(closed)
del p
c = gc.collect()

RESULT = {
    "finals_sample": [list(f) for f in finals[:3]],
    "finals": len(finals),
    "resets": resets,
    "abandoned": abandoned,
    "values": values,
    "closed_before_collect": closed_before,
    "closed_after_collect": len(closed),
    "collect": c,
    "count_end": list(gc.get_count()),
}
