"""An ETL job over JSON lines: records written to and read back from io.StringIO, json.loads per line, itertools.islice batching, chain, groupby and count, json.dumps of aggregates, and per-batch graphs of parsed records dropped between batches."""
import gc
import io
import itertools
import json


def produce(n):
    buf = io.StringIO()
    for i in range(n):
        rec = {"id": i, "region": ("eu", "us", "apac")[i % 3], "amount": (i * 37) % 1000 / 10,
               "tags": ["t%d" % (i % 5), "t%d" % (i % 7)], "meta": {"src": "web" if i % 4 else "api"}}
        buf.write(json.dumps(rec, sort_keys=True))
        buf.write("\n")
        if i % 97 == 0:
            buf.write("{not json}\n")
    return buf.getvalue()


def batches(lines, size):
    it = iter(lines)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield chunk


class Batch:
    def __init__(self, number):
        self.number = number
        self.records = []
        self.index = {}


text = produce(3000)
bad = 0
summaries = []
batch_ids = itertools.count(1)
totals = {}
for lines in batches(io.StringIO(text), 250):
    b = Batch(next(batch_ids))
    for line in lines:
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            bad += 1
            err_pos = e.pos
            continue
        rec["batch"] = b
        b.records.append(rec)
        b.index[rec["id"]] = rec
    keyfn = lambda r: r["region"]
    for region, group in itertools.groupby(sorted(b.records, key=keyfn), key=keyfn):
        amt = sum(r["amount"] for r in group)
        totals[region] = round(totals.get(region, 0) + amt, 2)
    tags = set(itertools.chain.from_iterable(r["tags"] for r in b.records))
    summaries.append(json.dumps({"batch": b.number, "n": len(b.records), "tags": sorted(tags)}))
    if b.number % 4 == 0:
        gc.collect(0)
del b, rec, lines

out = io.StringIO()
json.dump({"totals": totals, "bad": bad}, out, sort_keys=True, indent=2)
decoded = json.loads(out.getvalue())
collected = gc.collect()

RESULT = {
    "bad": bad,
    "err_pos": err_pos,
    "batches": len(summaries),
    "first_summary": summaries[0],
    "totals": decoded["totals"],
    "dump_lines": out.getvalue().count("\n"),
    "text_len": len(text),
    "collect": collected,
    "count_end": list(gc.get_count()),
}
