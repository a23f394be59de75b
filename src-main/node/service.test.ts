import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_METHODS, type AppEvent } from '../common/contract';
import type { RunSettings } from '../common/domain';
import { DEFAULT_SETTINGS, openApp, pickDemoScenario, type OpenApp } from './app';
import { openDatabase } from './db/open';
import { Store } from './db/store';
import { dispatch, Service } from './service';
import { fakeRunner, type FakeProgram } from './testing/fake-runner';
import { inProcessLauncher, type RunLauncher } from './workers/launcher';

const settings: RunSettings = { ...DEFAULT_SETTINGS, stepBudget: 1_000_000 };

let root: string;
let app: OpenApp;
let service: Service;
let events: AppEvent[];
let program: FakeProgram;

async function open(demo = false): Promise<OpenApp> {
  const opened = await openApp({
    dataDir: join(root, 'data'),
    scenariosDir: join(root, 'scenarios'),
    launcher: inProcessLauncher((...a) => fakeRunner(program)(...a)),
    desktop: false,
    demoOnFirstLaunch: demo,
  });
  service = opened.service;
  events = [];
  service.onEvent((e) => events.push(e));
  return opened;
}

const finished = (sessionId: number) =>
  new Promise<AppEvent>((resolve) => {
    const off = service.onEvent((e) => {
      if (e.name === 'runFinished' && e.payload.sessionId === sessionId) {
        off();
        resolve(e);
      }
    });
  });

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'pygc-svc-'));
  mkdirSync(join(root, 'scenarios'));
  writeFileSync(join(root, 'scenarios', 'cycles.py'), '"""Reference cycles\n\nObjects that point at each other."""\n');
  writeFileSync(join(root, 'scenarios', 'request-loop.py'), '"""A request loop\n\nA web server handling requests."""\n');
  program = { steps: 5000, collectEvery: 1500, print: ['ok'] };
  app = await open();
});
afterEach(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe('contract validation through the service', () => {
  it('bad arguments come back as typed invalid-argument errors naming the field', async () => {
    expect(await dispatch(service, 'getSession', { id: -1 })).toEqual({
      ok: false,
      error: { kind: 'invalid-argument', message: expect.stringContaining('id'), field: 'id' },
    });
    const bad = await dispatch(service, 'startRun', { scenarioId: 'cycles', settings: { ...settings, thresholds: [700, -1, 10] } });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-argument', field: 'settings.thresholds.1' } });
    const both = await dispatch(service, 'startRun', { scenarioId: 'cycles', source: 'x=1', filename: 'a.py', settings });
    expect(both).toMatchObject({ ok: false, error: { kind: 'invalid-argument', field: 'scenarioId' } });
    const noName = await dispatch(service, 'startRun', { source: 'x=1', settings });
    expect(noName).toMatchObject({ ok: false, error: { kind: 'invalid-argument', field: 'filename' } });
    expect(await dispatch(service, 'renameSession', { id: 1, name: '   ' })).toMatchObject({ ok: false, error: { field: 'name' } });
    expect(await dispatch(service, 'getSeries', { sessionId: 1, buckets: 10, from: 5, to: 1 })).toMatchObject({ ok: false, error: { field: 'to' } });
    expect(await dispatch(service, 'getSeries', 'nonsense')).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
  });

  it('implements every method of the contract', () => {
    for (const m of API_METHODS) expect(typeof service[m], m).toBe('function');
  });

  it('unknown methods and prototype names are refused', async () => {
    for (const m of ['dropTables', 'constructor', 'onEvent', 'stopAll', 42]) {
      expect(await dispatch(service, m, {})).toMatchObject({ ok: false, error: { kind: 'invalid-argument', field: 'method' } });
    }
  });

  it('missing sessions and scenarios are not-found', async () => {
    expect(await dispatch(service, 'getSession', { id: 999 })).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(await dispatch(service, 'deleteSession', { id: 999 })).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(await dispatch(service, 'stopRun', { sessionId: 999 })).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(await dispatch(service, 'startRun', { scenarioId: 'nope', settings })).toMatchObject({ ok: false, error: { kind: 'not-found', field: 'scenarioId' } });
  });
});

describe('runs through the service', () => {
  it('startRun returns the session at once, then records it and reports progress and the end', async () => {
    const { sessionId } = await service.startRun({ scenarioId: 'cycles', settings });
    expect((await service.getSession({ id: sessionId })).status).toBe('running');
    await finished(sessionId);
    const detail = await service.getSession({ id: sessionId });
    expect(detail).toMatchObject({ name: 'Reference cycles', scenario: 'cycles', status: 'complete', output: 'ok\n', sampleCount: 9, gcEventCount: 3 });
    const names = events.map((e) => e.name);
    expect(names[0]).toBe('sessionsChanged');
    expect(names).toContain('runProgress');
    expect(events.find((e) => e.name === 'runFinished')!.payload).toEqual({ sessionId, status: 'complete', message: null });
    // The output arrives as runOutput events, all of them before runFinished.
    expect(events.filter((e) => e.name === 'runOutput').map((e) => e.payload)).toEqual([{ sessionId, stream: 'stdout', text: 'ok\n' }]);
    expect(names.indexOf('runOutput')).toBeLessThan(names.indexOf('runFinished'));
    const series = await service.getSeries({ sessionId, buckets: 100 });
    expect(series.total).toBe(9);
    expect((await service.getGcEvents({ sessionId })).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(service.activeRuns()).toEqual([]);
  });

  it('runs a user script by source and file name', async () => {
    const { sessionId } = await service.startRun({ source: 'print("hi")\n', filename: '/home/me/leak.py', settings });
    await finished(sessionId);
    expect(await service.getSession({ id: sessionId })).toMatchObject({ name: 'leak.py', scenario: 'leak.py', source: 'print("hi")\n' });
  });

  it('stopRun stops a run and keeps what it recorded', async () => {
    let id = 0;
    program = { steps: 1_000_000, onStep: (s) => s === 3000 && void service.stopRun({ sessionId: id }) };
    ({ sessionId: id } = await service.startRun({ scenarioId: 'cycles', settings }));
    const end = await finished(id);
    expect(end.payload).toMatchObject({ status: 'stopped', message: 'Stopped on request' });
    expect(await service.getSession({ id })).toMatchObject({ status: 'stopped', sampleCount: 2, message: 'Stopped on request' });
    expect(await dispatch(service, 'stopRun', { sessionId: id })).toEqual({ ok: true });
  });

  it('a failing program ends failed with its message', async () => {
    program = { steps: 2000, failure: { kind: 'memory-limit', message: 'MemoryError: the memory limit was reached', traceback: null, location: null } };
    const { sessionId } = await service.startRun({ scenarioId: 'cycles', settings });
    const end = await finished(sessionId);
    expect(await service.getSession({ id: sessionId })).toMatchObject({ status: 'failed', message: 'MemoryError: the memory limit was reached', sampleCount: 2 });
    expect(end.payload).toEqual({ sessionId, status: 'failed', message: 'MemoryError: the memory limit was reached', failure: { kind: 'memory-limit', message: 'MemoryError: the memory limit was reached', location: null } });
  });

  it('a running session cannot be deleted; a finished one is, with its data', async () => {
    const { sessionId } = await service.startRun({ scenarioId: 'cycles', settings });
    expect(await dispatch(service, 'deleteSession', { id: sessionId })).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    await finished(sessionId);
    await service.deleteSession({ id: sessionId });
    expect(await service.listSessions({})).toEqual([]);
    expect(app.store.db.prepare('SELECT COUNT(*) AS n FROM samples').get()).toEqual({ n: 0 });
    expect(events.at(-1)).toEqual({ name: 'sessionsChanged', payload: { sessionId, change: 'deleted' } });
  });

  it('renames and searches sessions', async () => {
    const a = await service.startRun({ scenarioId: 'cycles', settings });
    await finished(a.sessionId);
    const b = await service.startRun({ scenarioId: 'request-loop', settings });
    await finished(b.sessionId);
    expect((await service.renameSession({ id: a.sessionId, name: '  Nightly  ' })).name).toBe('Nightly');
    expect((await service.listSessions({})).map((s) => s.id)).toEqual([b.sessionId, a.sessionId]);
    expect((await service.listSessions({ search: 'night' })).map((s) => s.id)).toEqual([a.sessionId]);
    expect((await service.listSessions({ search: 'request' })).map((s) => s.id)).toEqual([b.sessionId]);
  });

  it('lists the built-in scenarios and reports app info', async () => {
    expect((await service.listScenarios({})).map((s) => s.id)).toEqual(['cycles', 'request-loop']);
    expect(await service.appInfo({})).toMatchObject({ dataDir: join(root, 'data'), desktop: false, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});

describe('checkSource', () => {
  it('reports a syntax error at line:col, an unsupported construct, and null for a good script', async () => {
    expect(await service.checkSource({ source: 'x = 1\ndef f(:\n', filename: 'my.py' })).toEqual({
      failure: { kind: 'syntax', message: 'SyntaxError: invalid syntax at my.py:2:7', location: { filename: 'my.py', line: 2, col: 7 } },
    });
    const unsupported = await service.checkSource({ source: 'def f():\n    return 1\nimport json\n', filename: 'u.py' });
    expect(unsupported.failure).toMatchObject({ kind: 'unsupported', location: { filename: 'u.py', line: 3, col: 8 } });
    expect(JSON.parse(JSON.stringify(unsupported))).toEqual(unsupported);
    expect(await service.checkSource({ source: 'print(sum([1, 2]))\n', filename: 'ok.py' })).toEqual({ failure: null });
    await expect(service.checkSource({ source: 'x = 1', filename: '' })).rejects.toMatchObject({ kind: 'invalid-argument', field: 'filename' });
  });
});

describe('opening the app', () => {
  it('records a demo session on first launch only', async () => {
    await app.close();
    rmSync(join(root, 'data'), { recursive: true });
    app = await open(true);
    expect(app.demoSessionId).not.toBeNull();
    await finished(app.demoSessionId!);
    expect(await service.getSession({ id: app.demoSessionId! })).toMatchObject({ scenario: 'request-loop', status: 'complete', name: 'Demo: A request loop' });
    await app.close();
    app = await open(true);
    expect(app.demoSessionId).toBeNull();
    expect((await service.listSessions({})).length).toBe(1);
  });

  it('shows a session whose process died as interrupted, with its data', async () => {
    const id = app.store.createSession({ name: 'died', scenario: 'x.py', source: '', settings });
    app.store.appendBatch(id, [{ t: 1, liveBytes: 1, arenaBytes: 1, objects: 1, gen0: 0, gen1: 0, gen2: 0, count0: 0 }], [], {
      durationNs: 1,
      peakLiveBytes: 1,
      gcTotals: { collections: [0, 0, 0], collected: [0, 0, 0], uncollectable: [0, 0, 0] },
    });
    await app.close();
    app = await open();
    expect(await service.getSession({ id })).toMatchObject({ status: 'interrupted', sampleCount: 1 });
  });

  it('prefers the request-loop or leaking-cache scenario for the demo', () => {
    const s = (id: string) => ({ id, title: id, summary: '', source: '' });
    expect(pickDemoScenario([s('a'), s('leaking-cache'), s('z')])!.id).toBe('leaking-cache');
    expect(pickDemoScenario([s('a'), s('leaking-cache'), s('request-loop')])!.id).toBe('request-loop');
    expect(pickDemoScenario([s('api_request_loop'), s('cache_lru')])!.id).toBe('api_request_loop');
    expect(pickDemoScenario([s('b'), s('cache_lru')])!.id).toBe('cache_lru');
    expect(pickDemoScenario([s('b'), s('c')])!.id).toBe('b');
    expect(pickDemoScenario([])).toBeUndefined();
  });
});

describe('closing', () => {
  it('stopAll asks runs to stop, then ends those that do not within the timeout', async () => {
    const calls: string[] = [];
    const stubborn: RunLauncher = {
      start(_job, callbacks) {
        let finish: () => void = () => {};
        const done = new Promise<void>((r) => (finish = r));
        return {
          stop: () => calls.push('stop'),
          kill: () => {
            calls.push('kill');
            callbacks.onFinished({ status: 'failed', message: 'killed' });
            finish();
          },
          done,
        };
      },
    };
    const { db } = openDatabase(':memory:');
    const svc = new Service({ store: new Store(db), dbFile: ':memory:', dataDir: '/d', scenariosDir: join(root, 'scenarios'), launcher: stubborn, version: '0', desktop: false });
    const { sessionId } = await svc.startRun({ scenarioId: 'cycles', settings });
    await svc.stopAll(20);
    expect(calls).toEqual(['stop', 'kill']);
    expect(svc.activeRuns()).toEqual([]);
    expect((await svc.getSession({ id: sessionId })).status).toBe('failed');
    db.close();
  });
});
