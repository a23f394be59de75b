// One program's verdict: its CPython recording against the simulator's run, figure by figure
// through the fidelity harness (runCase / compareCase), stdout included.
import { compareCase } from '../fidelity/compare';
import type { CaseComparison, Check, ObservedCase } from '../fidelity/compare';
import { runCase } from '../fidelity/run';
import type { PassKind, Recording } from './cpython';

/**
 * exact: every figure matches; differs: a figure does not (a defect); unsupported: the
 * simulator refused a construct ("not supported yet"): not exact, not a defect.
 */
export type Verdict = 'exact' | 'differs' | 'unsupported';

export interface Judgement {
  verdict: Verdict;
  /** The figures that differ, in FIGURE_ORDER. */
  figures: string[];
  /** The disagreement kind: the first differing figure (with the exception for `completed`). */
  kind: string | null;
  checks: Check[];
  failure: string | null;
}

/** Figures by how much they say: a failed run explains everything after it, and so on. */
export const FIGURE_ORDER = ['completed', 'stdout', 'result', 'collections', 'collected', 'uncollectable', 'count_end', 'sequence', 'tracemalloc_peak'];

/** The recorder passes a figure needs. */
export function passesFor(figure: string): PassKind[] {
  if (figure === 'sequence') return ['plain', 'stats'];
  if (figure === 'tracemalloc_peak') return ['plain', 'mem'];
  return ['plain'];
}

export function isUnsupported(failure: string | null): boolean {
  return failure !== null && failure.includes('not supported yet');
}

/** `completed (NameError)` for a run that ended in NameError, else the figure itself. */
export function kindOf(figure: string, failure: string | null): string {
  if (figure !== 'completed') return figure;
  const m = /^([A-Za-z_][\w.]*)(:|$)/.exec((failure ?? '').trim());
  return `completed (${m ? m[1] : (failure ?? '').slice(0, 40)})`;
}

export function judge(name: string, rec: Recording, obs: ObservedCase): Judgement {
  if (isUnsupported(obs.failure)) return { verdict: 'unsupported', figures: [], kind: null, checks: [], failure: obs.failure };
  const hasSequence = rec.sequence !== null && rec.sequence !== undefined;
  const exp = hasSequence ? rec : { ...rec, sequence: { total: 0, truncated: true, entries: [] } };
  // A program without RESULT: the recorder stores None, the simulator's probe undefined.
  const cmp: CaseComparison = compareCase(name, exp, { ...obs, result: obs.result === undefined ? null : obs.result });
  const checks = cmp.checks.filter((c) => hasSequence || c.figure !== 'sequence');
  const figures = FIGURE_ORDER.filter((f) => checks.some((c) => c.figure === f && !c.ok));
  const kind = figures.length ? kindOf(figures[0], obs.failure) : null;
  return { verdict: figures.length ? 'differs' : 'exact', figures, kind, checks, failure: obs.failure };
}

/** Runs the program on the simulator with the recording's profile and start state, and judges it. */
export function simulateAndJudge(name: string, source: string, rec: Recording): Judgement {
  return judge(name, rec, runCase(source, name + '.py', rec));
}

function short(v: unknown, max = 200): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > max ? s.slice(0, max - 3) + '...' : s;
}

/** One line per differing figure, in FIGURE_ORDER: `figure: CPython X, simulator Y`. */
export function describeDifferences(j: Judgement, max = 200): string[] {
  const rank = (f: string) => (FIGURE_ORDER.includes(f) ? FIGURE_ORDER.indexOf(f) : FIGURE_ORDER.length);
  return j.checks.filter((c) => !c.ok).sort((a, b) => rank(a.figure) - rank(b.figure)).map((c) => (c.figure === 'completed' ? `completed: CPython ran to the end, simulator: ${short(c.actual, max)}` : `${c.figure}: CPython ${short(c.expected, max)}, simulator ${short(c.actual, max)}`));
}
