"""A job scheduler on a simulated clock: a heapq priority queue with lazy cancellation, bisect-maintained deadline lists, contextlib.contextmanager transactions, suppress and ExitStack, and jobs that reference their scheduler."""
import bisect
import contextlib
import gc
import heapq


class Job:
    def __init__(self, sched, jid, due, prio):
        self.sched = sched
        self.jid = jid
        self.due = due
        self.prio = prio
        self.cancelled = False
        self.log = []

    def __lt__(self, other):
        return (self.due, self.prio, self.jid) < (other.due, other.prio, other.jid)


class Scheduler:
    def __init__(self):
        self.heap = []
        self.deadlines = []
        self.now = 0
        self.ran = 0
        self.skipped = 0
        self.rollbacks = 0
        self.jobs = {}

    def add(self, jid, due, prio):
        job = Job(self, jid, due, prio)
        heapq.heappush(self.heap, job)
        bisect.insort(self.deadlines, due)
        self.jobs[jid] = job
        return job

    def cancel(self, jid):
        job = self.jobs.pop(jid, None)
        if job is not None:
            job.cancelled = True

    @contextlib.contextmanager
    def transaction(self, job):
        job.log.append("begin")
        try:
            yield job
        except ValueError:
            self.rollbacks += 1
            job.log.append("rollback")
        else:
            job.log.append("commit")
        finally:
            job.log.append("end")

    def run_until(self, t):
        self.now = t
        while self.heap and self.heap[0].due <= t:
            job = heapq.heappop(self.heap)
            i = bisect.bisect_left(self.deadlines, job.due)
            del self.deadlines[i]
            if job.cancelled:
                self.skipped += 1
                continue
            with self.transaction(job):
                if job.jid % 11 == 0:
                    raise ValueError(job.jid)
                self.ran += 1
            self.jobs.pop(job.jid, None)


logs = {}
stats = []
swept = []
for day in range(10):
    s = Scheduler()
    for j in range(300):
        s.add(j, (j * 7919) % 1000, j % 3)
    for j in range(0, 300, 9):
        s.cancel(j)
    for t in range(100, 1000, 100):
        s.run_until(t)
    stats.append([s.ran, s.skipped, s.rollbacks, len(s.heap)])
    upcoming = bisect.bisect_right(s.deadlines, 500)
    smallest = heapq.nsmallest(3, [5, 1, 8, 3, 9, 2])
    del s
    if day % 5 == 4:
        swept.append(gc.collect())

with contextlib.ExitStack() as stack:
    opened = []
    for name in ("a", "b", "c"):
        stack.callback(opened.append, "closed-" + name)
    with contextlib.suppress(KeyError):
        {}["missing"]
    stack_order_before = list(opened)
exit_order = opened

merged = list(heapq.merge([1, 4, 9], [2, 3, 10]))
grades = [bisect.bisect([60, 70, 80, 90], sc) for sc in (55, 60, 75, 99)]
collected = gc.collect()

RESULT = {
    "stats": stats[0],
    "same_every_day": all(st == stats[0] for st in stats),
    "upcoming": upcoming,
    "smallest": smallest,
    "stack_before": stack_order_before,
    "exit_order": exit_order,
    "merged": merged,
    "grades": grades,
    "swept": swept,
    "collect": collected,
    "count_end": list(gc.get_count()),
}
