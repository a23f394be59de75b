import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../common/contract';
import { openDatabase, type Db } from '../db/open';
import { Store } from '../db/store';
import { SnapshotQueries } from './queries';
import { snapshotOf, type ModelHeap, type ModelObject } from './testing';

const SETTINGS = { profile: '3.11' as const, thresholds: [700, 10, 10] as [number, number, number], stepBudget: 1e6, memoryLimitBytes: null, snapshotEveryMs: null };

let db: Db;
let q: SnapshotQueries;
let sessionId: number;
beforeEach(() => {
  db = openDatabase(':memory:').db;
  q = new SnapshotQueries(db);
  sessionId = new Store(db).createSession({ name: 's', scenario: 'app.py', source: '', settings: SETTINGS });
});
afterEach(() => db.close());

/** A registry (global dict) holding `n` Session objects, each with an untracked dict of str. */
function registryHeap(n: number, idBase = 0): ModelHeap {
  const objects: ModelObject[] = [{ type: 'dict', line: 1, size: 200, refs: [], id: 1 }];
  for (let i = 0; i < n; i++) {
    const s = objects.length;
    objects[0]!.refs!.push(s);
    objects.push({ type: 'Session', line: 5, size: 48, refs: [s + 1], id: idBase + 10 * (i + 1) });
    objects.push({ type: 'dict', line: 6, size: 104, gen: 'u', refs: [s + 2], id: idBase + 10 * (i + 1) + 1 });
    objects.push({ type: 'str', line: 7, size: 60, gen: 'u', id: idBase + 10 * (i + 1) + 2 });
  }
  return { objects, roots: [{ index: 0, label: "module global 'registry'" }] };
}

describe('SnapshotQueries over the store', () => {
  it('lists snapshots with totals and pages one grouped, filtered and sorted', () => {
    const id = q.store.insert(sessionId, snapshotOf(registryHeap(3), 'script', 5000), 'app.py');
    expect(q.list(sessionId)).toEqual([
      { id, sessionId, seq: 1, t: 5000, reason: 'script', groups: 4, count: 10, bytes: 200 + 3 * 212, generations: [6, 0, 0, 4, 0], graphKept: true, graphOmitted: null },
    ]);
    const page = q.getSnapshot({ snapshotId: id, groupBy: 'type', offset: 0, limit: 2 });
    expect(page.totalRows).toBe(3);
    expect(page.totals.bytes).toBe(836);
    expect(page.rows.map((r) => [r.type, r.filename, r.line, r.count, r.bytes])).toEqual([
      ['dict', null, null, 4, 512],
      ['str', null, null, 3, 180],
    ]);
    const second = q.getSnapshot({ snapshotId: id, groupBy: 'type', offset: 2, limit: 2 });
    expect(second.rows.map((r) => r.type)).toEqual(['Session']);
    const filtered = q.getSnapshot({ snapshotId: id, groupBy: 'type-line', filter: 'DiCt', sort: 'key', offset: 0, limit: 10 });
    expect(filtered.rows.map((r) => [r.type, r.line, r.generations])).toEqual([
      ['dict', 1, [0, 0, 0, 1, 0]],
      ['dict', 6, [3, 0, 0, 0, 0]],
    ]);
    expect(() => q.getSnapshot({ snapshotId: 999, groupBy: 'type', offset: 0, limit: 1 })).toThrow(AppError);
  });

  it('compares two snapshots by object identity when both graphs carry engine ids', () => {
    const base = q.store.insert(sessionId, snapshotOf(registryHeap(2)), 'app.py');
    // Target: the first session object freed and a new one allocated (ids differ), plus one more.
    const heap = registryHeap(3);
    heap.objects[1]!.id = 9001;
    const target = q.store.insert(sessionId, snapshotOf(heap), 'app.py');
    const r = q.compare({ baseId: base, targetId: target, groupBy: 'type-line', offset: 0, limit: 10 });
    expect(r.identity).toBe('objects');
    const session = r.rows.find((x) => x.type === 'Session')!;
    expect(session).toMatchObject({ count: 3, countDiff: 1, newCount: 2, deletedCount: 1 });
    expect(r.rows.find((x) => x.type === 'str')).toMatchObject({ countDiff: 1, newCount: 1, deletedCount: 0 });

    const withoutIds = (h: ModelHeap) => ({ ...h, objects: h.objects.map(({ id: _id, ...o }) => o) });
    const b2 = q.store.insert(sessionId, snapshotOf(withoutIds(registryHeap(2))), 'app.py');
    const t2 = q.store.insert(sessionId, snapshotOf(withoutIds(heap)), 'app.py');
    const counts = q.compare({ baseId: b2, targetId: t2, groupBy: 'line', offset: 0, limit: 10 });
    expect(counts.identity).toBe('counts');
    expect(counts.rows.find((x) => x.line === 5)).toMatchObject({ countDiff: 1, newCount: 1, deletedCount: 0 });
    expect(() => q.compare({ baseId: 12345, targetId: t2, groupBy: 'line', offset: 0, limit: 10 })).toThrow(/no snapshot 12345/);
  });

  it('finds retainers through untracked dicts and refuses a snapshot without a graph', () => {
    const id = q.store.insert(sessionId, snapshotOf(registryHeap(4)), 'app.py');
    const r = q.retainers({ snapshotId: id, type: 'str', limit: 5 });
    expect(r).toMatchObject({ objects: 4, bytes: 240, retainedBytes: 240, unreachable: 0, totalPaths: 1 });
    expect(r.paths).toEqual([
      {
        root: "module global 'registry'",
        steps: [
          { type: 'dict', filename: 'main.py', line: 1, untracked: false },
          { type: 'Session', filename: 'main.py', line: 5, untracked: false },
          { type: 'dict', filename: 'main.py', line: 6, untracked: true },
        ],
        elidedSteps: 0,
        count: 4,
        bytes: 240,
        retainedBytes: 240,
      },
    ]);
    // A Session retains its dict and its str.
    expect(q.retainers({ snapshotId: id, type: 'Session', filename: 'main.py', line: 5, limit: 5 }).retainedBytes).toBe(4 * 212);

    const big = q.store.insert(sessionId, snapshotOf(registryHeap(4)), 'app.py', 5);
    expect(q.list(sessionId).find((s) => s.id === big)).toMatchObject({ graphKept: false, graphOmitted: 'the heap had 13 objects; graphs are kept up to 5' });
    let error: unknown;
    try {
      q.retainers({ snapshotId: big, type: 'str', limit: 5 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ kind: 'unavailable', field: 'snapshotId', message: expect.stringMatching(/13 objects/) });
  });

  it('ranks leak suspects across the session and gives per-line stats for the Source view', () => {
    const ids = [1, 2, 3].map((n) => q.store.insert(sessionId, snapshotOf({ ...registryHeap(n), objects: registryHeap(n).objects.map((o) => ({ ...o, file: 'app.py' })) }), 'app.py'));
    const leaks = q.leakSuspects(sessionId);
    expect(leaks.snapshots.map((s) => s.id)).toEqual(ids);
    // The registry dict is one object that grows in bytes only if resized; here it is constant: not a suspect.
    expect(leaks.suspects.map((s) => `${s.type}@${s.line}`)).toEqual(['Session@5']);
    // What the registry retains: itself (200 B) and each Session with its dict and str (212 B).
    expect(leaks.suspects[0]).toMatchObject({ counts: [1, 2, 3], bytes: [412, 624, 836], basis: 'retained', holder: { type: 'dict', line: 1 } });

    const last = q.sourceLines(sessionId);
    expect(last).toMatchObject({ filename: 'app.py', snapshotId: ids[2], baseId: null });
    expect(last.lines.map((l) => [l.line, l.count, l.bytes])).toEqual([
      [1, 1, 200],
      [5, 3, 144],
      [6, 3, 312],
      [7, 3, 180],
    ]);
    const diff = q.sourceLines(sessionId, ids[2], ids[0]);
    expect(diff.lines.find((l) => l.line === 7)).toMatchObject({ count: 3, countDiff: 2, bytesDiff: 120 });
    const other = new Store(db).createSession({ name: 'o', scenario: 'o.py', source: '', settings: SETTINGS });
    expect(q.sourceLines(other)).toEqual({ filename: '', snapshotId: null, baseId: null, lines: [] });
    expect(() => q.sourceLines(other, ids[0])).toThrow(/another session/);
  });
});

describe('SnapshotStore.insert', () => {
  it('a snapshot that fails to store leaves no rows and no stale cached keys behind', () => {
    const bad = snapshotOf(registryHeap(1));
    bad.graph!.group[1] = 99; // a group index the snapshot does not have
    bad.groups.push({ type: 'Fresh', filename: 'main.py', line: 9, count: 1, bytes: 1, generations: [0, 0, 0, 1, 0] });
    expect(() => q.store.insert(sessionId, bad, 'app.py')).toThrow(/object 1 is in group 99; the snapshot has 5 groups/);
    expect(q.list(sessionId)).toEqual([]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM snapshot_keys WHERE type = 'Fresh'").get()).toEqual({ n: 0 });
    const id = q.store.insert(sessionId, snapshotOf({ objects: [{ type: 'Fresh', line: 9, size: 1 }], roots: [] }), 'app.py');
    expect(q.getSnapshot({ snapshotId: id, groupBy: 'type-line', offset: 0, limit: 5 }).rows).toMatchObject([{ type: 'Fresh', line: 9 }]);
  });
});
