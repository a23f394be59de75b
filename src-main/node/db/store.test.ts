import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GcEvent, RunSettings, Sample } from '../../common/domain';
import { openDatabase, type Db } from './open';
import { BLOCK_SERIES_SQL, BLOCK_SIZE, FIRST_SEQ_SQL, GC_EVENTS_SQL, LAST_SEQ_SQL, SERIES_SQL, Store } from './store';

const settings: RunSettings = { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 1_000_000, memoryLimitBytes: null, snapshotEveryMs: null };
const totals = { collections: [1, 0, 0] as [number, number, number], collected: [3, 0, 0] as [number, number, number], uncollectable: [0, 0, 0] as [number, number, number] };

function sample(t: number, liveBytes: number): Sample {
  return { t, liveBytes, arenaBytes: liveBytes * 2, objects: t, gen0: 1, gen1: 2, gen2: 3, count0: 4 };
}
function event(seq: number, t: number): GcEvent {
  return { seq, t, generation: (seq % 3) as 0 | 1 | 2, collected: seq, uncollectable: 0, explicit: seq === 2, sizes: [700, 1, 2, 0] };
}

let db: Db;
let store: Store;
beforeEach(() => {
  db = openDatabase(':memory:').db;
  store = new Store(db);
});
afterEach(() => db.close());

const newSession = (name: string, scenario = 'leaky-cache', createdAt?: string) =>
  store.createSession({ name, scenario, source: 'x = 1\n', settings, ...(createdAt ? { createdAt } : {}) });

describe('Store sessions', () => {
  it('creates a running session and reads it back in full', () => {
    const id = newSession('First');
    const detail = store.getDetail(id)!;
    expect(detail).toMatchObject({ id, name: 'First', scenario: 'leaky-cache', status: 'running', profile: '3.11', source: 'x = 1\n', settings, sampleCount: 0, message: null });
    expect(Date.parse(detail.createdAt)).not.toBeNaN();
    expect(store.getDetail(id + 100)).toBeNull();
  });

  it('lists newest first and searches name and scenario, treating % and _ literally', () => {
    const a = newSession('alpha run', 'request-loop', '2026-01-01T00:00:00.000Z');
    const b = newSession('beta 100%', 'leaky-cache', '2026-01-02T00:00:00.000Z');
    const c = newSession('gamma_x', 'my_script.py', '2026-01-03T00:00:00.000Z');
    expect(store.listSessions().map((s) => s.id)).toEqual([c, b, a]);
    expect(store.listSessions('LOOP').map((s) => s.id)).toEqual([a]);
    expect(store.listSessions('100%').map((s) => s.id)).toEqual([b]);
    expect(store.listSessions('a_').map((s) => s.id)).toEqual([c]);
    expect(store.listSessions('zzz')).toEqual([]);
  });

  it('renames, and deletes with its samples and collections', () => {
    const id = newSession('old');
    const other = newSession('other');
    store.appendBatch(id, [sample(1, 10)], [event(1, 1)], { durationNs: 1, peakLiveBytes: 10, gcTotals: totals });
    store.appendBatch(other, [sample(1, 10)], [], { durationNs: 1, peakLiveBytes: 10, gcTotals: totals });
    expect(store.renameSession(id, 'new')).toBe(true);
    expect(store.getSummary(id)!.name).toBe('new');
    expect(store.deleteSession(id)).toBe(true);
    expect(store.deleteSession(id)).toBe(false);
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples WHERE session_id = ?').get(id)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM gc_events WHERE session_id = ?').get(id)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM sample_blocks WHERE session_id = ?').get(id)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples WHERE session_id = ?').get(other)).toEqual({ n: 1 });
  });

  it('appends batches, counts them, and finishes with totals and output', () => {
    const id = newSession('run');
    store.appendBatch(id, [sample(1, 10), sample(2, 30)], [event(1, 2)], { durationNs: 2, peakLiveBytes: 30, gcTotals: totals, output: 'hi\n' });
    store.appendBatch(id, [sample(3, 20)], [event(2, 3)], { durationNs: 3, peakLiveBytes: 30, gcTotals: totals });
    expect(store.getDetail(id)).toMatchObject({ sampleCount: 3, gcEventCount: 2, durationNs: 3, peakLiveBytes: 30, output: 'hi\n', status: 'running' });
    store.finishSession(id, { status: 'failed', message: 'ZeroDivisionError: division by zero', output: 'hi\nTraceback…', durationNs: 4, peakLiveBytes: 30, gcTotals: totals });
    expect(store.getDetail(id)).toMatchObject({ status: 'failed', message: 'ZeroDivisionError: division by zero', output: 'hi\nTraceback…', gcTotals: totals, sampleCount: 3 });
    expect(store.getGcEvents(id, 10)).toEqual([event(1, 2), event(2, 3)]);
  });

  it('marks sessions left running as interrupted, keeping their data', () => {
    const running = newSession('crashed');
    const done = newSession('done');
    store.appendBatch(running, [sample(1, 10)], [], { durationNs: 1, peakLiveBytes: 10, gcTotals: totals });
    store.finishSession(done, { status: 'complete', message: null, output: '', durationNs: 0, peakLiveBytes: 0, gcTotals: totals });
    // Its recorder (this store) is alive: left alone. Once it lets go (its process closed it), marked.
    expect(store.markRunningInterrupted()).toEqual([]);
    expect(store.getSummary(running)!.status).toBe('running');
    store.releaseOwnership();
    expect(store.markRunningInterrupted()).toEqual([running]);
    expect(store.getSummary(running)).toMatchObject({ status: 'interrupted', sampleCount: 1 });
    expect(store.getSummary(running)!.message).toMatch(/ended unexpectedly/);
    expect(store.getSummary(done)!.status).toBe('complete');
  });
});

describe('Store series and events', () => {
  it('downsamples to min/max buckets, keeping a one-sample spike', () => {
    const id = newSession('s');
    const samples: Sample[] = [];
    for (let t = 0; t < 10_000; t++) samples.push(sample(t, t === 4321 ? 999_999 : 100 + (t % 50)));
    store.appendBatch(id, samples, [], { durationNs: 9999, peakLiveBytes: 999_999, gcTotals: totals });
    const series = store.getSeries(id, 100);
    expect(series.total).toBe(10_000);
    expect(series.from).toBe(0);
    expect(series.to).toBe(9999);
    expect(series.t.length).toBeLessThanOrEqual(200);
    expect(series.t.length).toBeGreaterThan(100);
    expect(Math.max(...series.values.liveBytes)).toBe(999_999);
    expect(Math.min(...series.values.liveBytes)).toBe(100);
    expect(series.values.arenaBytes).toContain(1_999_998);
    for (let i = 1; i < series.t.length; i++) expect(series.t[i]).toBeGreaterThanOrEqual(series.t[i - 1]!);
    for (const m of Object.values(series.values)) expect(m.length).toBe(series.t.length);
  });

  it('restricts the series to the requested range, and returns everything when buckets exceed samples', () => {
    const id = newSession('s');
    store.appendBatch(id, [0, 10, 20, 30, 40].map((t) => sample(t, t)), [], { durationNs: 40, peakLiveBytes: 40, gcTotals: totals });
    const part = store.getSeries(id, 1000, 10, 30);
    expect(part.total).toBe(3);
    expect(part.t).toEqual([10, 20, 30]);
    expect(part.values.liveBytes).toEqual([10, 20, 30]);
    const one = store.getSeries(id, 1, 15, 15);
    expect(one.total).toBe(0);
    expect(store.getSeries(newSession('empty'), 10)).toMatchObject({ total: 0, t: [] });
  });

  it('returns collections of a time range in order, up to the limit', () => {
    const id = newSession('s');
    store.appendBatch(id, [], [1, 2, 3, 4, 5].map((s) => event(s, s * 10)), { durationNs: 50, peakLiveBytes: 0, gcTotals: totals });
    expect(store.getGcEvents(id, 100, 20, 40).map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(store.getGcEvents(id, 2).map((e) => e.seq)).toEqual([1, 2]);
    expect(store.getGcEvents(id, 100)[1]!.explicit).toBe(true);
  });

  it('long ranges come from the per-block min/max with exact ends, across batches', () => {
    const id = newSession('long');
    const n = 40_000;
    const spikeAt = 31_337;
    const all: Sample[] = [];
    for (let t = 0; t < n; t++) all.push(sample(t, t === spikeAt ? 5_000_000 : 1000 + (t % 977)));
    // Odd batch sizes so blocks are filled over several transactions.
    for (let i = 0; i < n; i += 3001) store.appendBatch(id, all.slice(i, i + 3001), [], { durationNs: n, peakLiveBytes: 5_000_000, gcTotals: totals });
    const blocks = db.prepare('SELECT COUNT(*) AS k, SUM(n) AS n FROM sample_blocks WHERE session_id = ?').get(id);
    expect(blocks).toEqual({ k: Math.ceil(n / BLOCK_SIZE), n });

    const whole = store.getSeries(id, 100);
    expect(whole.total).toBe(n);
    expect(whole.t.length).toBeLessThanOrEqual(200);
    expect(Math.max(...whole.values.liveBytes)).toBe(5_000_000);
    expect(Math.min(...whole.values.liveBytes)).toBe(1000);
    expect(whole.t[0]).toBe(0);
    expect(whole.t.at(-1)).toBe(n - 1);
    for (let i = 1; i < whole.t.length; i++) expect(whole.t[i]).toBeGreaterThanOrEqual(whole.t[i - 1]!);

    // A range starting and ending mid-block: exact count, nothing from outside it.
    const from = spikeAt + 1;
    const part = store.getSeries(id, 50, from, 39_000.5);
    expect(part.total).toBe(39_000 - from + 1);
    expect(Math.max(...part.values.liveBytes)).toBe(1976);
    expect(part.t[0]).toBe(from);
    expect(part.t.at(-1)).toBe(39_000);
    // The same range read sample by sample (few buckets would force blocks; many force raw).
    const rawPart = store.getSeries(id, 10_000, from, 39_000.5);
    expect(rawPart.total).toBe(part.total);
    expect(Math.min(...rawPart.values.objects)).toBe(Math.min(...part.values.objects));
    expect(Math.max(...rawPart.values.objects)).toBe(Math.max(...part.values.objects));
  });

  it('hot queries use the indexes (EXPLAIN QUERY PLAN)', () => {
    const plan = (sql: string, ...params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    const args = { sessionId: 1, from: 0, scale: 1, lastBucket: 9, lo: 0, hi: 100 };
    expect(plan(FIRST_SEQ_SQL, 1, 0)).toMatch(/SEARCH samples USING (COVERING )?INDEX samples_by_session_time \(session_id=\? AND t>\?\)/);
    expect(plan(LAST_SEQ_SQL, 1, 0)).toMatch(/SEARCH samples USING (COVERING )?INDEX samples_by_session_time \(session_id=\? AND t<\?\)/);
    expect(plan(SERIES_SQL, args)).toMatch(/SEARCH samples USING PRIMARY KEY \(session_id=\? AND seq>\? AND seq<\?\)/);
    expect(plan(BLOCK_SERIES_SQL, args)).toMatch(/SEARCH sample_blocks USING PRIMARY KEY \(session_id=\? AND block>\? AND block<\?\)/);
    const bounds = plan('SELECT MIN(t) AS lo, MAX(t) AS hi FROM samples WHERE session_id = ?', 1);
    expect(bounds).toMatch(/samples_by_session_time/);
    const events = plan(GC_EVENTS_SQL, { sessionId: 1, from: 0, to: 10, limit: 10 });
    expect(events).toMatch(/gc_events_by_session_time/);
    expect(events).not.toMatch(/SCAN gc_events/);
    const list = plan('SELECT id FROM sessions ORDER BY created_at DESC, id DESC');
    expect(list).not.toMatch(/TEMP B-TREE/);
  });
});
