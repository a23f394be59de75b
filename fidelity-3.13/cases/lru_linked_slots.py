"""A hand-written LRU with a doubly linked list, evicting; nodes hold big payload tuples."""
import gc


class Node:
    __slots__ = ("key", "val", "prev", "next")

    def __init__(self, key, val):
        self.key = key
        self.val = val
        self.prev = None
        self.next = None


class LRU:
    def __init__(self, cap):
        self.cap = cap
        self.map = {}
        self.head = Node(None, None)
        self.tail = Node(None, None)
        self.head.next = self.tail
        self.tail.prev = self.head

    def _unlink(self, n):
        n.prev.next = n.next
        n.next.prev = n.prev

    def _push(self, n):
        n.next = self.head.next
        n.prev = self.head
        self.head.next.prev = n
        self.head.next = n

    def put(self, k, v):
        n = self.map.get(k)
        if n is not None:
            self._unlink(n)
        n = Node(k, v)
        self.map[k] = n
        self._push(n)
        if len(self.map) > self.cap:
            last = self.tail.prev
            self._unlink(last)
            del self.map[last.key]


cache = LRU(200)
for i in range(20000):
    cache.put(i % 900, (i, i + 1, str(i)))
RESULT = {"size": len(cache.map), "collect": gc.collect(), "stats": [s["collected"] for s in gc.get_stats()]}
