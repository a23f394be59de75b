"""Gunicorn-style worker recycling (max_requests)

A long-running worker accumulates state: a result cache and per-session logs that point
back to the worker. Gunicorn's `max_requests` restarts a worker after N requests, dropping
all of that state at once. Here each worker object is dropped after MAX_REQUESTS and the
cyclic collector reclaims it; live memory saw-tooths instead of growing forever.
"""
import gc
import tracemalloc

MAX_REQUESTS = 1500


class Session:
    def __init__(self, worker, sid):
        self.worker = worker  # back-pointer: worker <-> session is a cycle
        self.sid = sid
        self.log = []


class Worker:
    def __init__(self, wid):
        self.wid = wid
        self.cache = {}
        self.sessions = {}
        self.handled = 0

    def handle(self, request):
        session = self.sessions.get(request % 40)
        if session is None:
            session = Session(self, request % 40)
            self.sessions[request % 40] = session
        key = request % 500
        if key not in self.cache:
            self.cache[key] = [key, key * key, "r%d" % key]
        session.log.append(request)
        self.handled += 1
        return self.cache[key][1]


tracemalloc.start()
worker = Worker(0)
peaks = []
for request in range(6000):
    worker.handle(request)
    if worker.handled >= MAX_REQUESTS:
        peaks.append(tracemalloc.get_traced_memory()[0])
        worker = Worker(worker.wid + 1)  # recycle: the old worker becomes cyclic garbage
print("workers started:", worker.wid + 1)
print("traced KiB when each worker was recycled:", [p // 1024 for p in peaks])
print("collected objects per generation:", [s["collected"] for s in gc.get_stats()])
