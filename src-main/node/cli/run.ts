// `pygc-lab run FILE.py`: runs a script in-process, prints its output, records the session,
// and returns the exit status Python would.
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { DatabaseRefusedError, openDatabase } from '../db/open';
import { databaseFile, resolveDataDir } from '../db/paths';
import { Store } from '../db/store';
import { record, type RunProgramFn } from '../recorder/recorder';
import { CLI_HELP, parseCliArgs, UsageError } from './args';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  runProgram: RunProgramFn;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function runCli(argv: readonly string[], io: CliIo): number {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`pygc-lab: ${e.message}\nTry 'pygc-lab --help' for the options.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout(CLI_HELP);
    return 0;
  }

  const cwd = io.cwd ?? process.cwd();
  const scriptPath = resolve(cwd, command.file);
  let source: string;
  try {
    source = readFileSync(scriptPath, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
    io.stderr(`pygc-lab: can't open file '${command.file}': ${reason}\n`);
    return 2;
  }

  const dbFile = command.dbFile ? resolve(cwd, command.dbFile) : databaseFile(resolveDataDir({ env: io.env ?? process.env }));
  let opened;
  try {
    mkdirSync(dirname(dbFile), { recursive: true });
    opened = openDatabase(dbFile);
  } catch (e) {
    io.stderr(`pygc-lab: ${e instanceof DatabaseRefusedError ? e.message : `cannot open ${dbFile}: ${(e as Error).message}`}\n`);
    return 1;
  }
  const { db } = opened;
  try {
    const store = new Store(db);
    const filename = command.file;
    const sessionId = store.createSession({ name: command.name ?? basename(scriptPath), scenario: basename(scriptPath), source, settings: command.settings });
    const result = record({
      store,
      sessionId,
      source,
      filename,
      settings: command.settings,
      runProgram: io.runProgram,
      onOutput: (text, stream) => (stream === 'stdout' ? io.stdout(text) : io.stderr(text)),
    });
    const failure = result.failure;
    if (result.status === 'complete') return 0;
    if (failure && (failure.kind === 'syntax' || failure.kind === 'unsupported')) {
      const loc = failure.location;
      const at = loc ? `${loc.filename}:${loc.line}:${loc.col}` : filename;
      // The front end may end its message with the same location; say it once.
      const message = failure.message.endsWith(` at ${at}`) ? failure.message.slice(0, -` at ${at}`.length) : failure.message;
      io.stderr(`${at}: ${message}\n`);
      return 2;
    }
    // An exception's traceback was printed through the output already.
    if (!failure || failure.kind !== 'exception') io.stderr(`pygc-lab: ${result.message}\n`);
    return 1;
  } finally {
    db.close();
  }
}
