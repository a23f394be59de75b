"""A TTL session cache on a simulated clock: expiring entries, weakref callbacks and weakref.finalize on cached sessions, a WeakKeyDictionary of per-user metadata, and gc.get_count() checkpoints as the cache grows and is swept."""
import gc
import weakref


class Clock:
    def __init__(self):
        self.now = 0

    def advance(self, dt):
        self.now += dt


class User:
    def __init__(self, name):
        self.name = name


class SessionData:
    def __init__(self, user, payload):
        self.user = user
        self.payload = payload
        self.cache = None
        self.on_expire = self.expire

    def expire(self):
        self.payload = None


class TTLCache:
    def __init__(self, clock, ttl):
        self.clock = clock
        self.ttl = ttl
        self.data = {}
        self.expired = 0
        self.dead_refs = 0
        self.finalized = []
        self.refs = []

    def put(self, key, value):
        value.cache = self
        self.data[key] = (self.clock.now + self.ttl, value)
        self.refs.append(weakref.ref(value, self._gone))
        weakref.finalize(value, self.finalized.append, key)

    def _gone(self, ref):
        self.dead_refs += 1

    def get(self, key):
        item = self.data.get(key)
        if item is None:
            return None
        deadline, value = item
        if deadline <= self.clock.now:
            del self.data[key]
            self.expired += 1
            return None
        return value

    def sweep(self):
        now = self.clock.now
        dead = [k for k, (d, _) in self.data.items() if d <= now]
        for k in dead:
            del self.data[k]
        self.expired += len(dead)
        self.refs = [r for r in self.refs if r() is not None]
        return len(dead)


clock = Clock()
cache = TTLCache(clock, ttl=60)
users = [User("u%d" % i) for i in range(50)]
meta = weakref.WeakKeyDictionary()
for u in users:
    meta[u] = {"logins": 0}

hits = misses = 0
checkpoints = []
swept = []
for t in range(2400):
    clock.advance(1)
    u = users[(t * 7) % 50]
    key = "sess-%d" % ((t * 13) % 45)
    s = cache.get(key)
    if s is None:
        misses += 1
        cache.put(key, SessionData(u, [t] * 4))
    else:
        hits += 1
        meta[u]["logins"] += 1
    if t % 400 == 399:
        swept.append(cache.sweep())
        checkpoints.append(list(gc.get_count()))

live_sessions = len(cache.data)
finalized_before = len(cache.finalized)
dead_before = cache.dead_refs
c1 = gc.collect()
finalized_mid = len(cache.finalized)
clock.advance(1000)
cache.sweep()
c2 = gc.collect()
del users[25:]
meta_left = len(meta)
del u
c3 = gc.collect()

RESULT = {
    "hits": hits,
    "misses": misses,
    "expired": cache.expired,
    "swept": swept,
    "checkpoints": checkpoints,
    "live_sessions": live_sessions,
    "finalized_before": finalized_before,
    "dead_refs_before": dead_before,
    "collect_1": c1,
    "finalized_mid": finalized_mid,
    "collect_2": c2,
    "finalized_end": len(cache.finalized),
    "dead_refs_end": cache.dead_refs,
    "meta_left": meta_left,
    "meta_after": len(meta),
    "collect_3": c3,
    "count_end": list(gc.get_count()),
}
