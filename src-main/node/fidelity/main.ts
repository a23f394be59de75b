// `npm run fidelity [-- [--record] DIR...]`: runs every case of the given fidelity corpora
// (default: ../shared/fidelity, the repo's own fidelity/, and fidelity-3.13/: both recorded on 3.13) on the simulator and compares it
// with the CPython recordings. Exits non-zero when a figure listed in fidelity-matching.json
// stops matching; --record adds the figures that match now to that list.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareCase, formatTable, ratchet, regressions } from './compare';
import type { CaseComparison } from './compare';
import { readCorpora, readMatchingFigures, writeMatchingFigures } from './corpus';
import { DEFAULT_CORPORA, runCase } from './run';

function main(): number {
  const root = process.cwd();
  const args = process.argv.slice(2);
  const record = args.includes('--record');
  const given = args.filter((a) => a !== '--record');
  const dirs = (given.length ? given : DEFAULT_CORPORA).map((d) => resolve(root, d)).filter((d) => given.length || existsSync(d));
  const cases = readCorpora(dirs);
  const rows: CaseComparison[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    rows.push(compareCase(c.key, c.expected, runCase(c.source, c.name + '.py', c.expected)));
    process.stderr.write(`${c.key}: ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
  }
  console.log(formatTable(rows));
  const listFile = join(root, 'fidelity-matching.json');
  const listed = readMatchingFigures(listFile);
  const ran = new Set(cases.map((c) => c.key));
  const lost = regressions(rows, Object.fromEntries(Object.entries(listed).filter(([name]) => ran.has(name))));
  if (record) writeMatchingFigures(listFile, ratchet(rows, listed));
  if (lost.length) {
    console.log(`fidelity regression: ${lost.join(', ')} matched CPython before and no longer do`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`fidelity: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
}
