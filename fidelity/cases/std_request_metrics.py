"""Request metrics with collections: a deque(maxlen) of recent requests, defaultdict(list) of latencies per route, Counter.most_common of status codes, an OrderedDict LRU with move_to_end/popitem(last=False), and namedtuple records with _replace/_asdict."""
import collections
import gc
import sys

Hit = collections.namedtuple("Hit", "route status latency user")


class LRU:
    def __init__(self, size):
        self.size = size
        self.data = collections.OrderedDict()
        self.evicted = 0

    def get(self, key, make):
        if key in self.data:
            self.data.move_to_end(key)
            return self.data[key]
        value = make(key)
        self.data[key] = value
        if len(self.data) > self.size:
            self.data.popitem(last=False)
            self.evicted += 1
        return value


class Profile:
    def __init__(self, user):
        self.user = user
        self.friends = []
        self.me = self


recent = collections.deque(maxlen=100)
latencies = collections.defaultdict(list)
statuses = collections.Counter()
routes = collections.Counter()
profiles = LRU(64)
for i in range(6000):
    route = ("/", "/api/items", "/api/users", "/login", "/static/app.js")[(i * 7) % 5]
    status = 200 if i % 13 else (404 if i % 2 else 500)
    hit = Hit(route, status, (i * 37) % 250, "user%d" % (i % 150))
    if status == 500:
        hit = hit._replace(latency=hit.latency + 1000)
    recent.append(hit)
    latencies[route].append(hit.latency)
    statuses[status] += 1
    routes.update([route])
    prof = profiles.get(hit.user, Profile)
    if i % 50 == 0:
        prof.friends.append(profiles.get("user%d" % (i % 7), Profile))

avg = {r: sum(v) // len(v) for r, v in latencies.items()}
top = statuses.most_common(2)
combined = statuses + collections.Counter({200: 1, 999: 2})
slow = [h._asdict() for h in recent if h.latency > 1000][:2]
maxlen_q = collections.deque(range(10), maxlen=4)
maxlen_q.appendleft(-1)
maxlen_q.rotate(1)
sizes = {
    "deque_100": sys.getsizeof(recent),
    "hit": sys.getsizeof(recent[0]),
    "empty_deque": sys.getsizeof(collections.deque()),
}
tracked = [gc.is_tracked(recent[0]), gc.is_tracked(Hit(1, 2, 3, 4)), gc.is_tracked(statuses)]
evicted = profiles.evicted
del profiles, prof
collected = gc.collect()

RESULT = {
    "recent": len(recent),
    "oldest": list(recent[0]),
    "avg": dict(sorted(avg.items())),
    "top": [list(t) for t in top],
    "combined_999": combined[999],
    "routes_total": sum(routes.values()),
    "slow": slow,
    "maxlen_q": list(maxlen_q),
    "sizes": sizes,
    "tracked": tracked,
    "evicted": evicted,
    "fields": list(Hit._fields),
    "made": list(Hit._make(["/", 1, 2, "x"])),
    "collect": collected,
    "count_end": list(gc.get_count()),
}
