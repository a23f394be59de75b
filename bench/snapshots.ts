// Snapshot comparison benchmark: two snapshots of 100k line groups each, compared the way the
// UI asks (from SQLite through SnapshotQueries, groupBy 'line', the first page), beside
// CPython's tracemalloc Snapshot.compare_to('lineno') on snapshots of the same size.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection, openDatabase } from '../src-main/node/db/open';
import { Store } from '../src-main/node/db/store';
import { SnapshotQueries } from '../src-main/node/snapshots/queries';
import { SnapshotStore } from '../src-main/node/snapshots/store';
import type { ProgramSnapshot, SnapshotGroup } from '../src-main/python/program';

const PAGE = 200;
const RUNS = 3;

export interface SnapshotBenchOptions {
  /** Line groups per snapshot; default 100,000 (what the figures' names say). Tests use fewer. */
  groups?: number;
  /** Also time CPython; default true. */
  cpython?: boolean;
  print?: (line: string) => void;
}

// Both sides hold the same shape: line i allocates one empty list (one 56-byte block) before
// the first snapshot and another before the second, so every one of the N lines changes.
// The code is compiled in chunks of 100 lines (each placed at its line with co_firstlineno):
// tracemalloc looks up the line of every allocation in its code object's line table, so one
// 100k-line code object would make building the snapshots quadratic (minutes), not compare_to.
const cpythonScript = (groups: number) => `
import sys, time, tracemalloc
N = ${groups}
CHUNK = 100
codes = []
for start in range(0, N, CHUNK):
    src = "\\n".join("keep.append([])" for i in range(start, min(N, start + CHUNK)))
    codes.append(compile(src, "gen.py", "exec").replace(co_firstlineno=start + 1))
ns = {"keep": []}
tracemalloc.start()
for code in codes:
    exec(code, ns)
base = tracemalloc.take_snapshot()
for code in codes:
    exec(code, ns)
target = tracemalloc.take_snapshot()
times = []
for _ in range(${RUNS}):
    t0 = time.perf_counter()
    diff = target.compare_to(base, "lineno")
    times.append(time.perf_counter() - t0)
assert len(diff) >= N, len(diff)
times.sort()
print("%.6f" % times[len(times) // 2])
`;

function cpythonSeconds(groups: number): number | null {
  const dir = mkdtempSync(join(tmpdir(), 'pygc-bench-snap-py-'));
  try {
    const file = join(dir, 'compare.py');
    writeFileSync(file, cpythonScript(groups));
    for (const exe of ['python3.11', 'python3']) {
      try {
        const out = execFileSync(exe, ['-S', file], { encoding: 'utf8', timeout: 300_000 });
        return Number(out.trim().split('\n').pop());
      } catch {
        // try the next interpreter name
      }
    }
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lineSnapshot(groups: number, copies: number, t: number): ProgramSnapshot {
  const rows: SnapshotGroup[] = new Array(groups);
  for (let i = 0; i < groups; i++) {
    rows[i] = {
      type: 'list',
      filename: 'gen.py',
      line: i + 1,
      count: copies,
      bytes: copies * 56,
      generations: [0, copies, 0, 0, 0],
    };
  }
  return { t, reason: 'script', groups: rows, graph: null, graphOmitted: 'benchmark: groups only' };
}

export async function runSnapshotBench(options: SnapshotBenchOptions = {}): Promise<void> {
  const groups = options.groups ?? 100_000;
  const print = options.print ?? ((line: string) => console.log(line));
  const dir = mkdtempSync(join(tmpdir(), 'pygc-bench-snap-'));
  try {
    const file = join(dir, 'bench.sqlite');
    const { db } = openDatabase(file);
    const sessionId = new Store(db).createSession({
      name: 'bench',
      scenario: 'gen.py',
      source: '',
      settings: { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 1e9, memoryLimitBytes: null, snapshotEveryMs: null },
    });
    const writer = new SnapshotStore(db);
    const baseId = writer.insert(sessionId, lineSnapshot(groups, 1, 1), 'gen.py');
    const targetId = writer.insert(sessionId, lineSnapshot(groups, 2, 2), 'gen.py');
    db.close();

    // As the UI would get it: a fresh connection, new query objects (no cached keys) each run.
    const reader = openConnection(file);
    const times: number[] = [];
    try {
      for (let r = 0; r < RUNS; r++) {
        const t0 = performance.now();
        const page = new SnapshotQueries(reader).compare({ baseId, targetId, groupBy: 'line', offset: 0, limit: PAGE });
        times.push((performance.now() - t0) / 1000);
        if (page.totalRows !== groups || page.rows.length !== Math.min(PAGE, groups)) {
          throw new Error(`compare saw ${page.totalRows} groups (page ${page.rows.length}), expected ${groups}`);
        }
      }
    } finally {
      reader.close();
    }
    times.sort((a, b) => a - b);
    const sim = times[Math.floor(times.length / 2)]!;
    print(`snapshot_diff_100k_sim ${sim.toFixed(3)} s`);
    if (options.cpython === false) return;
    const cpython = cpythonSeconds(groups);
    if (cpython === null) {
      print('snapshot_diff_100k_cpython unavailable (no python3 on PATH)');
      return;
    }
    print(`snapshot_diff_100k_cpython ${cpython.toFixed(3)} s`);
    print(`ratio snapshot_diff_100k ${(sim / cpython).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
