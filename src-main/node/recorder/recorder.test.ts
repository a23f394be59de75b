import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunProgress, RunSettings } from '../../common/domain';
import { openDatabase, type Db } from '../db/open';
import { Store } from '../db/store';
import { fakeRunner, NS_PER_STEP } from '../testing/fake-runner';
import { OUTPUT_LIMIT, record, STOPPED_MESSAGE, type RecordOptions } from './recorder';

const settings: RunSettings = { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 1_000_000, memoryLimitBytes: null, snapshotEveryMs: null };

let db: Db;
let store: Store;
let sessionId: number;
beforeEach(() => {
  db = openDatabase(':memory:').db;
  store = new Store(db);
  sessionId = store.createSession({ name: 't', scenario: 't.py', source: 'pass', settings });
});
afterEach(() => db.close());

const opts = (runProgram: RecordOptions['runProgram'], extra: Partial<RecordOptions> = {}): RecordOptions => ({
  store,
  sessionId,
  source: 'pass',
  filename: 't.py',
  settings,
  runProgram,
  ...extra,
});

describe('record', () => {
  it('samples every tick and at every collection, and completes with totals', () => {
    const runner = fakeRunner({ steps: 10_000, collectEvery: 2500, print: ['hello'] });
    const result = record(opts(runner, { tickEvery: 1000 }));
    expect(result.status).toBe('complete');
    // 10 ticks + 4 collections + the final tick
    expect(result.samples).toBe(15);
    expect(result.gcEvents).toBe(4);
    const detail = store.getDetail(sessionId)!;
    expect(detail).toMatchObject({ status: 'complete', message: null, sampleCount: 15, gcEventCount: 4, output: 'hello\n', durationNs: 10_000 * NS_PER_STEP, peakLiveBytes: 11_000 });
    expect(detail.gcTotals.collections).toEqual([2, 1, 1]);
    expect(runner.calls[0]).toEqual({ source: 'pass', filename: 't.py', settings });
  });

  it('writes in batched transactions, not one per sample', () => {
    const append = vi.spyOn(store, 'appendBatch');
    let clock = 0;
    record(opts(fakeRunner({ steps: 100_000 }), { tickEvery: 10, batchSize: 2000, flushEveryMs: 1e9, now: () => clock++ }));
    const batches = append.mock.calls.map((c) => c[1].length);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(10_001);
    expect(append.mock.calls.length).toBe(6);
    expect(Math.max(...batches)).toBe(2000);
    expect(store.getSummary(sessionId)!.sampleCount).toBe(10_001);
  });

  it('flushes on time too, so a slow run shows its data while it runs', () => {
    const append = vi.spyOn(store, 'appendBatch');
    let clock = 0;
    record(opts(fakeRunner({ steps: 10_000 }), { tickEvery: 100, batchSize: 1e9, flushEveryMs: 10, now: () => (clock += 1) }));
    expect(append.mock.calls.length).toBeGreaterThanOrEqual(9);
  });

  it('throttles progress reports by time', () => {
    const progress: RunProgress[] = [];
    let clock = 0;
    const storedAtReport: number[] = [];
    const onProgress = (p: RunProgress) => {
      progress.push(p);
      storedAtReport.push(store.getSummary(sessionId)!.sampleCount);
    };
    record(opts(fakeRunner({ steps: 100_000 }), { tickEvery: 100, progressEveryMs: 100, now: () => (clock += 10), onProgress }));
    // What a report announces is already stored, so the UI can read it.
    expect(storedAtReport).toEqual(progress.map((p) => p.samples));
    // 1000 ticks, 10 time units each (two clock reads per tick): about 1 report per 5 ticks, plus the last.
    expect(progress.length).toBeGreaterThan(50);
    expect(progress.length).toBeLessThan(400);
    const last = progress[progress.length - 1]!;
    expect(last).toMatchObject({ sessionId, steps: 100_000, samples: 1001, t: 100_000 * NS_PER_STEP });
    expect(last.liveBytes).toBe(101_000);
  });

  it('stops when asked, keeping what was recorded, as "stopped" with the one wording', () => {
    let stop = false;
    const runner = fakeRunner({ steps: 1_000_000, onStep: (s) => (stop = s >= 5000) });
    const result = record(opts(runner, { tickEvery: 1000, shouldStop: () => stop }));
    expect(result.status).toBe('stopped');
    expect(result.message).toBe(STOPPED_MESSAGE);
    expect(result.outcome!.steps).toBe(5000);
    expect(store.getSummary(sessionId)).toMatchObject({ status: 'stopped', message: 'Stopped on request', sampleCount: 4 });
  });

  it('a failed program ends the session failed with its message and traceback, keeping its data', () => {
    const traceback = 'Traceback (most recent call last):\n  File "t.py", line 3, in <module>\nZeroDivisionError: division by zero\n';
    const runner = fakeRunner({
      steps: 3000,
      print: ['before'],
      failure: { kind: 'exception', message: 'ZeroDivisionError: division by zero', traceback, location: { filename: 't.py', line: 3, col: 5 } },
    });
    const result = record(opts(runner));
    expect(result.status).toBe('failed');
    expect(result.failure!.kind).toBe('exception');
    const detail = store.getDetail(sessionId)!;
    expect(detail).toMatchObject({ status: 'failed', message: 'ZeroDivisionError: division by zero', sampleCount: 3 });
    expect(detail.output).toBe('before\n' + traceback);
  });

  it('a step-budget stop is a failure with its message', () => {
    const runner = fakeRunner({ steps: 2000, failure: { kind: 'step-budget', message: 'stopped after 2,000 steps (the step budget)', traceback: null, location: null } });
    expect(record(opts(runner)).status).toBe('failed');
    expect(store.getSummary(sessionId)).toMatchObject({ status: 'failed', message: 'stopped after 2,000 steps (the step budget)', sampleCount: 2 });
  });

  it('a runner that throws fails the session as an internal error, keeping the samples so far', () => {
    const result = record(opts(fakeRunner({ steps: 10_000, throwAt: 4500 })));
    expect(result.status).toBe('failed');
    expect(result.message).toBe('internal error: runner exploded');
    expect(store.getSummary(sessionId)).toMatchObject({ status: 'failed', sampleCount: 4 });
  });

  it('caps the stored output', () => {
    const line = 'x'.repeat(1000);
    const printed: string[] = [];
    record(opts(fakeRunner({ steps: 10, print: Array.from({ length: 1500 }, () => line) }), { onOutput: (t) => printed.push(t) }));
    const output = store.getDetail(sessionId)!.output;
    expect(printed.length).toBe(1500);
    expect(output.length).toBeLessThan(OUTPUT_LIMIT + 100);
    expect(output.endsWith('[output truncated]\n')).toBe(true);
  });
});
