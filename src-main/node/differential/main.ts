// `npm run differential -- [--python python3.11|python3.13] [--count N] [--seed S] [--out DIR]
// [--shrink-budget N] [--shrink-per-kind N] [--promote] [--quiet]`: generated programs, run on the real interpreter
// (through ../shared/fidelity/record.py) and on the simulator with the matching profile; each
// disagreement shrunk to a minimal program in DIR. Last line: `differential: N programs, M exact (P %)`.
import { resolve } from 'node:path';
import { formatSummary, runDifferential } from './checker';
import { CPythonRunner, findRecorder, resolvePython } from './cpython';
import { parseArgs } from './options';
import { promoteMatching } from './promote';

async function main(): Promise<number> {
  const root = process.cwd();
  const args = parseArgs(process.argv.slice(2));
  const python = resolvePython(args.python);
  if (!python) throw new Error(`${args.python}: not found on PATH or among pyenv's versions`);
  const recorder = findRecorder(root);
  if (!recorder) throw new Error('../shared/fidelity/record.py not found (shared/ must sit beside the repo)');
  const out = resolve(root, args.out);
  const runner = new CPythonRunner(python, recorder);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      runner.close();
      process.exit(130);
    });
  }
  const log = (l: string) => {
    if (!args.quiet) process.stderr.write(l + '\n');
  };
  try {
    if (args.promote) {
      const p = await promoteMatching(runner, out, root, log);
      console.log(`promote: ${p.promoted.length} promoted${p.promoted.length ? ' (' + p.promoted.join(', ') + ')' : ''}, ${p.stillDiffer.length} still differ`);
    }
    if (args.count > 0) {
      const s = await runDifferential(runner, { count: args.count, seed: args.seed, out, shrinkBudget: args.shrinkBudget, shrinkPerKind: args.shrinkPerKind ?? undefined, log });
      console.log(formatSummary(s, args.out).join('\n'));
    }
  } finally {
    runner.close();
  }
  return 0;
}

main().then(
  (rc) => (process.exitCode = rc),
  (e: unknown) => {
    console.error(`differential: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  },
);
