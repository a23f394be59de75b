// Every figure listed in fidelity-matching.json must keep matching CPython 3.11, in the public
// corpus (../shared/fidelity) and the project's own (fidelity/).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCase } from './compare';
import { readCorpora, readMatchingFigures } from './corpus';
import { runCase } from './run';

const root = resolve(__dirname, '../../..');
const dirs = [resolve(root, '../shared/fidelity'), resolve(root, 'fidelity')].filter((d) => existsSync(d));
const listed = readMatchingFigures(join(root, 'fidelity-matching.json'));
const cases = readCorpora(dirs).filter((c) => listed[c.name]?.length);

describe.skipIf(cases.length === 0)('fidelity corpora', () => {
  for (const c of cases) {
    it(`${c.name} keeps matching CPython 3.11 on ${listed[c.name]!.join(', ')}`, () => {
      const cmp = compareCase(c.name, c.expected, runCase(c.source, c.name + '.py', c.expected));
      const lost = cmp.checks.filter((k) => listed[c.name]!.includes(k.figure) && !k.ok);
      expect(lost).toEqual([]);
    }, 60_000);
  }
});
