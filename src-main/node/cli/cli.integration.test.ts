// The built command (out/main/cli.js) on the real service, worker thread and Python front end:
// `npm test` builds before the unit tests; without a build this file is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionLine } from './run';

const cliFile = resolve(__dirname, '../../../out/main/cli.js');

describe.skipIf(!existsSync(cliFile) || !existsSync(resolve(__dirname, '../../../out/main/run-worker.js')))('pygc-lab run (built)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pygc-cli-built-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (script: string, ...flags: string[]) => {
    writeFileSync(join(dir, 'script.py'), script);
    return spawnSync(process.execPath, [cliFile, 'run', 'script.py', '--db', 'runs.sqlite', ...flags], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  };

  it('prints the script output in order, then the session; a traceback and exit 1 for an exception', () => {
    const r = run('for i in range(3):\n    print("line", i)\nd = {}\nd["missing"]\n');
    expect(r.stdout).toBe('line 0\nline 1\nline 2\n');
    expect(r.stderr).toMatch(/^Traceback \(most recent call last\):\n[\s\S]*KeyError: 'missing'\n/);
    expect(r.stderr.endsWith(sessionLine(1, join(dir, 'runs.sqlite')))).toBe(true);
    expect(r.status).toBe(1);
    const db = new Database(join(dir, 'runs.sqlite'), { readonly: true });
    expect(db.prepare('SELECT name, status, output FROM sessions').all()).toMatchObject([{ name: 'script.py', status: 'failed', output: expect.stringContaining('line 2\n') }]);
    db.close();
  });

  it('exits 0 on success and 2 with FILE:LINE:COL for a syntax error', () => {
    const ok = run('x = [1, 2]\nprint(len(x))\n', '--name', 'Two');
    expect([ok.status, ok.stdout]).toEqual([0, '2\n']);
    const bad = run('x = (\n');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^script\.py:\d+:\d+: SyntaxError/);
    // A run that never started records no session.
    expect(bad.stderr).not.toMatch(/recorded as session/);
    const db = new Database(join(dir, 'runs.sqlite'), { readonly: true });
    expect(db.prepare('SELECT name FROM sessions').all()).toEqual([{ name: 'Two' }]);
    db.close();
  });
});
