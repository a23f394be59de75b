"""An async worker pool with asyncio: asyncio.run, a Queue of jobs, create_task workers, gather of results, an Event to stop, a Lock around shared stats, and results kept with back-references to their job."""
import asyncio
import gc


class Job:
    def __init__(self, n):
        self.n = n
        self.result = None
        self.attempts = 0


class Result:
    def __init__(self, job, value, worker):
        self.job = job
        self.value = value
        self.worker = worker
        job.result = self


async def fetch(job):
    await asyncio.sleep(0)
    job.attempts += 1
    if job.n % 17 == 0 and job.attempts == 1:
        raise ConnectionError(job.n)
    return job.n * job.n % 1009


async def worker(name, queue, results, stats, lock):
    while True:
        job = await queue.get()
        try:
            try:
                value = await fetch(job)
            except ConnectionError:
                value = await fetch(job)
                async with lock:
                    stats["retries"] += 1
            results.append(Result(job, value, name))
        finally:
            queue.task_done()


async def pipeline(batch, size):
    queue = asyncio.Queue()
    results = []
    stats = {"retries": 0}
    lock = asyncio.Lock()
    for n in range(batch * size, (batch + 1) * size):
        queue.put_nowait(Job(n))
    workers = [asyncio.create_task(worker("w%d" % i, queue, results, stats, lock)) for i in range(4)]
    await queue.join()
    for w in workers:
        w.cancel()
    outcomes = await asyncio.gather(*workers, return_exceptions=True)
    cancelled = sum(1 for o in outcomes if isinstance(o, asyncio.CancelledError))
    return sum(r.value for r in results), stats["retries"], cancelled, len(results)


async def main():
    out = []
    for b in range(5):
        out.append(await pipeline(b, 120))
    squares = await asyncio.gather(*(fetch(Job(i)) for i in range(1, 6)))
    ev = asyncio.Event()

    async def setter():
        await asyncio.sleep(0)
        ev.set()

    t = asyncio.create_task(setter())
    await ev.wait()
    await t
    return out, squares, ev.is_set()


batches, squares, ev_set = asyncio.run(main())
collected = gc.collect()

RESULT = {
    "batches": [list(b) for b in batches],
    "squares": squares,
    "event": ev_set,
    "collect": collected,
    "garbage": len(gc.garbage),
    "count_end": list(gc.get_count()),
}
