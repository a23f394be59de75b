import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../node/http/security';
import { APP_ENTRY_URL, appProtocolHandler, isAppUrl, WEB_PREFERENCES } from './security';

describe('isAppUrl (IPC sender and navigation check)', () => {
  it('accepts only our app:// origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://pygc-lab/sessions/3')).toBe(true);
    for (const url of ['app://evil/index.html', 'file:///work/main/out/renderer/index.html', 'https://pygc-lab/', 'http://127.0.0.1:5173/', 'app://user:pw@pygc-lab/', 'about:blank', 'not a url', '', undefined, null]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });

  it('accepts the dev server only when it is the given dev origin', () => {
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/index.html', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('http://localhost:5173/index.html')).toBe(false);
  });
});

describe('window preferences', () => {
  it('isolated, sandboxed, without Node', () => {
    expect(WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('the CSP allows nothing but the app itself', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|\*/);
  });
});

describe('app:// protocol handler', () => {
  let root: string;
  let handler: ReturnType<typeof appProtocolHandler>;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'pygc-proto-'));
    mkdirSync(join(root, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(root, 'renderer', 'index.html'), '<html></html>');
    writeFileSync(join(root, 'renderer', 'assets', 'a.js'), 'x');
    writeFileSync(join(root, 'secret.txt'), 'secret');
    handler = appProtocolHandler(join(root, 'renderer'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves the renderer files with their type and the CSP', async () => {
    const index = await handler({ url: APP_ENTRY_URL });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toBe('<html></html>');
    expect((await handler({ url: 'app://pygc-lab/assets/a.js' })).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await handler({ url: 'app://pygc-lab/' })).status).toBe(200);
  });

  it('refuses other hosts, traversal and missing files', async () => {
    expect((await handler({ url: 'app://other/index.html' })).status).toBe(404);
    for (const url of ['app://pygc-lab/%2e%2e/secret.txt', 'app://pygc-lab/assets/..%2f..%2fsecret.txt', 'app://pygc-lab/../secret.txt']) {
      const res = await handler({ url });
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain('secret');
    }
    expect((await handler({ url: 'app://pygc-lab/nope.js' })).status).toBe(404);
    expect((await handler({ url: 'app://pygc-lab/index.html', method: 'POST' })).status).toBe(405);
  });
});
