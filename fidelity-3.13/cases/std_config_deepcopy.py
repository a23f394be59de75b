"""Per-tenant configuration cloned from a template with copy.deepcopy (shared sub-objects and a cycle kept by the memo, __deepcopy__ and __copy__ overrides), shallow copies, and tenants dropped and collected."""
import copy
import gc


class Secret:
    copies = 0

    def __init__(self, value):
        self.value = value

    def __deepcopy__(self, memo):
        Secret.copies += 1
        return self

    def __copy__(self):
        return self


class Pool:
    def __init__(self, size):
        self.size = size
        self.owner = None
        self.conns = [{"n": i} for i in range(size)]


class Config:
    def __init__(self, name):
        self.name = name
        self.db = {"host": "db.local", "port": 5432, "secret": Secret("s3cr3t")}
        self.pool = Pool(4)
        self.pool.owner = self
        self.routes = [["/", "index"], ["/api", "api"]]
        self.shared = self.routes[1]
        self.features = {"beta": True, "limits": (10, [1, 2])}


template = Config("template")
tenants = []
for t in range(200):
    cfg = copy.deepcopy(template)
    cfg.name = "tenant%d" % t
    cfg.db["port"] += t
    cfg.routes.append(["/t%d" % t, "tenant"])
    tenants.append(cfg)

c0 = tenants[0]
checks = {
    "pool_owner_is_copy": c0.pool.owner is c0,
    "shared_kept": c0.shared is c0.routes[1],
    "secret_same": c0.db["secret"] is template.db["secret"],
    "routes_new": c0.routes is not template.routes,
    "tuple_copied": c0.features["limits"] is not template.features["limits"],
    "template_routes": len(template.routes),
}
shallow = copy.copy(template)
shallow_checks = [shallow.routes is template.routes, shallow.pool is template.pool, shallow.name]
lst = [1, [2, 3]]
cl = copy.copy(lst)
cl[1].append(4)
atomic = copy.deepcopy((1, "a", 2.5))
ports = sum(c.db["port"] for c in tenants)
count_mid = list(gc.get_count())
tenants = tenants[:20]
del cfg, c0
collected = gc.collect()
tenants.clear()
collected2 = gc.collect()

RESULT = {
    "checks": checks,
    "shallow": shallow_checks,
    "list_shared": lst,
    "atomic_same": atomic == (1, "a", 2.5),
    "secret_copies": Secret.copies,
    "ports": ports,
    "collect": collected,
    "collect_rest": collected2,
    "count_end": list(gc.get_count()),
}
