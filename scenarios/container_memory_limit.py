"""A container memory limit reached

This job keeps every parsed record in memory instead of processing them in batches. In a
container with a memory limit the kernel kills the process (OOM kill, exit code 137) the
moment it crosses the limit. Run it with a memory limit (e.g. 8 MB) to see the run end
exactly like that, and compare with the batched version below, which stays flat.
"""
BATCH = 500


def parse(i):
    return {"id": i, "payload": "x" * 200, "tags": ["a", "b", "c"]}


def batched(n):
    done = 0
    batch = []
    for i in range(n):
        batch.append(parse(i))
        if len(batch) == BATCH:
            done += len(batch)
            batch = []  # the previous batch is freed here
    return done + len(batch)


print("batched job processed", batched(20000), "records with a flat heap")

everything = []
for i in range(60000):
    # Unbounded: with a container limit this is where the OOM kill happens.
    everything.append(parse(i))
print("kept", len(everything), "records in memory")
