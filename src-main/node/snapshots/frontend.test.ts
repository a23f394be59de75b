// Capture and queries with the real Python front end (src-main/python): a leaking cache
// recorded through the recorder, then read back as the UI would.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunSettings } from '../../common/domain';
import { runProgram } from '../../python';
import { openDatabase, type Db } from '../db/open';
import { Store } from '../db/store';
import { record } from '../recorder/recorder';
import { SnapshotQueries } from './queries';

const SETTINGS: RunSettings = { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 5_000_000, memoryLimitBytes: null, snapshotEveryMs: null };

const LEAK = `import gc
import tracemalloc
class Entry:
    def __init__(self, key):
        self.payload = [key] * 10
cache = {}
tracemalloc.start()
for round in range(4):
    for i in range(200):
        cache[(round, i)] = Entry(i)
    tmp = [str(j) for j in range(300)]
    del tmp
    gc.collect()
    snap = tracemalloc.take_snapshot()
`;

let db: Db;
let store: Store;
let q: SnapshotQueries;
beforeEach(() => {
  db = openDatabase(':memory:').db;
  store = new Store(db);
  q = new SnapshotQueries(db);
});
afterEach(() => db.close());

function recordLeak(settings = SETTINGS, extra: Partial<Parameters<typeof record>[0]> = {}) {
  const sessionId = store.createSession({ name: 'leak', scenario: 'leak.py', source: LEAK, settings });
  const result = record({ store, sessionId, source: LEAK, filename: 'leak.py', settings, runProgram, ...extra });
  expect(result.status).toBe('complete');
  return sessionId;
}

describe('snapshots from the Python front end', () => {
  it("stores tracemalloc.take_snapshot() and finds the leaking cache's entries as suspects, retained by the global", () => {
    const sessionId = recordLeak();
    const list = q.list(sessionId);
    expect(list.map((s) => s.reason)).toEqual(['script', 'script', 'script', 'script']);
    expect(list.every((s) => s.graphKept)).toBe(true);

    const leaks = q.leakSuspects(sessionId);
    // The cache's entries are the first suspect, held by the cache dict; their payload lists are part of it.
    const entries = leaks.suspects[0]!;
    expect(entries).toMatchObject({ type: 'Entry', filename: 'leak.py', line: 10, counts: [200, 400, 600, 800], basis: 'retained', holder: { type: 'dict', line: 6 } });
    expect(entries.path).toMatchObject({ root: "global 'cache'", steps: [{ type: 'dict', filename: 'leak.py', line: 6 }] });
    expect(entries.retains.find((r) => r.type === 'list' && r.line === 5)?.counts).toEqual([200, 400, 600, 800]);
    // The temporary strs of each round are freed: no suspect.
    expect(leaks.suspects.some((s) => s.type === 'str' || s.retains.some((r) => r.type === 'str' && r.line === 11))).toBe(false);

    const retainers = q.retainers({ snapshotId: list[3]!.id, type: 'Entry', filename: 'leak.py', line: 10, limit: 5 });
    expect(retainers.objects).toBe(800);
    expect(retainers.paths[0]).toMatchObject({ root: "global 'cache'", count: 800, steps: [{ type: 'dict', filename: 'leak.py', line: 6, untracked: false }] });
    expect(retainers.retainedBytes).toBeGreaterThan(retainers.bytes);

    const cmp = q.compare({ baseId: list[0]!.id, targetId: list[3]!.id, groupBy: 'line', offset: 0, limit: 50 });
    expect(cmp.rows.find((r) => r.filename === 'leak.py' && r.line === 10)).toMatchObject({ countDiff: 600 * 2 });
    const lines = q.sourceLines(sessionId);
    expect(lines.filename).toBe('leak.py');
    expect(lines.lines.find((l) => l.line === 5)).toMatchObject({ count: 800 });
  });

  it('takes user and automatic snapshots from the running program', () => {
    let asked = true;
    const sessionId = recordLeak({ ...SETTINGS, snapshotEveryMs: 0.05 }, {
      tickEvery: 200,
      snapshotRequested: () => {
        const a = asked;
        asked = false;
        return a;
      },
    });
    const reasons = q.list(sessionId).map((s) => s.reason);
    expect(reasons.filter((r) => r === 'user')).toHaveLength(1);
    expect(reasons.filter((r) => r === 'auto').length).toBeGreaterThan(0);
    expect(reasons.filter((r) => r === 'script')).toHaveLength(4);
  });

  it('counts # New and # Deleted from object identities: churn at one line is not hidden by a flat count', () => {
    const CHURN = `import tracemalloc
class Job:
    pass
tracemalloc.start()
jobs = [Job() for i in range(5)]
first = tracemalloc.take_snapshot()
del jobs[:3]
jobs.extend([Job() for i in range(3)])
second = tracemalloc.take_snapshot()
`;
    const sessionId = store.createSession({ name: 'churn', scenario: 'churn.py', source: CHURN, settings: SETTINGS });
    expect(record({ store, sessionId, source: CHURN, filename: 'churn.py', settings: SETTINGS, runProgram }).status).toBe('complete');
    const [first, second] = q.list(sessionId);
    const cmp = q.compare({ baseId: first!.id, targetId: second!.id, groupBy: 'type', offset: 0, limit: 50 });
    expect(cmp.identity).toBe('objects');
    expect(cmp.rows.find((r) => r.type === 'Job')).toMatchObject({ count: 5, countDiff: 0, newCount: 3, deletedCount: 3 });
  });
});
