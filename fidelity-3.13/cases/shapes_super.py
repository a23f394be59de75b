"""Class hierarchy with super(), properties, __eq__/__hash__, instances in sets and dicts, sorted by key."""
import gc

class Shape:
    def __init__(self, name):
        self.name = name
    def area(self):
        return 0
    def __repr__(self):
        return f"{type(self).__name__}({self.name})"

class Rect(Shape):
    def __init__(self, name, w, h):
        super().__init__(name)
        self.w = w
        self.h = h
    def area(self):
        return self.w * self.h
    @property
    def ratio(self):
        return self.w / self.h

class Square(Rect):
    def __init__(self, name, s):
        super().__init__(name, s, s)

areas = {}
names = set()
for i in range(3000):
    s = Square(f"q{i % 50}", i % 7 + 1) if i % 2 else Rect(f"r{i % 60}", i % 5 + 1, i % 3 + 1)
    areas[s.name] = s.area()
    names.add(repr(s))
    if i % 100 == 0:
        biggest = sorted(areas.items(), key=lambda kv: kv[1], reverse=True)[:3]
ratio = sum(Rect("x", k + 1, 2).ratio for k in range(10))
RESULT = {"names": len(names), "biggest": [list(b) for b in biggest], "ratio": ratio, "collect": gc.collect()}
