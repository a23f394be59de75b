// Fidelity corpora on disk: `DIR/cases/NAME.py` + `DIR/expected/NAME.json`, and the repo's
// list of figures that must keep matching (fidelity-matching.json).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExpectedCase, MatchingFigures } from './compare';

export interface CorpusCase {
  name: string;
  /** The key of fidelity-matching.json: the name for CPython 3.11 recordings, `NAME@3.13` for others. */
  key: string;
  dir: string;
  source: string;
  expected: ExpectedCase;
}

/** The matching-list key of a recording: 3.11 cases keep their bare names (the list predates other versions). */
export function caseKey(name: string, version: string): string {
  const minor = /^(\d+\.\d+)/.exec(version)?.[1] ?? version;
  return minor === '3.11' ? name : `${name}@${minor}`;
}

/** Every case of the corpora; a case recorded on the same version in two corpora is refused (the list is keyed by name and version). */
export function readCorpora(dirs: string[]): CorpusCase[] {
  const seen = new Map<string, string>();
  const out: CorpusCase[] = [];
  for (const dir of dirs) {
    const expectedDir = join(dir, 'expected');
    if (!existsSync(expectedDir)) throw new Error(`${dir}: not a fidelity corpus (no expected/ folder)`);
    const names = readdirSync(expectedDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .filter((n) => existsSync(join(dir, 'cases', n + '.py')))
      .sort();
    for (const name of names) {
      const file = join(expectedDir, name + '.json');
      let expected: ExpectedCase;
      try {
        expected = JSON.parse(readFileSync(file, 'utf8')) as ExpectedCase;
      } catch (e) {
        throw new Error(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
      }
      const key = caseKey(name, expected.python.version);
      const other = seen.get(key);
      if (other) throw new Error(`fidelity case '${key}' is in both ${other} and ${dir}: rename one`);
      seen.set(key, dir);
      out.push({ name, key, dir, expected, source: readFileSync(join(dir, 'cases', name + '.py'), 'utf8') });
    }
  }
  return out;
}

export function readMatchingFigures(file: string): MatchingFigures {
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { figures?: MatchingFigures };
  if (!parsed.figures || typeof parsed.figures !== 'object') throw new Error(`${file}: expected {"figures": {case: [figure, ...]}}`);
  return parsed.figures;
}

export function writeMatchingFigures(file: string, figures: MatchingFigures): void {
  const lines = Object.entries(figures).map(([name, f]) => `    ${JSON.stringify(name)}: ${JSON.stringify(f)}`);
  writeFileSync(file, `{\n  "figures": {\n${lines.join(',\n')}\n  }\n}\n`);
}
