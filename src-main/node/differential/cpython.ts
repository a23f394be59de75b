// Runs programs on a real CPython through the shared recorder (../shared/fidelity/record.py):
// a long-lived helper process imports record.py from a scratch copy and, per request, runs the
// recorder's own passes (`run_pass`: a fresh `python -S -c DRIVER` each) with one seed-0 run,
// adding the program's stdout, which the recorder discards.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ExpectedCase } from '../fidelity/compare';

/** The recorder's pass kinds: plain (gc figures, RESULT, stdout), stats (sequence), mem (tracemalloc). */
export type PassKind = 'plain' | 'stats' | 'mem';

/** A recording in the fidelity format, plus the program's stdout (plain pass). */
export interface Recording extends ExpectedCase {
  stdout: string;
  /** Which passes ran: a figure of a pass that did not run is not compared. */
  passes: PassKind[];
}

export type RecordResult = { ok: true; recording: Recording } | { ok: false; error: string };

/** Python that serves JSON-line requests {name, source, passes} on stdin, one reply line each. */
export const HELPER = String.raw`
import json, os, sys, types
work, python = sys.argv[1], sys.argv[2]
sys.path.insert(0, work)
import record
_real_run = record.subprocess.run
_last = {}
def _run(*a, **k):
    p = _real_run(*a, **k)
    _last["proc"] = p
    return p
record.subprocess = types.SimpleNamespace(run=_run)
out = sys.stdout
for line in sys.stdin:
    req = json.loads(line)
    name, src, passes, cap = req["name"], req["source"], req["passes"], req.get("cap", 2000)
    try:
        compile(src, name + ".py", "exec")
    except (SyntaxError, ValueError) as e:
        out.write(json.dumps({"error": "SyntaxError: %s" % e}) + "\n"); out.flush(); continue
    path = os.path.join(record.CASES_DIR, name + ".py")
    with open(path, "w") as f:
        f.write(src)
    try:
        plain = record.run_pass(python, "plain", name, 0, cap)
        stdout = _last["proc"].stdout
        doc = {"format": record.FORMAT, "case": name, "python": plain["python"],
               "initial": plain["initial"], "gc": record.gc_block(plain),
               "sequence": None, "memory": None, "result": plain["result"], "stdout": stdout,
               "passes": ["plain"]}
        if "stats" in passes:
            st = record.run_pass(python, "stats", name, 0, cap)
            doc["sequence"] = {"fields": record.SEQUENCE_FIELDS, "total": st["sequence_total"],
                               "truncated": st["sequence_total"] > len(st["sequence"]),
                               "entries": st["sequence"]}
            doc["passes"].append("stats")
        if "mem" in passes and not plain["self_traces"]:
            doc["memory"] = record.run_pass(python, "mem", name, 0, cap)["memory"]
            doc["passes"].append("mem")
        reply = doc
    except Exception as e:
        reply = {"error": "%s: %s" % (type(e).__name__, str(e)[-1500:])}
    finally:
        os.unlink(path)
    out.write(json.dumps(reply) + "\n"); out.flush()
`;

function executableOf(exe: string): string | null {
  const r = spawnSync(exe, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

function pyenvRoot(): string {
  if (process.env.PYENV_ROOT) return process.env.PYENV_ROOT;
  const r = spawnSync('pyenv', ['root'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : join(homedir(), '.pyenv');
}

/**
 * The interpreter to measure, as an absolute path: `python3.13` on PATH if it runs (a pyenv
 * shim of a version that is not selected does not), else pyenv's newest 3.13.x; a path as is.
 * Null when none is installed.
 */
export function resolvePython(name: string): string | null {
  if (name.includes('/')) return existsSync(name) ? executableOf(name) : null;
  const onPath = executableOf(name);
  if (onPath) return onPath;
  const m = /^python(\d+\.\d+)$/.exec(name);
  if (!m) return null;
  const versions = join(pyenvRoot(), 'versions');
  if (!existsSync(versions)) return null;
  const found = readdirSync(versions)
    .filter((v) => v === m[1] || v.startsWith(m[1] + '.'))
    .map((v) => join(versions, v, 'bin', name))
    .filter((p) => existsSync(p))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return found.length ? executableOf(found[found.length - 1]) : null;
}

/** The shared recorder: ../shared/fidelity/record.py next to the repository. */
export function findRecorder(root: string): string | null {
  const p = join(root, '..', 'shared', 'fidelity', 'record.py');
  return existsSync(p) ? p : null;
}

/** One helper process; requests are answered in order. Call close() when done. */
export class CPythonRunner {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly work: string;
  private readonly pending: ((line: string | null) => void)[] = [];
  private stderr = '';
  private closed = false;

  constructor(
    readonly python: string,
    recorder: string,
  ) {
    this.work = mkdtempSync(join(tmpdir(), 'pygc-differential-'));
    mkdirSync(join(this.work, 'cases'));
    copyFileSync(recorder, join(this.work, 'record.py'));
    this.child = spawn(python, ['-S', '-c', HELPER, this.work, python], {
      env: { PATH: process.env.PATH ?? '', LC_ALL: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.pending.shift()?.(line));
    this.child.on('exit', () => {
      this.closed = true;
      for (const p of this.pending.splice(0)) p(null);
    });
  }

  /** Records `source` with the given passes (plain always runs). */
  record(name: string, source: string, passes: PassKind[]): Promise<RecordResult> {
    if (this.closed) return Promise.resolve({ ok: false, error: `recorder helper exited: ${this.stderr}` });
    return new Promise((resolveReply) => {
      this.pending.push((line) => {
        if (line === null) return resolveReply({ ok: false, error: `recorder helper exited: ${this.stderr}` });
        const doc = JSON.parse(line) as Recording | { error: string };
        resolveReply('error' in doc ? { ok: false, error: doc.error } : { ok: true, recording: doc });
      });
      this.child.stdin.write(JSON.stringify({ name, source, passes }) + '\n');
    });
  }

  close(): void {
    if (!this.closed) this.child.stdin.end();
    rmSync(this.work, { recursive: true, force: true });
  }
}
