import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunProgress } from '../../common/domain';
import { DEFAULT_SETTINGS } from '../app';
import { workerLauncher } from './launcher';
import type { RunEnd, RunJob } from './protocol';

// Stand-ins for out/main/run-worker.js that speak the same protocol, so the thread
// handling (messages, the shared stop flag, crashes) is tested without a build.
const LOOPING_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const stop = new Int32Array(workerData.stopFlag);
let steps = 0;
const timer = setInterval(() => {
  steps += 1000;
  parentPort.postMessage({ type: 'progress', progress: { sessionId: workerData.job.sessionId, steps, t: steps, liveBytes: 1, collections: 0, samples: steps / 1000 } });
  if (Atomics.load(stop, 0) !== 0) {
    clearInterval(timer);
    parentPort.postMessage({ type: 'finished', status: 'complete', message: 'stopped by the user' });
  }
}, 5);
`;
const CRASHING_WORKER = `throw new Error('boom in the worker');`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pygc-worker-'));
  writeFileSync(join(dir, 'looping.cjs'), LOOPING_WORKER);
  writeFileSync(join(dir, 'crashing.cjs'), CRASHING_WORKER);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const job: RunJob = { dbFile: '/nonexistent', sessionId: 7, source: '', filename: 'x.py', settings: DEFAULT_SETTINGS };

describe('workerLauncher', () => {
  it('forwards progress from the thread and stops it through the shared flag', async () => {
    const progress: RunProgress[] = [];
    const ends: RunEnd[] = [];
    const handle = workerLauncher(join(dir, 'looping.cjs')).start(job, {
      onProgress: (p) => {
        progress.push(p);
        if (progress.length === 3) handle.stop();
      },
      onFinished: (e) => ends.push(e),
    });
    await handle.done;
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[0]!.sessionId).toBe(7);
    expect(ends).toEqual([{ status: 'complete', message: 'stopped by the user' }]);
  });

  it('a crashing worker ends the run as failed, once', async () => {
    const ends: RunEnd[] = [];
    const handle = workerLauncher(join(dir, 'crashing.cjs')).start(job, { onProgress: () => {}, onFinished: (e) => ends.push(e) });
    await handle.done;
    expect(ends).toHaveLength(1);
    expect(ends[0]!.status).toBe('failed');
    expect(ends[0]!.message).toMatch(/boom in the worker/);
  });
});

describe('workerLauncher kill', () => {
  it('ends a thread that does not stop, reporting the run as failed', async () => {
    const file = join(dir, 'stubborn.cjs');
    writeFileSync(file, "setInterval(() => {}, 1000);\n");
    const ends: RunEnd[] = [];
    const handle = workerLauncher(file).start(job, { onProgress: () => {}, onFinished: (e) => ends.push(e) });
    handle.stop();
    handle.kill();
    await handle.done;
    expect(ends).toEqual([{ status: 'failed', message: expect.stringMatching(/exited unexpectedly/) }]);
  });
});
