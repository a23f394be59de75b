"""Value objects with __hash__/__eq__ used as dict and set keys for deduplication, a container with __contains__, a __getattr__ proxy, and __hash__ = None for mutable records."""
import gc


class Money:
    __slots__ = ("cents", "cur")

    def __init__(self, cents, cur):
        self.cents = cents
        self.cur = cur

    def __eq__(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        return self.cents == other.cents and self.cur == other.cur

    def __hash__(self):
        return hash((self.cents, self.cur))

    def __lt__(self, other):
        return (self.cur, self.cents) < (other.cur, other.cents)


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    def __hash__(self):
        return self.x * 1000003 ^ self.y


class MutableRecord:
    __hash__ = None

    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return self.v == other.v


class Range:
    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def __contains__(self, x):
        return self.lo <= x < self.hi


class Proxy:
    def __init__(self, target):
        self._target = target
        self.misses = 0

    def __getattr__(self, name):
        self.misses += 1
        return getattr(self._target, name)


class Node:
    def __init__(self, key):
        self.key = key
        self.links = []


prices = {}
seen = set()
for i in range(5000):
    m = Money(i % 250 * 100, "EUR" if i % 3 else "USD")
    prices[m] = prices.get(m, 0) + 1
    seen.add(Point(i % 70, i % 30))

graph = {}
for i in range(900):
    p = Point(i % 45, i % 20)
    node = graph.setdefault(p, Node(p))
    other = graph.setdefault(Point(i % 20, i % 45), Node(None))
    node.links.append(other)
    other.links.append(node)

try:
    {MutableRecord(1): 1}
    unhashable = None
except TypeError:
    unhashable = "TypeError"

r = Range(10, 20)
members = [x for x in range(0, 40, 3) if x in r]
px = Proxy(Money(500, "EUR"))
proxied = [px.cents, px.cur, px.cents]

nodes = len(graph)
del graph, node, other, p
collected = gc.collect()

RESULT = {
    "distinct_prices": len(prices),
    "max_count": max(prices.values()),
    "lookup": prices[Money(100, "USD")],
    "distinct_points": len(seen),
    "point_in": Point(3, 3) in seen,
    "eq_records": MutableRecord(2) == MutableRecord(2),
    "unhashable": unhashable,
    "members": members,
    "not_in": 25 not in r,
    "proxied": proxied,
    "misses": px.misses,
    "sorted_min": [min(prices).cents, min(prices).cur],
    "nodes": nodes,
    "collect": collected,
    "count_end": list(gc.get_count()),
}
