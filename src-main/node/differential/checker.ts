// The differential loop: generate, record on CPython, run on the simulator, judge, shrink each
// disagreement to a minimal program and write it (with what differs) into the output folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeDifferences, passesFor, simulateAndJudge } from './compare';
import type { Judgement, Verdict } from './compare';
import type { CPythonRunner } from './cpython';
import { generateProgram } from './generate';
import { shrinkProgram } from './shrink';

export interface CheckOptions {
  count: number;
  seed: number;
  /** Where minimal programs go; null writes nothing. */
  out: string | null;
  /** Candidates tried per shrink (each one a CPython recording and a simulator run). */
  shrinkBudget: number;
  /** Disagreements shrunk (and written) per kind; later ones of a kind are only counted. */
  shrinkPerKind?: number;
  log?: (line: string) => void;
}

export interface ProgramReport {
  name: string;
  seed: number;
  /** invalid: CPython itself did not run the program to the end (a grammar defect). */
  verdict: Verdict | 'invalid';
  kind: string | null;
  figures: string[];
  differences: string[];
  source: string;
  minimal: string | null;
  shrinkTries: number;
  error: string | null;
}

export interface Summary {
  python: string;
  programs: ProgramReport[];
  wallMs: number;
}

const FULL = ['plain', 'stats', 'mem'] as const;

/** Shrinks a disagreement: a candidate keeps it when CPython runs it and its kind is the same. */
export async function minimize(runner: CPythonRunner, name: string, source: string, j: Judgement, budget: number): Promise<{ source: string; judgement: Judgement; tries: number }> {
  const primary = j.figures[0];
  const res = await shrinkProgram(
    source,
    async (cand) => {
      const rec = await runner.record(name, cand, passesFor(primary));
      if (!rec.ok) return false;
      const jc = simulateAndJudge(name, cand, rec.recording);
      return jc.verdict === 'differs' && jc.kind === j.kind;
    },
    budget,
  );
  const rec = await runner.record(name, res.source, [...FULL]);
  // The full recording of the minimal program (all passes): what the report shows.
  const judgement = rec.ok ? simulateAndJudge(name, res.source, rec.recording) : j;
  return { source: res.source, judgement, tries: res.tries };
}

export async function runDifferential(runner: CPythonRunner, opts: CheckOptions): Promise<Summary> {
  const t0 = performance.now();
  const log = opts.log ?? (() => undefined);
  const programs: ProgramReport[] = [];
  let python = '';
  const shrunk = new Map<string, number>();
  for (let i = 0; i < opts.count; i++) {
    const p = generateProgram(opts.seed, i);
    const t = performance.now();
    const report: ProgramReport = { name: p.name, seed: p.seed, verdict: 'invalid', kind: null, figures: [], differences: [], source: p.source, minimal: null, shrinkTries: 0, error: null };
    programs.push(report);
    const rec = await runner.record(p.name, p.source, [...FULL]);
    if (!rec.ok) {
      report.error = rec.error;
      log(`${p.name}: CPython did not run it: ${rec.error.split('\n').slice(-2).join(' ')}`);
      continue;
    }
    python ||= rec.recording.python.version;
    const j = simulateAndJudge(p.name, p.source, rec.recording);
    report.verdict = j.verdict;
    report.kind = j.kind;
    report.figures = j.figures;
    report.differences = describeDifferences(j);
    if (j.verdict === 'unsupported') report.error = j.failure;
    if (j.verdict === 'differs' && (shrunk.get(j.kind!) ?? 0) < (opts.shrinkPerKind ?? Infinity)) {
      shrunk.set(j.kind!, (shrunk.get(j.kind!) ?? 0) + 1);
      const m = await minimize(runner, p.name, p.source, j, opts.shrinkBudget);
      report.minimal = m.source;
      report.shrinkTries = m.tries;
      report.differences = describeDifferences(m.judgement);
      if (opts.out) writeReport(opts.out, report, python);
    }
    log(`${p.name}: ${j.verdict}${j.kind ? ' ' + j.kind : ''}${report.minimal ? ` (${report.minimal.split('\n').length - 1} lines after ${report.shrinkTries} tries)` : ''} ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const summary: Summary = { python, programs, wallMs: performance.now() - t0 };
  if (opts.out) writeSummary(opts.out, summary);
  return summary;
}

/** Header comments of a written minimal program; promote strips them. */
export const HEADER = '# differential: ';

function writeReport(out: string, r: ProgramReport, python: string): void {
  mkdirSync(out, { recursive: true });
  const head = [`${HEADER}${r.kind} on Python ${python.split(' ')[0]} (program ${r.name}, seed ${r.seed})`, ...r.differences.map((d) => `# ${d.replace(/\n/g, '\\n')}`)];
  writeFileSync(join(out, r.name + '.py'), head.join('\n') + '\n' + r.minimal);
  writeFileSync(join(out, r.name + '.json'), JSON.stringify({ name: r.name, seed: r.seed, python, kind: r.kind, figures: r.figures, differences: r.differences, shrink_tries: r.shrinkTries, minimal: r.minimal, original: r.source }, null, 1) + '\n');
}

export interface Tally {
  programs: number;
  exact: number;
  differs: number;
  unsupported: number;
  invalid: number;
  /** Disagreement kind → programs, most frequent first. */
  kinds: [string, ProgramReport[]][];
}

export function tally(s: Summary): Tally {
  const by = new Map<string, ProgramReport[]>();
  for (const p of s.programs) if (p.verdict === 'differs') by.set(p.kind!, [...(by.get(p.kind!) ?? []), p]);
  const count = (v: string) => s.programs.filter((p) => p.verdict === v).length;
  return {
    programs: s.programs.length,
    exact: count('exact'),
    differs: count('differs'),
    unsupported: count('unsupported'),
    invalid: count('invalid'),
    kinds: [...by.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])),
  };
}

/** The closing lines: categories, one line per disagreement kind, wall time, then the figure line. */
export function formatSummary(s: Summary, out: string | null): string[] {
  const t = tally(s);
  const lines = [`python: ${s.python.split('\n')[0]}`];
  lines.push(`categories: ${t.exact} exact, ${t.differs} differ, ${t.unsupported} not supported yet, ${t.invalid} not run by CPython`);
  for (const [kind, ps] of t.kinds) {
    const smallest = ps.reduce((a, b) => ((a.minimal?.length ?? 1e9) <= (b.minimal?.length ?? 1e9) ? a : b));
    const where = smallest.minimal === null ? `e.g. ${smallest.name}, not shrunk` : `smallest: ${out ? join(out, smallest.name + '.py') : smallest.name}, ${smallest.minimal.trimEnd().split('\n').length} lines`;
    lines.push(`  differs on ${kind}: ${ps.length} program${ps.length === 1 ? '' : 's'} (${where})`);
  }
  const unsupported = new Map<string, number>();
  for (const p of s.programs) if (p.verdict === 'unsupported') {
    const what = /not supported yet: (.*?)( at |$)/.exec(p.error ?? '')?.[1] ?? p.error ?? '?';
    unsupported.set(what, (unsupported.get(what) ?? 0) + 1);
  }
  for (const [what, n] of unsupported) lines.push(`  not supported yet: ${what}: ${n}`);
  lines.push(`wall time: ${(s.wallMs / 1000).toFixed(1)} s`);
  const pct = t.programs ? ((100 * t.exact) / t.programs).toFixed(1) : '0.0';
  lines.push(`differential: ${t.programs} programs, ${t.exact} exact (${pct} %)`);
  return lines;
}

function writeSummary(out: string, s: Summary): void {
  mkdirSync(out, { recursive: true });
  const t = tally(s);
  writeFileSync(join(out, 'summary.txt'), formatSummary(s, out).join('\n') + '\n');
  writeFileSync(
    join(out, 'summary.json'),
    JSON.stringify({ python: s.python, programs: t.programs, exact: t.exact, differs: t.differs, unsupported: t.unsupported, invalid: t.invalid, wall_s: s.wallMs / 1000, kinds: Object.fromEntries(t.kinds.map(([k, ps]) => [k, ps.map((p) => p.name)])) }, null, 1) + '\n',
  );
}
