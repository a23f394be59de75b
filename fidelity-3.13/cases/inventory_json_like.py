"""Inventory service: nested dict/list documents, serialization to strings, key-sorted reports, tuples as keys."""
import gc

def to_text(doc, depth=0):
    if isinstance(doc, dict):
        return "{" + ", ".join(f"{k}: {to_text(v, depth + 1)}" for k, v in sorted(doc.items())) + "}"
    if isinstance(doc, list):
        return "[" + ", ".join(to_text(v, depth + 1) for v in doc) + "]"
    return str(doc)

stock = {}
lines = 0
for i in range(2500):
    sku = ("A" if i % 2 else "B", i % 40)
    item = stock.get(sku)
    if item is None:
        item = stock[sku] = {"sku": list(sku), "qty": 0, "history": []}
    item["qty"] += i % 9
    item["history"].append({"t": i, "d": i % 9})
    if len(item["history"]) > 8:
        item["history"] = item["history"][-4:]
    if i % 25 == 0:
        lines += len(to_text(item))
report = sorted(((k, v["qty"]) for k, v in stock.items()), key=lambda kv: (-kv[1], kv[0]))[:5]
RESULT = {"report": [[list(k), q] for k, q in report], "lines": lines, "collect": gc.collect()}
