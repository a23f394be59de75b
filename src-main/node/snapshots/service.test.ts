// The snapshot methods of AppApi through the Service, with runs recorded in-process by a
// runProgram double whose state takes snapshots.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../common/contract';
import { DEFAULT_SETTINGS, openApp, type OpenApp } from '../app';
import { dispatch } from '../service';
import { inProcessLauncher } from '../workers/launcher';
import { snapshotRunner, type ModelHeap } from './testing';

let root: string;
let app: OpenApp;
let events: AppEvent[];

const heapAt = (step: number): ModelHeap => {
  const n = Math.floor(step / 1000);
  return {
    objects: [{ type: 'dict', line: 1, size: 232, refs: Array.from({ length: n }, (_, i) => i + 1) }, ...Array.from({ length: n }, () => ({ type: 'Session', line: 4, size: 48 }))],
    roots: [{ index: 0, label: "module global 'sessions'" }],
  };
};

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'pygc-snap-svc-'));
  mkdirSync(join(root, 'scenarios'));
  app = await openApp({
    dataDir: join(root, 'data'),
    scenariosDir: join(root, 'scenarios'),
    launcher: inProcessLauncher(snapshotRunner({ steps: 5000, heapAt, scriptSnapshotsAt: [2000, 3000, 4000] })),
    desktop: false,
    demoOnFirstLaunch: false,
  });
  events = [];
  app.service.onEvent((e) => events.push(e));
});
afterEach(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

const finished = (sessionId: number) =>
  new Promise<void>((resolve) => {
    const off = app.service.onEvent((e) => {
      if (e.name === 'runFinished' && e.payload.sessionId === sessionId) {
        off();
        resolve();
      }
    });
  });

describe('snapshot API', () => {
  it('takeSnapshot during a run, snapshotTaken events, then every query on the stored snapshots', async () => {
    const s = app.service;
    const { sessionId } = await s.startRun({ source: 'x = 1\n', filename: 'srv.py', settings: DEFAULT_SETTINGS });
    const done = finished(sessionId);
    await s.takeSnapshot({ sessionId });
    await done;

    const list = await s.listSnapshots({ sessionId });
    expect(list.map((x) => [x.seq, x.reason, x.count])).toEqual([
      [1, 'user', 2],
      [2, 'script', 3],
      [3, 'script', 4],
      [4, 'script', 5],
    ]);
    expect(events.filter((e) => e.name === 'snapshotTaken').map((e) => e.payload)).toEqual(list);

    const page = await s.getSnapshot({ snapshotId: list[3]!.id, groupBy: 'line' });
    expect(page.rows.map((r) => [r.filename, r.line, r.count])).toEqual([
      ['main.py', 1, 1],
      ['main.py', 4, 4],
    ]);
    const cmp = await s.compareSnapshots({ baseId: list[0]!.id, targetId: list[3]!.id, groupBy: 'type' });
    expect(cmp.rows[0]).toMatchObject({ type: 'Session', size: 192, sizeDiff: 144, countDiff: 3, newCount: 3 });
    const ret = await s.getRetainers({ snapshotId: list[3]!.id, type: 'Session' });
    expect(ret.paths).toMatchObject([{ root: "module global 'sessions'", count: 4, steps: [{ type: 'dict', line: 1 }] }]);
    const leaks = await s.getLeakSuspects({ sessionId });
    expect(leaks.suspects.map((x) => x.type)).toEqual(['Session']);
    expect((await s.getSourceLines({ sessionId })).filename).toBe('srv.py');

    await expect(s.takeSnapshot({ sessionId })).rejects.toMatchObject({ kind: 'conflict' });
    await expect(s.takeSnapshot({ sessionId: 999 })).rejects.toMatchObject({ kind: 'not-found', field: 'sessionId' });
    await expect(s.listSnapshots({ sessionId: 999 })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(s.getRetainers({ snapshotId: 999 })).rejects.toMatchObject({ kind: 'not-found', field: 'snapshotId' });
  });

  it('validates arguments through the transport dispatcher', async () => {
    expect(await dispatch(app.service, 'getSnapshot', { snapshotId: 1, groupBy: 'bogus' })).toMatchObject({ ok: false, error: { kind: 'invalid-argument', field: 'groupBy' } });
    expect(await dispatch(app.service, 'compareSnapshots', { baseId: 1, targetId: 2, groupBy: 'line', limit: 0 })).toMatchObject({ ok: false, error: { field: 'limit' } });
    expect(await dispatch(app.service, 'startRun', { source: 'x', filename: 'a.py', settings: { ...DEFAULT_SETTINGS, snapshotAtFullCollection: 'yes' } })).toMatchObject({
      ok: false,
      error: { field: 'settings.snapshotAtFullCollection' },
    });
  });
});
