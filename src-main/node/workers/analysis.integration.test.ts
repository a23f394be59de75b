// The built analysis worker (out/main/analysis-worker.js) on a 200k-object snapshot graph: the
// service answers other calls while it analyses. `npm test` builds before the unit tests;
// without a build this file is skipped.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, openApp, type OpenApp } from '../app';
import { snapshotRunner, type ModelHeap, type ModelObject } from '../snapshots/testing';
import { inProcessLauncher } from './launcher';

const workerFile = resolve(__dirname, '../../../out/main/analysis-worker.js');

// A module dict holding 999 lists of 199 Session objects each: 199,801 objects, under the
// 200k-object graph limit.
function bigHeap(): ModelHeap {
  const objects: ModelObject[] = [{ type: 'dict', line: 1, size: 36_960, refs: [] }];
  for (let l = 0; l < 999; l++) {
    const list = objects.length;
    objects[0]!.refs!.push(list);
    objects.push({ type: 'list', line: 5, size: 1656, refs: [] });
    for (let i = 0; i < 199; i++) {
      objects[list]!.refs!.push(objects.length);
      objects.push({ type: 'Session', line: 9, size: 48 });
    }
  }
  return { objects, roots: [{ index: 0, label: "module global 'sessions'" }] };
}

describe.skipIf(!existsSync(workerFile))('snapshot analysis worker (built)', () => {
  let root: string;
  let app: OpenApp;
  let snapshotId: number;
  let sessionId: number;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'pygc-analysis-int-'));
    mkdirSync(join(root, 'scenarios'));
    const heap = bigHeap();
    app = await openApp({
      dataDir: join(root, 'data'),
      scenariosDir: join(root, 'scenarios'),
      launcher: inProcessLauncher(snapshotRunner({ steps: 1000, heapAt: () => heap, scriptSnapshotsAt: [500] })),
      analysisWorkerFile: workerFile,
      desktop: false,
      demoOnFirstLaunch: false,
    });
    const done = new Promise<void>((r) => app.service.onEvent((e) => e.name === 'runFinished' && r()));
    ({ sessionId } = await app.service.startRun({ source: 'x = 1\n', filename: 'big.py', settings: DEFAULT_SETTINGS }));
    await done;
    const [snap] = await app.service.listSnapshots({ sessionId });
    expect(snap).toMatchObject({ count: 199_801, graphKept: true });
    snapshotId = snap!.id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('retainer paths of a 200k-object graph, while the service answers other calls and its thread stays free', async () => {
    const order: string[] = [];
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    const analysis = app.service.getRetainers({ snapshotId, type: 'Session' }).then((r) => {
      order.push('retainers');
      expect(timerFired).toBe(true);
      return r;
    });
    const other = app.service.listSessions({}).then((s) => {
      order.push('listSessions');
      return s;
    });
    const [result, sessions] = await Promise.all([analysis, other]);
    expect(order).toEqual(['listSessions', 'retainers']);
    expect(sessions.map((s) => s.id)).toEqual([sessionId]);
    expect(result).toMatchObject({ objects: 999 * 199, unreachable: 0, totalPaths: 1 });
    expect(result.paths[0]).toMatchObject({ root: "module global 'sessions'", count: 999 * 199, steps: [{ type: 'dict' }, { type: 'list' }] });
  });

  it('leak suspects and typed errors come back from the worker', async () => {
    expect(await app.service.getLeakSuspects({ sessionId })).toMatchObject({ suspects: [] });
    await expect(app.service.getRetainers({ snapshotId: 999 })).rejects.toMatchObject({ kind: 'not-found', field: 'snapshotId' });
  });
});
