// Entry of the `pygc-lab` command (out/main/cli.js, started by bin/pygc-lab.cjs).
import { runProgram } from '../../python';
import { runCli } from './run';

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  runProgram,
});
