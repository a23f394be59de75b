"""A connection pool whose connections return themselves to the pool from __del__ (resurrection), inside cycles with their cursors; PEP 442 runs each finalizer once, and DEBUG_SAVEALL shows what the collector found."""
import gc


class Pool:
    def __init__(self, size):
        self.size = size
        self.idle = []
        self.created = 0
        self.returned = 0
        self.discarded = 0

    def acquire(self):
        if self.idle:
            conn = self.idle.pop()
            conn.uses += 1
            return conn
        self.created += 1
        return Connection(self, self.created)


class Connection:
    def __init__(self, pool, n):
        self.pool = pool
        self.n = n
        self.uses = 1
        self.cursor = Cursor(self)
        self.finalized = 0

    def __del__(self):
        self.finalized += 1
        pool = self.pool
        if len(pool.idle) < pool.size and self.finalized == 1:
            self.cursor = Cursor(self)
            pool.idle.append(self)
            pool.returned += 1
        else:
            pool.discarded += 1


class Cursor:
    def __init__(self, conn):
        self.conn = conn
        self.rows = []

    def execute(self, q):
        self.rows = [q] * 3
        return len(self.rows)


pool = Pool(8)
rows = 0
collect_results = []
for i in range(1500):
    conn = pool.acquire()
    rows += conn.cursor.execute("select %d" % (i % 10))
    conn = None
    if i % 300 == 299:
        collect_results.append(gc.collect())

idle_before = len(pool.idle)
uses = sorted(c.uses for c in pool.idle)
pool.idle.clear()
second_round = gc.collect()

gc.set_debug(gc.DEBUG_SAVEALL)
for i in range(20):
    c = Connection(pool, 10000 + i)
c = None
saveall = gc.collect()
saved = len(gc.garbage)
saved_kinds = sorted({type(o).__name__ for o in gc.garbage})
gc.set_debug(0)
gc.garbage.clear()
after = gc.collect()

RESULT = {
    "rows": rows,
    "created": pool.created,
    "returned": pool.returned,
    "discarded": pool.discarded,
    "collect_results": collect_results,
    "idle_before": idle_before,
    "uses_max": uses[-1] if uses else None,
    "second_round": second_round,
    "saveall": saveall,
    "saved": saved,
    "saved_kinds": saved_kinds,
    "after": after,
    "garbage_end": len(gc.garbage),
    "count_end": list(gc.get_count()),
}
