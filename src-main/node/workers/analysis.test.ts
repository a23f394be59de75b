import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/contract';
import { workerAnalysis } from './analysis';

// Stand-ins for out/main/analysis-worker.js speaking the same protocol, so the thread handling
// (request ids, typed errors, crashes and restarts) is tested without a build.
const ECHO_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', (r) => {
  if (r.args.snapshotId === 404) return parentPort.postMessage({ id: r.id, ok: false, error: { kind: 'not-found', message: 'no snapshot 404', field: 'snapshotId' } });
  if (r.args.snapshotId === 500) process.exit(3);
  // Answer later requests first: replies are matched by id, not by order.
  setTimeout(() => parentPort.postMessage({ id: r.id, ok: true, value: { method: r.method, args: r.args, db: workerData.dbFile } }), r.method === 'retainers' ? 30 : 0);
});
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pygc-analysis-'));
  writeFileSync(join(dir, 'echo.cjs'), ECHO_WORKER);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workerAnalysis', () => {
  it('answers each request by id, from a thread given the database file', async () => {
    const a = workerAnalysis(join(dir, 'echo.cjs'), '/data/x.sqlite');
    const slow = a.retainers({ snapshotId: 3, limit: 5 });
    const fast = a.leakSuspects(9);
    expect(await fast).toEqual({ method: 'leakSuspects', args: { sessionId: 9 }, db: '/data/x.sqlite' });
    expect(await slow).toEqual({ method: 'retainers', args: { snapshotId: 3, limit: 5 }, db: '/data/x.sqlite' });
    await a.close();
  });

  it('an error reply is an AppError with its kind and field', async () => {
    const a = workerAnalysis(join(dir, 'echo.cjs'), 'db');
    const e = await a.retainers({ snapshotId: 404, limit: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ kind: 'not-found', field: 'snapshotId', message: 'no snapshot 404' });
    await a.close();
  });

  it('a crash fails the waiting requests as internal errors, and the next request starts a new thread', async () => {
    const a = workerAnalysis(join(dir, 'echo.cjs'), 'db');
    const e = await a.retainers({ snapshotId: 500, limit: 1 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'internal', message: expect.stringMatching(/exited unexpectedly \(code 3\)/) });
    expect(await a.leakSuspects(1)).toMatchObject({ method: 'leakSuspects' });
    await a.close();
  });

  it('close fails what is still waiting', async () => {
    const a = workerAnalysis(join(dir, 'echo.cjs'), 'db');
    const waiting = a.retainers({ snapshotId: 1, limit: 1 }).catch((x: unknown) => x);
    await a.close();
    expect(await waiting).toMatchObject({ kind: 'internal', message: 'the service is closing' });
  });
});
