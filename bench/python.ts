// Python front end benchmark: building 1M tree nodes in the simulator vs in CPython.
// Prints `python_build_1M_sim`, `python_build_1M_cpython` and their ratio (target ≤ 2.0).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../src-main/python';
import { DEFAULT_THRESHOLDS } from '../src-main/common/domain';

/** 10,000 roots × 100 nodes: 1M instances, each with its own children list. */
export const BUILD_1M = `import time


class Node:
    def __init__(self, parent):
        self.parent = parent
        self.children = []


start = time.perf_counter()
roots = []
for r in range(10000):
    root = Node(None)
    children = root.children
    for c in range(99):
        children.append(Node(root))
    roots.append(root)
elapsed = time.perf_counter() - start
print("%.6f" % elapsed)
`;

function cpythonSeconds(source: string): number | null {
  const dir = mkdtempSync(join(tmpdir(), 'pygc-bench-'));
  try {
    const file = join(dir, 'build_1m.py');
    writeFileSync(file, source);
    for (const exe of ['python3.11', 'python3']) {
      try {
        const out = execFileSync(exe, ['-S', file], { encoding: 'utf8', timeout: 600_000 });
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

export async function runPythonBench(): Promise<void> {
  const settings = { profile: '3.11' as const, thresholds: DEFAULT_THRESHOLDS['3.11'], stepBudget: 1e12, memoryLimitBytes: null, snapshotEveryMs: null };
  const t0 = performance.now();
  const outcome = runProgram(BUILD_1M, 'build_1m.py', settings, {});
  const sim = (performance.now() - t0) / 1000;
  if (outcome.status !== 'complete') throw new Error(`simulator run failed: ${outcome.failure?.message}`);
  console.log(`python_build_1M_sim ${sim.toFixed(3)} s`);
  const cpython = cpythonSeconds(BUILD_1M);
  if (cpython === null) {
    console.log('python_build_1M_cpython unavailable (no python3 on PATH)');
    return;
  }
  console.log(`python_build_1M_cpython ${cpython.toFixed(3)} s`);
  console.log(`ratio python_build_1M ${(sim / cpython).toFixed(2)}`);
}
