import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../app';
import { openDatabase } from '../db/open';
import { Store } from '../db/store';
import { fakeRunner } from '../testing/fake-runner';
import type { WorkerMessage } from './protocol';
import { runJob } from './run-job';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pygc-job-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runJob (the worker body)', () => {
  it('records through its own connection and honours the shared stop flag', () => {
    const file = join(dir, 'db.sqlite');
    const main = openDatabase(file).db;
    const store = new Store(main);
    const sessionId = store.createSession({ name: 'w', scenario: 'w.py', source: '', settings: DEFAULT_SETTINGS });
    const stopFlag = new SharedArrayBuffer(4);
    const messages: WorkerMessage[] = [];
    const runner = fakeRunner({ steps: 1_000_000, onStep: (step) => step === 50_000 && Atomics.store(new Int32Array(stopFlag), 0, 1) });
    runJob({ job: { dbFile: file, sessionId, source: '', filename: 'w.py', settings: DEFAULT_SETTINGS, tickEvery: 1000 }, stopFlag }, (m) => messages.push(m), runner);
    expect(runner.calls).toHaveLength(1);
    expect(messages.at(-1)).toEqual({ type: 'finished', status: 'stopped', message: 'Stopped on request' });
    const progress = messages.filter((m) => m.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ progress: { sessionId, samples: 49 } });
    // Written through the job's own connection, read through the main one.
    expect(store.getSummary(sessionId)).toMatchObject({ status: 'stopped', sampleCount: 49 });
    main.close();
  });

  it('posts the output in order, coalesced by stream, all before the end with its failure', () => {
    const file = join(dir, 'db.sqlite');
    const main = openDatabase(file).db;
    const sessionId = new Store(main).createSession({ name: 'w', scenario: 'w.py', source: '', settings: DEFAULT_SETTINGS });
    const messages: WorkerMessage[] = [];
    const traceback = 'Traceback (most recent call last):\n  File "w.py", line 3, in <module>\nKeyError: 1\n';
    const runner = fakeRunner({
      steps: 10,
      print: ['a', 'b'],
      failure: { kind: 'exception', message: 'KeyError: 1', traceback, location: { filename: 'w.py', line: 3, col: 1 } },
    });
    runJob({ job: { dbFile: file, sessionId, source: '', filename: 'w.py', settings: DEFAULT_SETTINGS }, stopFlag: new SharedArrayBuffer(4) }, (m) => messages.push(m), runner);
    expect(messages.filter((m) => m.type === 'output' || m.type === 'finished')).toEqual([
      { type: 'output', stream: 'stdout', text: 'a\nb\n' },
      { type: 'output', stream: 'stderr', text: traceback },
      { type: 'finished', status: 'failed', message: 'KeyError: 1', failure: { kind: 'exception', message: 'KeyError: 1', location: { filename: 'w.py', line: 3, col: 1 } } },
    ]);
    main.close();
  });
});
