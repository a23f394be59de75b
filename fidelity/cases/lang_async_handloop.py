"""An async job runner on a hand-written event loop (no asyncio): async def/await on custom __await__ futures, async for over an async iterator, async with on a connection lock, cancellation by throw, and tasks that keep their loop alive."""
import gc


class Future:
    def __init__(self, loop):
        self.loop = loop
        self.done = False
        self.value = None
        self.waiters = []

    def set(self, value):
        self.done = True
        self.value = value
        for t in self.waiters:
            self.loop.ready.append(t)
        self.waiters = []

    def __await__(self):
        if not self.done:
            yield self
        return self.value


class Cancelled(Exception):
    pass


class Task:
    def __init__(self, loop, coro, name):
        self.loop = loop
        self.coro = coro
        self.name = name
        self.result = None
        self.finished = False

    def step(self, exc=None):
        try:
            fut = self.coro.throw(exc) if exc else self.coro.send(None)
        except StopIteration as stop:
            self.result = stop.value
            self.finished = True
            self.loop.finished.append(self)
        except Cancelled:
            self.result = "cancelled"
            self.finished = True
            self.loop.finished.append(self)
        else:
            fut.waiters.append(self)
            self.loop.pending.append(fut)


class Loop:
    def __init__(self):
        self.ready = []
        self.pending = []
        self.finished = []
        self.tick = 0

    def spawn(self, coro, name):
        t = Task(self, coro, name)
        self.ready.append(t)
        return t

    def sleep(self):
        return Future(self)

    def run(self):
        while self.ready or self.pending:
            self.tick += 1
            batch, self.ready = self.ready, []
            for t in batch:
                t.step()
            if self.pending:
                fut = self.pending.pop(0)
                if not fut.done:
                    fut.set(self.tick)


class Lock:
    def __init__(self, loop):
        self.loop = loop
        self.held = False
        self.entered = 0

    async def __aenter__(self):
        while self.held:
            await self.loop.sleep()
        self.held = True
        self.entered += 1
        return self

    async def __aexit__(self, et, ev, tb):
        self.held = False
        return False


class Rows:
    def __init__(self, loop, n):
        self.loop = loop
        self.n = n
        self.i = 0

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        await self.loop.sleep()
        self.i += 1
        return {"row": self.i, "payload": [self.i] * 3}


async def fetch(loop, lock, job):
    total = 0
    async with lock:
        async for row in Rows(loop, job % 5 + 1):
            total += row["row"]
    return total


async def handler(loop, lock, job):
    part = await fetch(loop, lock, job)
    more = await fetch(loop, lock, job + 1)
    return part + more


results = []
cancelled = 0
young = []
for round_no in range(20):
    loop = Loop()
    lock = Lock(loop)
    tasks = [loop.spawn(handler(loop, lock, j), "job%d" % j) for j in range(12)]
    victim = loop.spawn(handler(loop, lock, 99), "victim")
    victim.step(Cancelled())
    loop.ready.remove(victim)
    loop.run()
    results.append(sum(t.result for t in tasks))
    cancelled += sum(1 for t in loop.finished if t.result == "cancelled")
    if round_no == 0:
        pending_next = Rows(loop, 1).__anext__()
        first_kinds = [type(tasks[0].coro).__name__, type(pending_next).__name__]
        pending_next.close()
    del loop, lock, tasks, victim
    if round_no % 5 == 4:
        young.append(gc.collect(1))

RESULT = {
    "results": results[:3],
    "total": sum(results),
    "cancelled": cancelled,
    "kinds": first_kinds,
    "young": young,
    "collect": gc.collect(),
    "count_end": list(gc.get_count()),
}
