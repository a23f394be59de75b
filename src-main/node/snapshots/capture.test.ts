// Capture in the recorder, with a runProgram double whose state takes snapshots.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunSettings, SnapshotInfo } from '../../common/domain';
import { openDatabase, type Db } from '../db/open';
import { Store } from '../db/store';
import { record } from '../recorder/recorder';
import { SnapshotStore } from './store';
import { snapshotRunner, type ModelHeap } from './testing';

const SETTINGS: RunSettings = { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 1e6, memoryLimitBytes: null, snapshotEveryMs: null };

let db: Db;
let store: Store;
let snaps: SnapshotStore;
beforeEach(() => {
  db = openDatabase(':memory:').db;
  store = new Store(db);
  snaps = new SnapshotStore(db);
});
afterEach(() => db.close());

/** One list per 100 steps, all held by a global list. */
const growing = (step: number): ModelHeap => {
  const n = Math.floor(step / 100);
  return {
    objects: [{ type: 'list', line: 1, size: 56 + 8 * n, refs: Array.from({ length: n }, (_, i) => i + 1) }, ...Array.from({ length: n }, () => ({ type: 'list', line: 3, size: 64 }))],
    roots: [{ index: 0, label: "module global 'items'" }],
  };
};

function run(settings: RunSettings, program: Omit<Parameters<typeof snapshotRunner>[0], 'heapAt'>, extra: Partial<Parameters<typeof record>[0]> = {}) {
  const sessionId = store.createSession({ name: 'cap', scenario: 'cap.py', source: '', settings });
  const stored: SnapshotInfo[] = [];
  const result = record({
    store,
    sessionId,
    source: '',
    filename: 'cap.py',
    settings,
    runProgram: snapshotRunner({ heapAt: growing, ...program }),
    tickEvery: 100,
    onSnapshot: (s) => stored.push(s),
    ...extra,
  });
  return { sessionId, result, stored, list: snaps.list(sessionId) };
}

describe('snapshot capture in the recorder', () => {
  it("stores the script's tracemalloc.take_snapshot() calls, whether the hook passes a snapshot or the state", () => {
    const fromState = run(SETTINGS, { steps: 1000, scriptSnapshotsAt: [250, 750] });
    expect(fromState.result.snapshots).toBe(2);
    expect(fromState.list.map((s) => [s.seq, s.reason, s.t, s.count])).toEqual([
      [1, 'script', 250_000, 3],
      [2, 'script', 750_000, 8],
    ]);
    expect(fromState.stored).toEqual(fromState.list);
    const passed = run(SETTINGS, { steps: 1000, scriptSnapshotsAt: [500], passSnapshot: true });
    expect(passed.list.map((s) => [s.reason, s.count, s.graphKept])).toEqual([['script', 6, true]]);
    expect(snaps.scriptFilename(passed.list[0]!.id)).toBe('cap.py');
  });

  it('takes a snapshot at the next tick when the user asks, once per request', () => {
    const asks = new Set([300, 700]);
    let pending = false;
    const r = run(SETTINGS, { steps: 1000, onStep: (step) => asks.has(step) && (pending = true) }, {
      snapshotRequested: () => {
        const asked = pending;
        pending = false;
        return asked;
      },
    });
    expect(r.list.map((s) => [s.reason, s.t])).toEqual([
      ['user', 300_000],
      ['user', 700_000],
    ]);
  });

  it('takes automatic snapshots every snapshotEveryMs of simulated time', () => {
    const r = run({ ...SETTINGS, snapshotEveryMs: 0.5 }, { steps: 2000 });
    expect(r.list.map((s) => [s.reason, s.t])).toEqual([
      ['auto', 500_000],
      ['auto', 1_000_000],
      ['auto', 1_500_000],
      ['auto', 2_000_000],
    ]);
  });

  it('takes one after each full collection only when snapshotAtFullCollection is set', () => {
    expect(run(SETTINGS, { steps: 1000, fullCollectionEvery: 400 }).list).toEqual([]);
    const on = run({ ...SETTINGS, snapshotAtFullCollection: true }, { steps: 1000, fullCollectionEvery: 400 });
    expect(on.list.map((s) => [s.reason, s.t])).toEqual([
      ['full-collection', 400_000],
      ['full-collection', 800_000],
    ]);
  });

  it('keeps the graph only up to maxGraphObjects and says why it did not', () => {
    const r = run(SETTINGS, { steps: 1000, scriptSnapshotsAt: [200, 900] }, { maxGraphObjects: 5 });
    expect(r.list.map((s) => [s.count, s.graphKept, s.graphOmitted])).toEqual([
      [3, true, null],
      [10, false, 'more than 5 objects'],
    ]);
  });

  it('a front end that cannot take snapshots records the run without them', () => {
    const r = run({ ...SETTINGS, snapshotEveryMs: 0.1 }, { steps: 1000, withoutSnapshots: true, scriptSnapshotsAt: [500] });
    expect(r.result.status).toBe('complete');
    expect(r.list).toEqual([]);
    expect(store.getSummary(r.sessionId)!.sampleCount).toBeGreaterThan(0);
  });
});
