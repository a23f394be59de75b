// bin/electron-runtime.cjs decides what `npm start` opens; it is plain CommonJS so it runs
// before any build, and is tested here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

type Runtime = { binary: string } | { reason: string };
const { electronRuntime } = createRequire(import.meta.url)(resolve(__dirname, '../../bin/electron-runtime.cjs')) as {
  electronRuntime: (o: { appRoot: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform }) => Runtime;
};

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pygc-start-'));
  mkdirSync(join(root, 'node_modules', 'electron', 'dist'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'electron', 'package.json'), '{"name":"electron","main":"index.js"}');
  // If detection ever required the package, this would throw.
  writeFileSync(join(root, 'node_modules', 'electron', 'index.js'), 'throw new Error("required electron")');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('electronRuntime', () => {
  it('no downloaded binary: falls back, with the reason', () => {
    expect(electronRuntime({ appRoot: root, env: { DISPLAY: ':0' }, platform: 'linux' })).toEqual({ reason: expect.stringMatching(/not downloaded/) });
  });

  it('a downloaded binary and a display: runs Electron', () => {
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    writeFileSync(join(root, 'node_modules', 'electron', 'dist', 'electron'), '');
    expect(electronRuntime({ appRoot: root, env: { DISPLAY: ':0' }, platform: 'linux' })).toEqual({ binary: join(root, 'node_modules', 'electron', 'dist', 'electron') });
    expect(electronRuntime({ appRoot: root, env: {}, platform: 'linux' })).toEqual({ reason: expect.stringMatching(/no display/) });
    expect(electronRuntime({ appRoot: root, env: {}, platform: 'darwin' })).toHaveProperty('binary');
  });

  it('path.txt naming a missing binary, a missing package, or a wrong ELECTRON_BINARY fall back', () => {
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(electronRuntime({ appRoot: root, env: { DISPLAY: ':0' }, platform: 'linux' })).toEqual({ reason: expect.stringMatching(/binary is missing/) });
    expect(electronRuntime({ appRoot: tmpdir(), env: { DISPLAY: ':0' }, platform: 'linux' })).toEqual({ reason: expect.stringMatching(/not installed/) });
    expect(electronRuntime({ appRoot: root, env: { ELECTRON_BINARY: join(root, 'nope') }, platform: 'linux' })).toEqual({ reason: expect.stringMatching(/does not exist/) });
  });

  it('on this repository without a binary, it says so rather than throwing', () => {
    const r = electronRuntime({ appRoot: resolve(__dirname, '../..'), env: { DISPLAY: ':0' }, platform: 'linux' });
    expect('reason' in r || 'binary' in r).toBe(true);
  });
});
