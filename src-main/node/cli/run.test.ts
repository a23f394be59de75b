import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunFailure } from '../../python/program';
import { fakeRunner, type FakeProgram } from '../testing/fake-runner';
import { inProcessLauncher } from '../workers/launcher';
import { runCli, sessionLine } from './run';

let dir: string;
let out: string;
let err: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pygc-cli-'));
  writeFileSync(join(dir, 'leak.py'), 'print("hi")\n');
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (argv: string[], program: FakeProgram = { steps: 2000, print: ['hi'] }) =>
  runCli(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    launcher: inProcessLauncher(fakeRunner(program)),
    scenariosDir: join(dir, 'no-scenarios'),
    cwd: dir,
    env: { PYGC_LAB_DATA: join(dir, 'data') },
  });
const appDb = () => join(dir, 'data', 'pygc-lab.sqlite');

const sessions = (file: string) => {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT name, scenario, status, message, output, sample_count FROM sessions').all();
  db.close();
  return rows;
};

describe('pygc-lab run', () => {
  it('prints the output, records the session in the app database, exits 0', async () => {
    expect(await cli(['run', 'leak.py'])).toBe(0);
    expect(out).toBe('hi\n');
    expect(err).toBe(sessionLine(1, appDb()));
    expect(sessions(appDb())).toEqual([{ name: 'leak.py', scenario: 'leak.py', status: 'complete', message: null, output: 'hi\n', sample_count: 3 }]);
  });

  it('records into --db with --name', async () => {
    expect(await cli(['run', 'leak.py', '--db', 'mine.sqlite', '--name', 'Mine'])).toBe(0);
    expect(sessions(join(dir, 'mine.sqlite'))).toMatchObject([{ name: 'Mine' }]);
    expect(err).toBe(sessionLine(1, join(dir, 'mine.sqlite')));
    err = '';
    expect(await cli(['run', 'leak.py', '--db', 'mine.sqlite'])).toBe(0);
    expect(err).toBe(sessionLine(2, join(dir, 'mine.sqlite')));
  });

  it('exits 1 with the traceback on stderr for an uncaught exception', async () => {
    const traceback = 'Traceback (most recent call last):\n  File "leak.py", line 1, in <module>\nKeyError: \'x\'\n';
    const failure: RunFailure = { kind: 'exception', message: "KeyError: 'x'", traceback, location: { filename: 'leak.py', line: 1, col: 1 } };
    expect(await cli(['run', 'leak.py'], { steps: 10, failure })).toBe(1);
    expect(err).toBe(traceback + sessionLine(1, appDb()));
    expect(sessions(appDb())).toMatchObject([{ status: 'failed', message: "KeyError: 'x'" }]);
  });

  it('exits 2 with file:line:col for a syntax error or an unsupported construct', async () => {
    const syntax: RunFailure = { kind: 'syntax', message: 'SyntaxError: invalid syntax', traceback: null, location: { filename: 'leak.py', line: 3, col: 7 } };
    expect(await cli(['run', 'leak.py'], { steps: 0, failure: syntax })).toBe(2);
    expect(err).toBe('leak.py:3:7: SyntaxError: invalid syntax\n' + sessionLine(1, appDb()));
    err = '';
    expect(await cli(['run', 'leak.py'], { steps: 0, failure: { ...syntax, message: 'SyntaxError: invalid syntax at leak.py:3:7' } })).toBe(2);
    expect(err).toBe('leak.py:3:7: SyntaxError: invalid syntax\n' + sessionLine(2, appDb()));
    err = '';
    const unsupported: RunFailure = { kind: 'unsupported', message: 'async def is not supported', traceback: null, location: { filename: 'leak.py', line: 1, col: 1 } };
    expect(await cli(['run', 'leak.py'], { steps: 0, failure: unsupported })).toBe(2);
    expect(err).toBe('leak.py:1:1: async def is not supported\n' + sessionLine(3, appDb()));
  });

  it('exits 1 with the message when the step budget or memory limit stops the script', async () => {
    const failure: RunFailure = { kind: 'step-budget', message: 'stopped after 1,000 steps (the step budget)', traceback: null, location: null };
    expect(await cli(['run', 'leak.py'], { steps: 1000, failure })).toBe(1);
    expect(err).toBe('pygc-lab: stopped after 1,000 steps (the step budget)\n' + sessionLine(1, appDb()));
  });

  it('bad flags and missing files exit 2 with a clear message', async () => {
    expect(await cli(['run', 'leak.py', '--threshold', 'x'])).toBe(2);
    expect(err).toMatch(/^pygc-lab: --threshold takes three whole numbers.*\nTry 'pygc-lab --help'/);
    err = '';
    expect(await cli(['run', 'nothere.py'])).toBe(2);
    expect(err).toBe("pygc-lab: can't open file 'nothere.py': No such file or directory\n");
    expect(await cli(['--help'])).toBe(0);
    expect(out).toMatch(/^Usage: pygc-lab run FILE.py/);
  });

  it("leaves alone the sessions the app is running in the same database", async () => {
    expect(await cli(['run', 'leak.py'])).toBe(0);
    const db = new Database(appDb());
    db.prepare("UPDATE sessions SET status = 'running' WHERE id = 1").run();
    db.close();
    expect(await cli(['run', 'leak.py'])).toBe(0);
    expect(sessions(appDb())).toMatchObject([{ status: 'running' }, { status: 'complete' }]);
  });

  it('refuses a database it must not touch', async () => {
    writeFileSync(join(dir, 'notes.sqlite'), 'not a database');
    expect(await cli(['run', 'leak.py', '--db', 'notes.sqlite'])).toBe(1);
    expect(err).toMatch(/Refusing to open .*notes\.sqlite: it is not a SQLite database/);
  });
});
