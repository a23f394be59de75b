"""Data pipeline: materialized lists vs generators

The same four-stage pipeline (read, parse, filter, aggregate) runs twice. The list version
keeps every intermediate stage alive at once, so its peak memory grows with the input; the
generator version streams one row at a time. tracemalloc shows the difference in peak bytes.
"""
import tracemalloc


def read_rows_list(n):
    return [{"id": i, "name": "user%d" % i, "score": (i * 37) % 101} for i in range(n)]


def parse_list(rows):
    return [(r["id"], r["name"].upper(), r["score"]) for r in rows]


def keep_high_list(rows):
    return [r for r in rows if r[2] > 50]


def read_rows_gen(n):
    for i in range(n):
        yield {"id": i, "name": "user%d" % i, "score": (i * 37) % 101}


def parse_gen(rows):
    for r in rows:
        yield (r["id"], r["name"].upper(), r["score"])


def keep_high_gen(rows):
    return (r for r in rows if r[2] > 50)


def total(rows):
    t = 0
    for r in rows:
        t += r[2]
    return t


ROWS = 6000
tracemalloc.start()

tracemalloc.reset_peak()
list_total = total(keep_high_list(parse_list(read_rows_list(ROWS))))
_, list_peak = tracemalloc.get_traced_memory()

tracemalloc.reset_peak()
gen_total = total(keep_high_gen(parse_gen(read_rows_gen(ROWS))))
_, gen_peak = tracemalloc.get_traced_memory()
tracemalloc.stop()

print("same answer:", list_total == gen_total)
print(f"lists:      peak {list_peak / 1024:.0f} KiB")
print(f"generators: peak {gen_peak / 1024:.0f} KiB")
