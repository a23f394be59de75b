#!/usr/bin/env node
// `npm start` (after the build): the Electron window where Electron can run, otherwise the
// browser twin on 127.0.0.1, whose address is printed.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { electronRuntime } = require('./electron-runtime.cjs');

const appRoot = join(__dirname, '..');
const args = process.argv.slice(2);

function startTwin(why) {
  const serve = join(appRoot, 'out', 'main', 'serve.js');
  if (!existsSync(serve)) {
    process.stderr.write('PyGC Lab is not built yet: run `npm run build` (or `npm start`, which builds first).\n');
    process.exit(1);
  }
  process.stdout.write(`Opening the browser twin instead of the desktop window: ${why}.\n`);
  require(serve);
}

const runtime = electronRuntime({ appRoot });
if ('reason' in runtime) {
  startTwin(runtime.reason);
} else {
  const child = spawn(runtime.binary, [appRoot, ...args], { stdio: 'inherit' });
  let fellBack = false;
  child.on('error', (e) => {
    fellBack = true;
    startTwin(`Electron could not start (${e.message})`);
  });
  child.on('exit', (code, signal) => {
    if (fellBack) return;
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 0);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
