// Starts the browser twin (`node out/main/serve.js --port 0 --data DIR`) and reads the address it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const SERVE_SCRIPT = join(process.cwd(), 'out', 'main', 'serve.js');
const ADDRESS = /https?:\/\/127\.0\.0\.1:\d+\/(\?token=[0-9a-f]+)?/;
const START_TIMEOUT_MS = 60_000;

export interface Twin {
  url: string;
  stop(): Promise<void>;
}

export async function startTwin(dataDir: string): Promise<Twin> {
  const child = spawn(process.execPath, [SERVE_SCRIPT, '--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the twin printed no address within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\n--- twin output ---\n${output}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ADDRESS.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`the twin exited early (code ${code}, signal ${signal})`)));
  });
  child.removeAllListeners('exit');
  return { url, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
