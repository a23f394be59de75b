// `npm run fidelity [-- DIR]`: runs every case of a fidelity corpus on the simulator and
// compares it with the CPython recording. Exits non-zero when a case listed in
// fidelity-matching.json stops matching.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareCase, formatTable, regressions } from './compare';
import type { CaseComparison, ExpectedCase } from './compare';
import { runCase } from './run';

function main(): number {
  const root = process.cwd();
  const dir = resolve(root, process.argv[2] ?? '../shared/fidelity');
  const names = readdirSync(join(dir, 'expected')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).filter((n) => existsSync(join(dir, 'cases', n + '.py'))).sort();
  const rows: CaseComparison[] = [];
  for (const name of names) {
    const exp = JSON.parse(readFileSync(join(dir, 'expected', name + '.json'), 'utf8')) as ExpectedCase;
    const source = readFileSync(join(dir, 'cases', name + '.py'), 'utf8');
    const t0 = performance.now();
    const obs = runCase(source, name + '.py', exp);
    rows.push(compareCase(name, exp, obs));
    process.stderr.write(`${name}: ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
  }
  console.log(formatTable(rows));
  const listFile = join(root, 'fidelity-matching.json');
  const mustMatch = existsSync(listFile) ? (JSON.parse(readFileSync(listFile, 'utf8')) as { cases: string[] }).cases : [];
  const lost = regressions(rows.filter((r) => names.includes(r.name)), mustMatch.filter((n) => names.includes(n)));
  if (lost.length) {
    console.log(`fidelity regression: ${lost.join(', ')} no longer match`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
