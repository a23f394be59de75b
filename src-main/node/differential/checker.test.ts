// End to end: generated programs recorded on CPython 3.11 and run on the simulator. Seed 14's
// first five programs matched CPython on every figure when this test was written: any
// disagreement here is a regression of the simulator (or of the pipeline).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSummary, runDifferential, tally } from './checker';
import type { ProgramReport, Summary } from './checker';
import { CPythonRunner, findRecorder, resolvePython } from './cpython';

const root = resolve(__dirname, '../../..');
const python = resolvePython('python3.11');
const recorder = findRecorder(root);

describe('differential summary', () => {
  const p = (name: string, verdict: ProgramReport['verdict'], kind: string | null = null, minimal: string | null = null): ProgramReport => ({
    name, seed: 1, verdict, kind, figures: kind ? [kind] : [], differences: [], source: '', minimal, shrinkTries: 0, error: verdict === 'unsupported' ? 'not supported yet: async def at x.py:1:1' : null,
  });
  it('counts each category and orders the disagreement kinds by frequency; the figure line is last', () => {
    const s: Summary = {
      python: '3.11.7 (main) [GCC]',
      wallMs: 2500,
      programs: [p('a', 'exact'), p('b', 'differs', 'stdout', 'x\n'), p('c', 'differs', 'result', 'y = 1\nz\n'), p('d', 'differs', 'result', 'y\n'), p('e', 'unsupported'), p('f', 'invalid'), p('g', 'exact')],
    };
    const t = tally(s);
    expect([t.programs, t.exact, t.differs, t.unsupported, t.invalid]).toEqual([7, 2, 3, 1, 1]);
    expect(t.kinds.map(([k, ps]) => [k, ps.length])).toEqual([['result', 2], ['stdout', 1]]);
    const lines = formatSummary(s, 'out');
    expect(lines).toContain('  differs on result: 2 programs (smallest: out/d.py, 1 lines)');
    expect(lines).toContain('  not supported yet: async def: 1');
    expect(lines).toContain('wall time: 2.5 s');
    expect(lines[lines.length - 1]).toBe('differential: 7 programs, 2 exact (28.6 %)');
  });
});

describe.skipIf(!python || !recorder)('differential checker on CPython 3.11 (skipped: no python3.11 or no ../shared/fidelity/record.py)', () => {
  it('runs seed 14: five programs, all exact, nothing written', async () => {
    const runner = new CPythonRunner(python!, recorder!);
    const out = mkdtempSync(join(tmpdir(), 'pygc-diff-'));
    try {
      const s = await runDifferential(runner, { count: 5, seed: 14, out, shrinkBudget: 20 });
      const lines = formatSummary(s, out);
      expect(s.programs.filter((x) => x.verdict !== 'exact').map((x) => `${x.name}: ${x.verdict} ${x.differences.join('; ')}`)).toEqual([]);
      expect(lines[lines.length - 1]).toBe('differential: 5 programs, 5 exact (100.0 %)');
      expect(readdirSync(out).sort()).toEqual(['summary.json', 'summary.txt']);
    } finally {
      runner.close();
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
