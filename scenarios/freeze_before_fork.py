"""gc.freeze() before forking workers

A pre-fork server loads its configuration and routing tables, then forks workers. Every
collection that touches those long-lived objects writes to their GC headers, which defeats
copy-on-write sharing after fork. gc.freeze() moves everything into the permanent generation:
later collections skip it. Compare the generation sizes and the collection work.
"""
import gc


class Route:
    def __init__(self, path, handler):
        self.path = path
        self.handler = handler
        self.middleware = ["auth", "log"]


def handler(n):
    return {"status": 200, "n": n}


routes = {}
for i in range(3000):
    routes["/api/v1/item/%d" % i] = Route("/api/v1/item/%d" % i, handler)
config = {"workers": 4, "timeout": 30, "routes": routes}

gc.collect()
print("before freeze: generation sizes", [len(gc.get_objects(g)) for g in range(3)])
gc.freeze()  # what a pre-fork server does right before os.fork()
print("after freeze:  generation sizes", [len(gc.get_objects(g)) for g in range(3)], "frozen:", gc.get_freeze_count())


class Job:
    def __init__(self, n):
        self.n = n
        self.me = self  # a little cyclic garbage per job


# the "worker" loop: collections no longer walk the frozen routing table
for n in range(20000):
    Job(n)
print("worker collections per generation:", [s["collections"] for s in gc.get_stats()])
gc.unfreeze()
