// Two connections writing one file at once, for real: a neighbouring thread holds the write
// lock while a batch is appended. A deferred transaction reads first and then cannot upgrade
// (SQLITE_BUSY at once, busy_timeout notwithstanding); an IMMEDIATE one waits its turn.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../app';
import { openConnection, openDatabase } from './open';
import { Store } from './store';

const sqlitePath = createRequire(__filename).resolve('better-sqlite3');

/** A neighbour thread: takes the write lock, writes, holds it `holdMs`, commits. Resolves once it holds the lock. */
function neighbourHoldingWriteLock(file: string, holdMs: number): { locked: Promise<void>; done: Promise<void> } {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const Database = require(workerData.sqlitePath);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("UPDATE sessions SET name = 'neighbour' WHERE id = 1").run();
    parentPort.postMessage('locked');
    setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('done'); }, workerData.holdMs);
  `;
  const worker = new Worker(code, { eval: true, workerData: { file, holdMs, sqlitePath } });
  const locked = new Promise<void>((res, rej) => {
    worker.on('message', (m) => m === 'locked' && res());
    worker.on('error', rej);
  });
  const done = new Promise<void>((res) => worker.on('exit', () => res()));
  return { locked, done };
}

const sample = (t: number) => ({ t, liveBytes: t, arenaBytes: t, objects: 1, gen0: 1, gen1: 0, gen2: 0, count0: 1 });
const progress = { durationNs: 1, peakLiveBytes: 1, gcTotals: { collections: [0, 0, 0], collected: [0, 0, 0], uncollectable: [0, 0, 0] } as const };

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pygc-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('concurrent writers', () => {
  it('a batch appended while another connection holds the write lock waits for it instead of failing', async () => {
    const file = join(dir, 'db.sqlite');
    const { db: main } = openDatabase(file);
    const id = new Store(main).createSession({ name: 'mine', scenario: 'a.py', source: '', settings: DEFAULT_SETTINGS });
    main.close();

    const writer = openConnection(file);
    const store = new Store(writer);
    store.appendBatch(id, [sample(1)], [], { ...progress, gcTotals: structuredClone(progress.gcTotals) as never });
    const neighbour = neighbourHoldingWriteLock(file, 300);
    await neighbour.locked;
    const started = Date.now();
    // Reads sample_count, then writes: with a deferred transaction this threw "database is locked" at once.
    store.appendBatch(id, [sample(2), sample(3)], [], { ...progress, gcTotals: structuredClone(progress.gcTotals) as never });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await neighbour.done;
    expect(store.getSummary(id)).toMatchObject({ sampleCount: 3, name: 'neighbour' });
    expect(store.getSeries(id, 10).total).toBe(3);
    writer.close();
  });

  it('the same neighbour makes a deferred read-then-write transaction fail at once (the cause, kept visible)', async () => {
    const file = join(dir, 'db.sqlite');
    const { db: main } = openDatabase(file);
    new Store(main).createSession({ name: 'mine', scenario: 'a.py', source: '', settings: DEFAULT_SETTINGS });
    const readThenWrite = main.transaction(() => {
      main.prepare('SELECT sample_count FROM sessions WHERE id = 1').get();
      main.prepare('UPDATE sessions SET sample_count = 1 WHERE id = 1').run();
    });
    const neighbour = neighbourHoldingWriteLock(file, 300);
    await neighbour.locked;
    const started = Date.now();
    expect(() => readThenWrite.deferred()).toThrow(/database is locked/);
    expect(Date.now() - started).toBeLessThan(200);
    await neighbour.done;
    readThenWrite.immediate();
    main.close();
  });
});
