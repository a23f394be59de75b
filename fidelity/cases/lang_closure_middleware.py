"""A middleware stack built from closures: nonlocal counters, a global request id, keyword-only and positional-only parameters, defaults evaluated once, chained comparisons, and recursive closures that form cell cycles."""
import gc

REQUEST_ID = 0
seen_defaults = []


def next_id():
    global REQUEST_ID
    REQUEST_ID += 1
    return REQUEST_ID


def rate_limiter(app, /, limit, *, window=10):
    hits = 0
    rejected = 0

    def middleware(req):
        nonlocal hits, rejected
        hits += 1
        if hits % window == 0 and 0 < limit < hits:
            rejected += 1
            return {"status": 429, "id": req["id"]}
        return app(req)

    def stats():
        return {"hits": hits, "rejected": rejected}

    middleware.stats = stats
    return middleware


def timing(app, *, label, buckets=[]):
    seen_defaults.append(len(buckets))

    def middleware(req):
        size = len(req["path"])
        if 0 <= size < 8:
            buckets.append("short")
        elif 8 <= size <= 12 < 100:
            buckets.append("mid")
        else:
            buckets.append("long")
        resp = app(req)
        resp["label"] = label
        return resp

    middleware.buckets = buckets
    return middleware


def router(routes):
    def app(req):
        handler = routes.get(req["path"].split("/")[1])
        if handler is None:
            return {"status": 404, "id": req["id"]}
        return handler(req)
    return app


def make_tree_walker():
    def walk(node, depth=0):
        total = depth
        for child in node.get("children", ()):
            total += walk(child, depth + 1)
        return total
    walk.self_ref = walk
    return walk


def item_handler(req, *, cache={}):
    key = req["path"]
    if key not in cache:
        cache[key] = {"status": 200, "body": key.upper()}
    out = dict(cache[key])
    out["id"] = req["id"]
    return out


routes = {"items": item_handler, "health": lambda req: {"status": 200, "id": req["id"]}}
stacks = []
statuses = {}
for s in range(40):
    app = rate_limiter(timing(router(routes), label="s%d" % s), 25, window=7)
    stacks.append(app)
    for r in range(60):
        req = {"id": next_id(), "path": ["/items/%d" % (r % 9), "/health", "/nope/" + "x" * r][r % 3]}
        resp = app(req)
        statuses[resp["status"]] = statuses.get(resp["status"], 0) + 1
    walker = make_tree_walker()
    walker({"children": [{"children": [{}]}, {}]})

try:
    rate_limiter(app=router(routes), limit=3)
    posonly = None
except TypeError:
    posonly = "TypeError"
try:
    timing(router(routes), "x")
    kwonly = None
except TypeError:
    kwonly = "TypeError"

first_stats = stacks[0].stats()
cells = len(stacks[0].__closure__)
shared = len(timing.__kwdefaults__["buckets"])
del stacks, app, walker
collected = gc.collect()

RESULT = {
    "last_id": REQUEST_ID,
    "statuses": {str(k): v for k, v in sorted(statuses.items())},
    "first_stats": first_stats,
    "seen_defaults_tail": seen_defaults[-3:],
    "shared_buckets": shared,
    "cells": cells,
    "posonly": posonly,
    "kwonly": kwonly,
    "chained": [1 < 2 < 3, 1 < 3 < 2, 0 <= 0 < 1 == 1],
    "collect": collected,
    "count_end": list(gc.get_count()),
}
