// `npm run bench`: every benchmark, side by side with CPython where there is one.
// Lines: `NAME VALUE UNIT` for a figure, `ratio NAME VALUE` for a comparison.
// `npm run bench -- engine store` runs only the named groups.
import { runEngineBench } from './engine';
import { runExecModelBench } from './exec-model';
import { runPythonBench } from './python';
import { runSnapshotBench } from './snapshots';
import { runStoreBench } from './store';

const groups: Record<string, () => Promise<void>> = {
  engine: runEngineBench,
  store: runStoreBench,
  python: runPythonBench,
  snapshots: runSnapshotBench,
  'exec-model': runExecModelBench,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((g) => !(g in groups));
  if (unknown.length) {
    console.error(`unknown benchmark group: ${unknown.join(', ')} (groups: ${Object.keys(groups).join(', ')})`);
    process.exit(2);
  }
  for (const [name, run] of Object.entries(groups)) {
    if (wanted.length && !wanted.includes(name)) continue;
    console.log(`# ${name}`);
    await run();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
