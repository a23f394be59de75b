"""Generator pipeline over dict records: filter, map with lambdas, grouping, enumerate, zip, cycles through parents."""
import gc

def source(n):
    for i in range(n):
        yield {"id": i, "group": i % 7, "value": (i * 37) % 101}

def only_even(rows):
    return (r for r in rows if r["value"] % 2 == 0)

def enrich(rows):
    for idx, r in enumerate(rows):
        r = dict(r)
        r["rank"] = idx
        yield r

class Group:
    def __init__(self, key):
        self.key = key
        self.items = []
        self.parent = None

groups = {}
totals = []
for batch in range(12):
    for r in enrich(only_even(source(400))):
        g = groups.get(r["group"])
        if g is None:
            g = groups[r["group"]] = Group(r["group"])
        child = Group(r["id"])
        child.parent = g
        g.items.append(child)
    totals.append(sum(len(g.items) for g in groups.values()))
    if batch % 3 == 2:
        for g in groups.values():
            g.items = [c for c in g.items if c.key % 5 == 0]
pairs = list(zip(sorted(groups), map(lambda k: len(groups[k].items), sorted(groups))))
RESULT = {"totals": totals[-3:], "pairs": pairs, "collect": gc.collect()}
