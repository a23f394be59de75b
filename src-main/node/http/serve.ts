// Entry of the browser twin (out/main/serve.js): `npm run serve`, and `npm start` where
// Electron cannot run. Prints the address and serves until interrupted.
import { resolve } from 'node:path';
import { openApp } from '../app';
import { parseServeArgs, SERVE_HELP, UsageError } from '../cli/args';
import { DatabaseRefusedError } from '../db/open';
import { resolveDataDir } from '../db/paths';
import { defaultScenariosDir } from '../scenarios';
import { workerLauncher } from '../workers/launcher';
import { startTwin } from './server';

async function main(argv: readonly string[]): Promise<number | null> {
  let command;
  try {
    command = parseServeArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`pygc-lab serve: ${e.message}\n\n${SERVE_HELP}`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(SERVE_HELP);
    return 0;
  }

  let app;
  try {
    app = await openApp({
      dataDir: resolveDataDir(command.dataDir ? { flag: command.dataDir } : {}),
      scenariosDir: defaultScenariosDir(__dirname),
      launcher: workerLauncher(resolve(__dirname, 'run-worker.js')),
      analysisWorkerFile: resolve(__dirname, 'analysis-worker.js'),
      desktop: false,
    });
  } catch (e) {
    process.stderr.write(`PyGC Lab cannot start: ${e instanceof DatabaseRefusedError ? e.message : (e as Error).message}\n`);
    return 1;
  }

  let twin;
  try {
    twin = await startTwin({ service: app.service, rendererDir: resolve(__dirname, '../renderer'), port: command.port });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(
      `PyGC Lab cannot listen on 127.0.0.1:${command.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use (try --port 0)' : err.message}\n`,
    );
    await app.close();
    return 1;
  }

  // The address carries the page's token: printed to the user who started the twin, and nowhere else.
  process.stdout.write(`PyGC Lab is running at ${twin.pageUrl}\n(data: ${app.dbFile}; press Ctrl+C to stop)\n`);
  const shutdown = async () => {
    await twin.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  return null;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`PyGC Lab failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
