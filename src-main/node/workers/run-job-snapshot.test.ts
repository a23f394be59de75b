import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../app';
import { openDatabase } from '../db/open';
import { Store } from '../db/store';
import { SnapshotStore } from '../snapshots/store';
import { snapshotRunner } from '../snapshots/testing';
import type { WorkerMessage } from './protocol';
import { runJob } from './run-job';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pygc-job-snap-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runJob snapshot flag', () => {
  it('takes a snapshot when the shared flag is raised, resets it, and posts the stored snapshot', () => {
    const file = join(dir, 'db.sqlite');
    const main = openDatabase(file).db;
    const sessionId = new Store(main).createSession({ name: 'w', scenario: 'w.py', source: '', settings: DEFAULT_SETTINGS });
    const stopFlag = new SharedArrayBuffer(4);
    const snapshotFlag = new SharedArrayBuffer(4);
    const flag = new Int32Array(snapshotFlag);
    const runner = snapshotRunner({
      steps: 10_000,
      heapAt: () => ({ objects: [{ type: 'list', line: 2, size: 56 }], roots: [{ index: 0, label: 'g' }] }),
      onStep: (step) => (step === 3000 || step === 7000) && Atomics.store(flag, 0, 1),
    });
    const messages: WorkerMessage[] = [];
    runJob({ job: { dbFile: file, sessionId, source: '', filename: 'w.py', settings: DEFAULT_SETTINGS, tickEvery: 1000 }, stopFlag, snapshotFlag }, (m) => messages.push(m), runner);
    const posted = messages.flatMap((m) => (m.type === 'snapshot' ? [m.snapshot] : []));
    expect(posted.map((s) => [s.reason, s.t])).toEqual([
      ['user', 3_000_000],
      ['user', 7_000_000],
    ]);
    expect(Atomics.load(flag, 0)).toBe(0);
    expect(new SnapshotStore(main).list(sessionId)).toEqual(posted);
    main.close();
  });
});
