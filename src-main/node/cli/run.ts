// `pygc-lab run FILE.py`: runs a script on the service (as every host does), prints its output
// as it runs, then why it failed if it did and the session it was recorded as, and returns the
// exit status Python would.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError, type AppEvent } from '../../common/contract';
import type { RunFailureInfo, SessionStatus } from '../../common/domain';
import { openApp } from '../app';
import { DatabaseRefusedError } from '../db/open';
import { databaseFile, resolveDataDir } from '../db/paths';
import type { RunLauncher } from '../workers/launcher';
import { CLI_HELP, parseCliArgs, UsageError } from './args';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** How the service runs the script: a worker thread in the app, in-process in tests. */
  launcher: RunLauncher;
  /** Built-in scenarios folder handed to the service (the CLI runs files, not scenarios). */
  scenariosDir: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The line printed after the script's output (on stderr, so stdout stays the script's own). */
export const sessionLine = (sessionId: number, dbFile: string) => `pygc-lab: recorded as session ${sessionId} in ${dbFile}\n`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
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
  let app;
  try {
    app = await openApp({
      dataDir: dirname(dbFile),
      dbFile,
      scenariosDir: io.scenariosDir,
      launcher: io.launcher,
      desktop: false,
      demoOnFirstLaunch: false,
      // The app may be running sessions in this database right now: leave them be.
      recoverInterrupted: false,
    });
  } catch (e) {
    io.stderr(`pygc-lab: ${e instanceof DatabaseRefusedError ? e.message : `cannot open ${dbFile}: ${(e as Error).message}`}\n`);
    return 1;
  }

  try {
    // Events of this service are this run's alone; they may arrive before startRun resolves.
    let finish!: (end: { status: SessionStatus; message: string | null; failure: RunFailureInfo | null }) => void;
    const finished = new Promise<Parameters<typeof finish>[0]>((r) => (finish = r));
    const off = app.service.onEvent((event: AppEvent) => {
      if (event.name === 'runOutput') (event.payload.stream === 'stdout' ? io.stdout : io.stderr)(event.payload.text);
      else if (event.name === 'runFinished') finish({ status: event.payload.status, message: event.payload.message, failure: event.payload.failure ?? null });
    });
    // A script that does not compile never starts: no session is recorded for it.
    const check = await app.service.checkSource({ source, filename: command.file });
    if (check.failure) {
      off();
      const failure = { ...check.failure, kind: check.failure.kind === 'unsupported' ? ('unsupported' as const) : ('syntax' as const) };
      return exitStatus({ status: 'failed', message: failure.message, failure }, command.file, io);
    }
    let sessionId: number;
    try {
      ({ sessionId } = await app.service.startRun({
        source,
        filename: command.file,
        ...(command.name !== null ? { name: command.name } : {}),
        settings: command.settings,
      }));
    } catch (e) {
      off();
      if (!(e instanceof AppError)) throw e;
      io.stderr(`pygc-lab: ${e.message}\n`);
      return e.kind === 'invalid-argument' ? 2 : 1;
    }
    const end = await finished;
    off();
    const status = exitStatus(end, command.file, io);
    io.stderr(sessionLine(sessionId, dbFile));
    return status;
  } finally {
    await app.close();
  }
}

/** 0 on success; 2 for a syntax error or unsupported construct (FILE:LINE:COL); 1 for the rest. */
function exitStatus(end: { status: SessionStatus; message: string | null; failure: RunFailureInfo | null }, filename: string, io: CliIo): number {
  if (end.status === 'complete') return 0;
  const failure = end.failure;
  if (failure && (failure.kind === 'syntax' || failure.kind === 'unsupported')) {
    const loc = failure.location;
    const at = loc ? `${loc.filename}:${loc.line}:${loc.col}` : filename;
    // The front end may end its message with the same location; say it once.
    const message = failure.message.endsWith(` at ${at}`) ? failure.message.slice(0, -` at ${at}`.length) : failure.message;
    io.stderr(`${at}: ${message}\n`);
    return 2;
  }
  // An exception's traceback was printed through the output already.
  if (!failure || failure.kind !== 'exception') io.stderr(`pygc-lab: ${end.message ?? 'the run failed'}\n`);
  return 1;
}
