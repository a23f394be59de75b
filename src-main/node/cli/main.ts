// Entry of the `pygc-lab` command (out/main/cli.js, started by bin/pygc-lab.cjs): the CLI on the
// service, whose runs go to a worker thread (out/main/run-worker.js) as the app's do.
import { resolve } from 'node:path';
import { defaultScenariosDir } from '../scenarios';
import { workerLauncher } from '../workers/launcher';
import { runCli } from './run';

void runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  launcher: workerLauncher(resolve(__dirname, 'run-worker.js')),
  scenariosDir: defaultScenariosDir(__dirname),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`pygc-lab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
