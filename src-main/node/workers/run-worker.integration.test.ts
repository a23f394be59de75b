// The built worker (out/main/run-worker.js) with the real Python front end, in a real
// thread: `npm test` builds before the unit tests; without a build this file is skipped.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../common/contract';
import { DEFAULT_SETTINGS, openApp, type OpenApp } from '../app';
import { workerLauncher } from './launcher';

const workerFile = resolve(__dirname, '../../../out/main/run-worker.js');

describe.skipIf(!existsSync(workerFile))('run worker thread (built)', () => {
  let root: string;
  let app: OpenApp;
  const events: AppEvent[] = [];

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'pygc-rw-'));
    mkdirSync(join(root, 'scenarios'));
    app = await openApp({ dataDir: join(root, 'data'), scenariosDir: join(root, 'scenarios'), launcher: workerLauncher(workerFile), desktop: false, demoOnFirstLaunch: false });
    events.length = 0;
    app.service.onEvent((e) => events.push(e));
  });
  afterEach(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const finished = (sessionId: number) =>
    new Promise<AppEvent & { name: 'runFinished' }>((done) => {
      const off = app.service.onEvent((e) => {
        if (e.name === 'runFinished' && e.payload.sessionId === sessionId) {
          off();
          done(e);
        }
      });
    });

  it('records a endless script while the main thread stays free, and stops on request keeping the data', async () => {
    const source = 'd = {}\ni = 0\nwhile True:\n    d[i] = [i]\n    i += 1\n';
    const { sessionId } = await app.service.startRun({ source, filename: 'forever.py', settings: { ...DEFAULT_SETTINGS, stepBudget: 10_000_000_000 } });
    const end = finished(sessionId);
    // Progress arrives here only if this thread is not the one running the script.
    while (!events.some((e) => e.name === 'runProgress' && e.payload.samples > 5)) await new Promise((r) => setTimeout(r, 20));
    const during = await app.service.getSeries({ sessionId, buckets: 100 });
    expect(during.total).toBeGreaterThan(0);
    await app.service.stopRun({ sessionId });
    expect((await end).payload).toEqual({ sessionId, status: 'stopped', message: 'Stopped on request' });
    const detail = await app.service.getSession({ id: sessionId });
    expect(detail.status).toBe('stopped');
    // One wording: not "stopped by the caller" in the output besides the status and message.
    expect(detail.output).not.toMatch(/stopped by/);
    expect(detail.sampleCount).toBeGreaterThanOrEqual(during.total);
    expect(detail.peakLiveBytes).toBeGreaterThan(0);
  });

  it('a script raising an exception ends failed with its traceback in the output', async () => {
    writeFileSync(join(root, 'scenarios', 'boom.py'), '"""Boom\n\nFails."""\nprint("before")\nx = {}["missing"]\n');
    const { sessionId } = await app.service.startRun({ scenarioId: 'boom', settings: DEFAULT_SETTINGS });
    const end = await finished(sessionId);
    expect(end.payload.status).toBe('failed');
    expect(end.payload.message).toMatch(/KeyError/);
    const detail = await app.service.getSession({ id: sessionId });
    expect(detail.output).toMatch(/^before\n/);
    expect(detail.output).toMatch(/Traceback \(most recent call last\):[\s\S]*KeyError/);
  });

  it('four runs started at once, three rounds, all complete (their batches wait for the write lock)', async () => {
    const source = 'x = []\nfor i in range(60000):\n    x.append([i])\n    if i % 5000 == 0:\n        x = []\n';
    for (let round = 0; round < 3; round++) {
      const ids = await Promise.all([0, 1, 2, 3].map((k) => app.service.startRun({ source, filename: `race${k}.py`, settings: DEFAULT_SETTINGS })));
      const ends = await Promise.all(ids.map(({ sessionId }) => finished(sessionId)));
      expect(ends.map((e) => [e.payload.status, e.payload.message])).toEqual(ids.map(() => ['complete', null]));
    }
  });

  it('an error inside the worker arrives with its message (a SqliteError used to arrive as "undefined")', async () => {
    const notADatabase = join(root, 'not-a-database.sqlite');
    writeFileSync(notADatabase, 'x'.repeat(4096));
    const end = await new Promise<{ status: string; message: string | null }>((done) =>
      workerLauncher(workerFile).start(
        { dbFile: notADatabase, sessionId: 1, source: 'x = 1\n', filename: 'x.py', settings: DEFAULT_SETTINGS },
        { onProgress: () => {}, onFinished: done },
      ),
    );
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/file is not a database/);
    expect(end.message).not.toMatch(/undefined/);
  });
});
