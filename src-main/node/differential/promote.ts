// --promote: minimal programs of earlier runs (in the output folder) that the simulator now
// matches become cases of the project's fidelity corpus (fidelity/cases/, recorded in full by
// scripts/record-fidelity.sh into fidelity/expected/ on 3.11, fidelity-3.13/ on 3.13), and their
// figures join fidelity-matching.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareCase } from '../fidelity/compare';
import { caseKey, readCorpora, readMatchingFigures, writeMatchingFigures } from '../fidelity/corpus';
import { ratchet } from '../fidelity/compare';
import { runCase } from '../fidelity/run';
import { HEADER } from './checker';
import { simulateAndJudge } from './compare';
import type { CPythonRunner } from './cpython';

/** The program of a written report, without its header comments. */
export function programOf(reportText: string): string {
  const lines = reportText.split('\n');
  let i = 0;
  if (lines[0]?.startsWith(HEADER)) while (i < lines.length && lines[i].startsWith('#')) i++;
  return lines.slice(i).join('\n');
}

export interface PromoteResult {
  promoted: string[];
  stillDiffer: string[];
}

export async function promoteMatching(runner: CPythonRunner, out: string, root: string, log: (l: string) => void): Promise<PromoteResult> {
  const result: PromoteResult = { promoted: [], stillDiffer: [] };
  if (!existsSync(out)) return result;
  const cases = join(root, 'fidelity', 'cases');
  for (const file of readdirSync(out).filter((f) => f.endsWith('.py')).sort()) {
    const stem = file.slice(0, -3);
    const text = readFileSync(join(out, file), 'utf8');
    const source = programOf(text);
    const rec = await runner.record(stem, source, ['plain', 'stats', 'mem']);
    const j = rec.ok ? simulateAndJudge(stem, source, rec.recording) : null;
    if (!j || j.verdict !== 'exact') {
      result.stillDiffer.push(stem);
      continue;
    }
    const kind = /^# differential: (.*?) on Python/.exec(text)?.[1] ?? 'a disagreement';
    const name = stem.replace(/^diff_/, 'differential_');
    const minor = /^(\d+\.\d+)/.exec(rec.ok ? rec.recording.python.version : '')?.[1] ?? '3.11';
    const corpus = join(root, minor === '3.11' ? 'fidelity' : `fidelity-${minor}`);
    if (existsSync(join(corpus, 'expected', name + '.json'))) continue;
    const existed = existsSync(join(cases, name + '.py'));
    const doc = `"""Minimal program found by the differential checker (it differed on ${kind}); matches now."""\n`;
    writeFileSync(join(cases, name + '.py'), doc + source);
    const rc = spawnSync('bash', ['scripts/record-fidelity.sh', name], { cwd: root, env: { ...process.env, PYTHON: runner.python }, encoding: 'utf8' });
    const c = rc.status === 0 ? readCorpora([corpus]).find((x) => x.name === name) : undefined;
    const cmp = c ? compareCase(c.key, c.expected, runCase(c.source, name + '.py', c.expected)) : null;
    if (!cmp?.exact) {
      // The full recording (3 runs, 3 hash seeds, every pass) disagrees after all: not promoted.
      if (!existed) rmSync(join(cases, name + '.py'), { force: true });
      if (corpus !== join(root, 'fidelity')) rmSync(join(corpus, 'cases', name + '.py'), { force: true });
      rmSync(join(corpus, 'expected', name + '.json'), { force: true });
      result.stillDiffer.push(stem);
      log(`${stem}: exact on one run, not on the full recording${rc.status === 0 ? '' : ': ' + rc.stderr.slice(-300)}`);
      continue;
    }
    const listFile = join(root, 'fidelity-matching.json');
    writeMatchingFigures(listFile, ratchet([cmp], readMatchingFigures(listFile)));
    rmSync(join(out, file), { force: true });
    rmSync(join(out, stem + '.json'), { force: true });
    result.promoted.push(caseKey(name, rec.ok ? rec.recording.python.version : '3.11'));
    log(`${stem}: matches now, promoted to fidelity/cases/${name}.py (expected in ${corpus})`);
  }
  return result;
}
