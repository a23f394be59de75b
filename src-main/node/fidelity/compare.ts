// Figure-by-figure comparison of a simulated run with a CPython fidelity recording
// (`expected/NAME.json`, format cpython-gc-fidelity/1).
import type { Profile } from '../../common/domain';

export interface ExpectedCase {
  case: string;
  python: { version: string };
  initial: { threshold: [number, number, number]; count: [number, number, number]; tracked_objects: number };
  gc: {
    collections: [number, number, number];
    collected: [number, number, number];
    uncollectable: [number, number, number];
    count_end: [number, number, number];
  };
  sequence: { total: number; truncated: boolean; entries: number[][] };
  memory: { tracemalloc_peak: number; tracemalloc_current_end: number } | null;
  result: unknown;
  /** The program's standard output, when the recording kept it (the differential checker does). */
  stdout?: string;
}

/** What the simulator produced for one case. */
export interface ObservedCase {
  collections: number[];
  collected: number[];
  uncollectable: number[];
  countEnd: [number, number, number];
  result: unknown;
  /** [generation, collected, uncollectable, explicit] per collection, in order. */
  sequence: number[][];
  /** tracemalloc peak of the mem pass; null when the case has no mem figures. */
  tracedPeak: number | null;
  /** Why the run did not complete, if it did not. */
  failure: string | null;
  /** What the program printed to stdout. */
  stdout: string;
}

export interface Check {
  figure: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}

export interface CaseComparison {
  name: string;
  checks: Check[];
  exact: boolean;
}

export const MEMORY_TOLERANCE = 0.05;

export function profileOf(version: string): Profile {
  if (version.startsWith('3.11')) return '3.11';
  if (version.startsWith('3.13')) return '3.13';
  throw new Error(`no simulator profile for Python ${version}`);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    return deepEqual(ka, kb) && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

export function compareCase(name: string, exp: ExpectedCase, obs: ObservedCase): CaseComparison {
  const checks: Check[] = [];
  const add = (figure: string, expected: unknown, actual: unknown, ok = deepEqual(expected, actual)) => checks.push({ figure, expected, actual, ok });
  add('completed', null, obs.failure, obs.failure === null);
  add('collections', exp.gc.collections, obs.collections);
  add('collected', exp.gc.collected, obs.collected);
  add('uncollectable', exp.gc.uncollectable, obs.uncollectable);
  add('count_end', exp.gc.count_end, obs.countEnd);
  add('result', exp.result, obs.result);
  if (typeof exp.stdout === 'string') add('stdout', exp.stdout, obs.stdout);
  const cols = (rows: number[][]) => rows.map((r) => r.slice(0, 4));
  const n = exp.sequence.entries.length;
  const seqActual = exp.sequence.truncated ? obs.sequence.slice(0, n) : obs.sequence;
  add('sequence', cols(exp.sequence.entries), cols(seqActual));
  if (exp.memory && obs.tracedPeak !== null) {
    const e = exp.memory.tracemalloc_peak;
    add('tracemalloc_peak', e, obs.tracedPeak, Math.abs(obs.tracedPeak - e) <= MEMORY_TOLERANCE * e);
  }
  return { name, checks, exact: checks.every((c) => c.ok) };
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

export function formatTable(rows: CaseComparison[]): string {
  const figures = ['collections', 'collected', 'uncollectable', 'count_end', 'result', 'sequence', 'tracemalloc_peak'];
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  const lines = [['case'.padEnd(width), ...figures.map((f) => f.slice(0, 11).padEnd(11)), 'verdict'].join(' ')];
  for (const r of rows) {
    const cell = (f: string) => {
      const c = r.checks.find((x) => x.figure === f);
      return (c ? (c.ok ? 'ok' : 'DIFF') : '-').padEnd(11);
    };
    lines.push([r.name.padEnd(width), ...figures.map(cell), r.exact ? 'exact' : 'differs'].join(' '));
  }
  for (const r of rows) {
    for (const c of r.checks) if (!c.ok) lines.push(`  ${r.name}.${c.figure}: expected ${short(c.expected)}, got ${short(c.actual)}`);
  }
  const exact = rows.filter((r) => r.exact).length;
  lines.push(`fidelity: ${exact}/${rows.length} cases exact`);
  return lines.join('\n');
}

/** For each case, the figures that matched CPython once and so must keep matching. */
export type MatchingFigures = Record<string, string[]>;

/** `case.figure` for every listed figure that no longer matches (or whose case did not run). */
export function regressions(rows: CaseComparison[], mustMatch: MatchingFigures): string[] {
  const lost: string[] = [];
  for (const [name, figures] of Object.entries(mustMatch)) {
    const r = rows.find((x) => x.name === name);
    for (const f of figures) if (!r?.checks.find((c) => c.figure === f)?.ok) lost.push(`${name}.${f}`);
  }
  return lost;
}

/** The list after a run: what was listed, plus every figure that matches now (a ratchet: nothing is dropped). */
export function ratchet(rows: CaseComparison[], listed: MatchingFigures): MatchingFigures {
  const out: MatchingFigures = {};
  for (const [name, figures] of Object.entries(listed)) out[name] = [...figures];
  for (const r of rows) {
    const now = r.checks.filter((c) => c.ok).map((c) => c.figure);
    out[r.name] = [...new Set([...(out[r.name] ?? []), ...now])].sort();
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
