import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../common/domain';
import { DEFAULT_SETTINGS } from '../app';
import { workerLauncher } from './launcher';
import type { RunEnd, RunJob } from './protocol';

// A stand-in for out/main/run-worker.js: when the snapshot flag is raised it resets it and posts
// a stored snapshot, as runJob does; it finishes once stopped.
const SNAPSHOTTING_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const stop = new Int32Array(workerData.stopFlag);
const snap = new Int32Array(workerData.snapshotFlag);
let seq = 0;
parentPort.postMessage({ type: 'progress', progress: { sessionId: workerData.job.sessionId, steps: 0, t: 0, liveBytes: 0, collections: 0, samples: 0 } });
const timer = setInterval(() => {
  if (Atomics.exchange(snap, 0, 0) !== 0) {
    seq++;
    parentPort.postMessage({ type: 'snapshot', snapshot: { id: seq, sessionId: workerData.job.sessionId, seq, t: seq, reason: 'user', groups: 1, count: 1, bytes: 56, generations: [0, 1, 0, 0, 0], graphKept: true, graphOmitted: null } });
  }
  if (Atomics.load(stop, 0) !== 0) {
    clearInterval(timer);
    parentPort.postMessage({ type: 'finished', status: 'complete', message: null });
  }
}, 5);
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pygc-worker-snap-'));
  writeFileSync(join(dir, 'snapshotting.cjs'), SNAPSHOTTING_WORKER);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const job: RunJob = { dbFile: '/nonexistent', sessionId: 3, source: '', filename: 'x.py', settings: DEFAULT_SETTINGS };

describe('workerLauncher snapshot requests', () => {
  it('raises the shared snapshot flag and forwards the snapshots the thread stores', async () => {
    const snapshots: SnapshotInfo[] = [];
    const ends: RunEnd[] = [];
    let handle: ReturnType<ReturnType<typeof workerLauncher>['start']> | undefined = undefined;
    handle = workerLauncher(join(dir, 'snapshotting.cjs')).start(job, {
      onProgress: () => handle!.snapshot!(),
      onSnapshot: (s) => {
        snapshots.push(s);
        if (snapshots.length === 1) handle!.snapshot!();
        else handle!.stop();
      },
      onFinished: (e) => ends.push(e),
    });
    await handle.done;
    expect(snapshots.map((s) => [s.seq, s.sessionId, s.reason])).toEqual([
      [1, 3, 'user'],
      [2, 3, 'user'],
    ]);
    expect(ends).toEqual([{ status: 'complete', message: null }]);
  });
});
