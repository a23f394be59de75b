"""LRU cache over dict ordering, text normalization, set operations and sorted with key."""
import gc

class LRU:
    def __init__(self, cap):
        self.cap = cap
        self.data = {}
        self.hits = 0
        self.misses = 0
    def get(self, key, compute):
        if key in self.data:
            self.hits += 1
            v = self.data.pop(key)
            self.data[key] = v
            return v
        self.misses += 1
        v = compute(key)
        self.data[key] = v
        if len(self.data) > self.cap:
            oldest = next(iter(self.data))
            del self.data[oldest]
        return v

def normalize(s):
    return " ".join(w.strip(".,").lower() for w in s.split() if w)

cache = LRU(64)
vocab = set()
text = "The quick brown fox, jumps over the lazy dog. The dog sleeps."
for i in range(3000):
    key = f"{text[:i % 40]}-{i % 90}"
    norm = cache.get(key, normalize)
    words = set(norm.split())
    vocab |= words
    common = words & {"the", "dog", "fox"}
    ranked = sorted(words, key=lambda w: (len(w), w))
RESULT = {"hits": cache.hits, "misses": cache.misses, "vocab": len(vocab), "collect": gc.collect()}
