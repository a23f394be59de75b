// Every public fidelity case listed in fidelity-matching.json must keep matching CPython 3.11.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCase } from './compare';
import type { ExpectedCase } from './compare';
import { runCase } from './run';

const root = resolve(__dirname, '../../..');
const corpus = resolve(root, '../shared/fidelity');
const listed = (JSON.parse(readFileSync(join(root, 'fidelity-matching.json'), 'utf8')) as { cases: string[] }).cases;
const available = listed.filter((n) => existsSync(join(corpus, 'cases', n + '.py')));

describe.skipIf(available.length === 0)('public fidelity corpus', () => {
  for (const name of available) {
    it(`${name} matches CPython 3.11 figure by figure`, () => {
      const exp = JSON.parse(readFileSync(join(corpus, 'expected', name + '.json'), 'utf8')) as ExpectedCase;
      const source = readFileSync(join(corpus, 'cases', name + '.py'), 'utf8');
      const cmp = compareCase(name, exp, runCase(source, name + '.py', exp));
      expect(cmp.checks.filter((c) => !c.ok)).toEqual([]);
    }, 60_000);
  }
});
