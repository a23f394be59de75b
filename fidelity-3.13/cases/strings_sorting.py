"""Text processing: split, join, sorted, zip, enumerate, dict counting, nested lists."""
import gc

words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
counts = {}
rows = []
for i in range(5000):
    line = " ".join(words[(i + k) % len(words)] for k in range(4))
    for w in line.split(" "):
        counts[w] = counts.get(w, 0) + 1
    pairs = list(zip(range(3), words[:3]))
    for j, p in enumerate(pairs):
        if j == 1 and i % 50 == 0:
            rows.append([p, i])
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
gc.set_threshold(300, 5, 5)
for i in range(3000):
    node = {"i": i, "kids": [[i], [i + 1]]}
    node["self"] = node
RESULT = {"top": [list(t) for t in top], "rows": len(rows), "collect": gc.collect(), "stats": [s["collections"] for s in gc.get_stats()]}
