// Every figure listed in fidelity-matching.json must keep matching CPython, in the public corpus
// (../shared/fidelity), the project's own (fidelity/), and both recorded on 3.13 (fidelity-3.13/).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCase } from './compare';
import { readCorpora, readMatchingFigures } from './corpus';
import { DEFAULT_CORPORA, runCase } from './run';

const root = resolve(__dirname, '../../..');
const dirs = DEFAULT_CORPORA.map((d) => resolve(root, d)).filter((d) => existsSync(d));
const listed = readMatchingFigures(join(root, 'fidelity-matching.json'));
const cases = readCorpora(dirs).filter((c) => listed[c.key]?.length);

describe.skipIf(cases.length === 0)('fidelity corpora', () => {
  for (const c of cases) {
    it(`${c.key} keeps matching CPython ${c.expected.python.version.split(' ')[0]} on ${listed[c.key]!.join(', ')}`, () => {
      const cmp = compareCase(c.key, c.expected, runCase(c.source, c.name + '.py', c.expected));
      const lost = cmp.checks.filter((k) => listed[c.key]!.includes(k.figure) && !k.ok);
      expect(lost).toEqual([]);
    }, 60_000);
  }
});
