// Runs have an owner, for real: the built CLI (out/main/cli.js) records in a child process while
// the app opens the same database; then the child is killed with SIGKILL mid-run.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../common/contract';
import { openApp } from '../app';
import { INTERRUPTED_MESSAGE } from '../db/store';
import { fakeRunner } from '../testing/fake-runner';
import { inProcessLauncher } from '../workers/launcher';

const cliFile = resolve(__dirname, '../../../out/main/cli.js');
const built = existsSync(cliFile) && existsSync(resolve(__dirname, '../../../out/main/run-worker.js'));

describe.skipIf(!built)('run owners (built CLI in a child process)', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pygc-owner-'));
    mkdirSync(join(dir, 'scenarios'));
  });
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const row = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT id, status, message, sample_count AS samples, heartbeat_at AS heartbeat, owner_pid AS pid FROM sessions').get() as
        | { id: number; status: string; message: string | null; samples: number; heartbeat: number; pid: number }
        | undefined;
    } finally {
      db.close();
    }
  };

  it('the app leaves the live CLI run alone and refuses to delete it; after kill -9 it is "interrupted" with its samples up to the last second', async () => {
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const dbFile = join(dataDir, 'pygc-lab.sqlite');
    writeFileSync(join(dir, 'forever.py'), 'd = {}\ni = 0\nwhile True:\n    d[i % 1000] = [i]\n    i += 1\n');
    let stderr = '';
    child = spawn(process.execPath, [cliFile, 'run', 'forever.py', '--db', dbFile, '--step-budget', '10000000000'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => child!.once('exit', (_code, signal) => r(signal)));

    // Recording: samples arrive.
    const deadline = Date.now() + 30_000;
    const samples = () => {
      try {
        return row(dbFile)?.samples ?? 0;
      } catch {
        return 0; // not created yet
      }
    };
    while (samples() < 20) {
      if (Date.now() > deadline) throw new Error(`the CLI recorded nothing:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(row(dbFile)).toMatchObject({ status: 'running', pid: child.pid });

    // The app opens the same database: the CLI's live session is not "interrupted".
    const app = await openApp({ dataDir, scenariosDir: join(dir, 'scenarios'), launcher: inProcessLauncher(fakeRunner({ steps: 10 })), desktop: false, demoOnFirstLaunch: false });
    try {
      const id = row(dbFile)!.id;
      expect((await app.service.listSessions({})).map((s) => [s.id, s.status])).toEqual([[id, 'running']]);
      expect(await app.service.getSession({ id })).toMatchObject({ status: 'running' });
      // Deleting it is refused with a clear message (it used to crash the CLI with a FOREIGN KEY error).
      const refused = await app.service.deleteSession({ id }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).kind).toBe('conflict');
      expect((refused as AppError).message).toBe(`session ${id} is being recorded by another process (pid ${child.pid}); stop that run first`);
      expect(child.exitCode).toBeNull();

      // kill -9 mid-run.
      await new Promise((r) => setTimeout(r, 500));
      const killedAt = Date.now();
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const atKill = row(dbFile)!;
      expect(atKill.status).toBe('running');
      // Written up to the last second before the kill (batches are flushed every 250 ms).
      expect(killedAt - atKill.heartbeat).toBeLessThan(1000);

      // The open app sees the owner gone: "interrupted", with everything recorded up to then.
      const [summary] = await app.service.listSessions({});
      expect(summary).toMatchObject({ id, status: 'interrupted', message: INTERRUPTED_MESSAGE, sampleCount: atKill.samples });
      expect(summary!.sampleCount).toBeGreaterThan(20);
      expect((await app.service.getSeries({ sessionId: id, buckets: 10_000 })).total).toBe(atKill.samples);
      // And now it can be deleted.
      await app.service.deleteSession({ id });
      expect(await app.service.listSessions({})).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);
});
