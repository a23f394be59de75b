// The built-in scenarios: `scenarios/*.py`, each opening with a docstring whose first line
// is the title and whose next paragraph is the summary.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ScenarioInfo } from '../common/domain';

/** The scenarios folder: `PYGC_LAB_SCENARIOS`, else `<app root>/scenarios` seen from out/main. */
export function defaultScenariosDir(entryDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env['PYGC_LAB_SCENARIOS'] || resolve(entryDir, '../../scenarios');
}

export function listScenarios(dir: string): ScenarioInfo[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((file) => {
      const source = readFileSync(join(dir, file), 'utf8');
      const id = file.slice(0, -3);
      return { id, ...describeScenario(source, id), source };
    });
}

export function describeScenario(source: string, fallbackTitle: string): { title: string; summary: string } {
  const doc = /^(?:\s*#[^\n]*\n)*\s*[rRuU]?("""|''')([\s\S]*?)\1/.exec(source)?.[2];
  if (!doc) return { title: fallbackTitle, summary: '' };
  const [titleLine = '', ...rest] = doc.trim().split('\n');
  const firstParagraph = rest.join('\n').trim().split(/\n\s*\n/)[0] ?? '';
  return {
    title: titleLine.trim() || fallbackTitle,
    summary: firstParagraph.split('\n').map((l) => l.trim()).filter(Boolean).join(' '),
  };
}
