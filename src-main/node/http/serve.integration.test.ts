// The front door as a user meets it: `node bin/start.cjs` (what `npm start` runs after the
// build) where Electron cannot run, and `serve.js --port`. Skipped without a build.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HTTP } from '../../common/contract';

const root = resolve(__dirname, '../../..');
const built = existsSync(join(root, 'out/main/serve.js')) && existsSync(join(root, 'out/renderer/index.html'));

describe.skipIf(!built)('front door (built)', () => {
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function launch(args: string[]): Promise<{ url: string; out: () => string }> {
    dataDir = mkdtempSync(join(tmpdir(), 'pygc-front-'));
    let out = '';
    child = spawn(process.execPath, args, {
      cwd: root,
      // A missing ELECTRON_BINARY forces the fallback even where Electron is installed.
      env: { ...process.env, PYGC_LAB_DATA: dataDir, ELECTRON_BINARY: join(dataDir, 'no-electron') },
    });
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no address printed:\n${out}`)), 15_000);
      const check = () => {
        const m = /PyGC Lab is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48})\n/.exec(out);
        if (m) {
          clearTimeout(timer);
          done({ url: m[1]!, out: () => out });
        }
      };
      child!.stdout!.on('data', check);
      child!.on('exit', () => fail(new Error(`exited early:\n${out}`)));
    });
  }

  it('npm start falls back to the browser twin, prints its address, serves the UI with a token, stops cleanly', async () => {
    const { url, out } = await launch(['bin/start.cjs']);
    expect(out()).toMatch(/browser twin instead of the desktop window: ELECTRON_BINARY .* does not exist/);
    const base = url.replace(/\?token=.*$/, '');
    // The page (and with it the token) only for the printed address: not for any local process that connects.
    const bare = await fetch(base);
    expect(bare.status).toBe(401);
    expect(await bare.text()).not.toMatch(/[0-9a-f]{48}/);
    const html = await (await fetch(url)).text();
    const token = new RegExp(`<meta name="${HTTP.tokenMeta}" content="([0-9a-f]+)">`).exec(html)?.[1];
    expect(token).toBeDefined();
    expect(url).toBe(`${base}?token=${token}`);
    const reply = await fetch(`${base}api/call/appInfo`, { method: 'POST', headers: { [HTTP.tokenHeader]: token! }, body: '{}' });
    expect(await reply.json()).toMatchObject({ ok: true, value: { desktop: false, dataDir } });
    const exited = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out()).not.toMatch(/\n\s+at /);
  });

  it('serve.js listens on the --port it is given', async () => {
    const probe = await new Promise<number>((r) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => r(port));
      });
    });
    const { url } = await launch(['out/main/serve.js', '--port', String(probe)]);
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${probe}/\\?token=`));
  });
});
