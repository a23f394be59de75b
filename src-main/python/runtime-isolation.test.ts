// Two runtimes on one thread: the interpreter keeps no module state, so a program run (or a
// syntax check) started from inside another run's hook leaves both with the figures they have alone.
import { describe, expect, it } from 'vitest';
import { checkSyntax, runProgram } from './index';
import type { ProgramState, RunOptions } from './program';
import type { RunSettings } from '../common/domain';

const SETTINGS: RunSettings = { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 10_000_000, memoryLimitBytes: null, snapshotEveryMs: null };

const A = [
  'import gc, sys, time, tracemalloc',
  'class Node:',
  '    def __init__(self, i):',
  '        self.i = i',
  '        self.me = self',
  'tracemalloc.start()',
  'time.sleep(0.5)',
  'keep = [Node(i) for i in range(3000)]',
  'del keep',
  'n = gc.collect()',
  'cur, peak = tracemalloc.get_traced_memory()',
  'print("A", n, sys.getrefcount(Node))',
  'RESULT = [n, peak > 0, repr(Node(1))[:15], sorted({3, 1, 2}), "%d-%s" % (4, "x")]',
].join('\n') + '\n';

const B = [
  'import weakref, gc',
  'class V:',
  '    pass',
  'd = weakref.WeakValueDictionary()',
  'vs = [V() for i in range(50)]',
  'for i, v in enumerate(vs):',
  '    d[i] = v',
  'del vs, v',
  'pairs = list(zip(range(500), map(str, range(500))))',
  'print("B", len(d), len(pairs), sorted(pairs, key=lambda p: -p[0])[0])',
  'RESULT = [len(d), gc.get_count()[0] >= 0, dict(a=1, b=[1, 2])]',
].join('\n') + '\n';

interface Figures {
  status: string;
  out: string;
  result: unknown;
  count: [number, number, number];
  peak: number;
  steps: number;
  timeNs: number;
  totals: unknown;
}

function run(src: string, options: RunOptions = {}, onTick?: (state: ProgramState) => void): Figures {
  let out = '';
  let result: unknown;
  let count: [number, number, number] = [0, 0, 0];
  let peak = 0;
  const outcome = runProgram(src, 'case.py', SETTINGS, { onOutput: (t) => (out += t), onTick: (s) => (onTick?.(s), true) }, {
    tickEvery: 500,
    traceMemory: true,
    ...options,
    onFinish(p) {
      result = p.globalJson('RESULT');
      count = p.gcCount();
      peak = p.tracedPeak();
    },
  });
  return { status: outcome.status, out, result, count, peak, steps: outcome.steps, timeNs: outcome.timeNs, totals: outcome.gcTotals };
}

describe('two runtimes on one thread', () => {
  it('interleaves two programs (one run inside the other one\'s ticks) with the figures each has alone', () => {
    const aloneA = run(A);
    const aloneB = run(B);
    expect(aloneA.status).toBe('complete');
    expect(aloneB.status).toBe('complete');
    expect(aloneA.out).toMatch(/^A 3000 /);
    expect(aloneB.out).toMatch(/^B 0 500 \(499, '499'\)/);

    const inner: Figures[] = [];
    const outer = run(A, {}, () => {
      if (inner.length < 3) inner.push(run(B));
    });
    expect(inner.length).toBe(3);
    expect(outer).toEqual(aloneA);
    for (const b of inner) expect(b).toEqual(aloneB);
  });

  it('checks syntax in the middle of a run without disturbing it', () => {
    const alone = run(A);
    const checks: unknown[] = [];
    const during = run(A, {}, () => {
      checks.push(checkSyntax('class C:\n    def f(self):\n        return [1, 2, "x"]\nprint(C().f())\n', 'ok.py'));
      checks.push(checkSyntax('def f(:\n', 'bad.py'));
    });
    expect(during).toEqual(alone);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks[0]).toBeNull();
    expect(checks[1]).toMatchObject({ kind: 'syntax' });
  });
});
