import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP, type AppEvent } from '../../common/contract';
import { DEFAULT_SETTINGS, openApp, type OpenApp } from '../app';
import { fakeRunner } from '../testing/fake-runner';
import { inProcessLauncher } from '../workers/launcher';
import { CONTENT_SECURITY_POLICY } from './security';
import { startTwin, type Twin } from './server';

let root: string;
let app: OpenApp;
let twin: Twin;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pygc-http-'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><html><head><title>PyGC Lab</title></head><body></body></html>');
  writeFileSync(join(renderer, 'assets', 'main.js'), 'console.log(1)');
  writeFileSync(join(renderer, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
  mkdirSync(join(root, 'scenarios'));
  writeFileSync(join(root, 'scenarios', 'cycles.py'), '"""Cycles\n\nRef cycles."""\n');
  app = await openApp({
    dataDir: join(root, 'data'),
    scenariosDir: join(root, 'scenarios'),
    launcher: inProcessLauncher(fakeRunner({ steps: 3000, collectEvery: 1000 })),
    desktop: false,
    demoOnFirstLaunch: false,
  });
  twin = await startTwin({ service: app.service, rendererDir: renderer, port: 0 });
});
afterAll(async () => {
  await twin.close();
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

const call = (method: string, body: unknown, token: string | null = twin.token) =>
  fetch(`${twin.url.replace(/\/$/, '')}${HTTP.callPath}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { [HTTP.tokenHeader]: token }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A raw request, to send what fetch refuses to (a foreign Host, a '..' path). */
function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: twin.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser twin', () => {
  it('listens on 127.0.0.1 with a fresh token each start', async () => {
    expect(twin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(twin.token).toMatch(/^[0-9a-f]{48}$/);
    const other = await startTwin({ service: app.service, rendererDir: join(root, 'renderer') });
    expect(other.token).not.toBe(twin.token);
    await other.close();
  });

  it('answers calls with the token, and 403 without it or with a wrong one', async () => {
    const ok = await call('appInfo', {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, value: { desktop: false } });
    const missing = await call('listSessions', {}, null);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ ok: false, error: { field: 'token' } });
    expect((await call('listSessions', {}, 'f'.repeat(48))).status).toBe(403);
    expect((await call('listSessions', {}, 'short')).status).toBe(403);
  });

  it('bad arguments get a typed error reply, never a crash', async () => {
    const bad = await call('getSession', { id: 'one' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ ok: false, error: { kind: 'invalid-argument', message: expect.any(String), field: 'id' } });
    const notJson = await call('listSessions', '{nope');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
    const unknown = await call('dropEverything', {});
    expect(await unknown.json()).toMatchObject({ ok: false, error: { kind: 'invalid-argument', field: 'method' } });
    const missing = await call('getSession', { id: 12345 });
    expect(missing.status).toBe(404);
    expect((await call('appInfo', {})).status).toBe(200);
  });

  it('the SSE stream requires the token and delivers events', async () => {
    const base = twin.url.replace(/\/$/, '');
    expect((await fetch(`${base}${HTTP.eventsPath}`)).status).toBe(403);
    const controller = new AbortController();
    const res = await fetch(`${base}${HTTP.eventsPath}?token=${twin.token}`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const started = (await (await call('startRun', { scenarioId: 'cycles', settings: DEFAULT_SETTINGS })).json()) as { value: { sessionId: number } };
    while (!text.includes('event: runFinished')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => ({ name: m[1], payload: JSON.parse(m[2]!) }) as AppEvent);
    expect(events[0]).toEqual({ name: 'sessionsChanged', payload: { sessionId: started.value.sessionId, change: 'created' } });
    expect(events.find((e) => e.name === 'runFinished')!.payload).toEqual({ sessionId: started.value.sessionId, status: 'complete', message: null });
  });

  it('serves the renderer with content types, the CSP and the token in index.html', async () => {
    const base = twin.url.replace(/\/$/, '');
    expect(twin.pageUrl).toBe(`${twin.url}?token=${twin.token}`);
    const index = await fetch(twin.pageUrl);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toContain(`<title>PyGC Lab</title><meta name="${HTTP.tokenMeta}" content="${twin.token}"></head>`);
    const js = await fetch(`${base}/assets/main.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${base}/assets/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses path traversal and foreign hosts', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/%00']) {
      const r = await raw(path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain('do not serve');
    }
    expect((await raw('/', { host: `evil.example:${twin.port}` })).status).toBe(403);
    expect((await raw(`/?token=${twin.token}`, { host: `localhost:${twin.port}` })).status).toBe(200);
    const crossOrigin = await fetch(`${twin.url}api/call/appInfo`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', [HTTP.tokenHeader]: twin.token },
      body: '{}',
    });
    expect(crossOrigin.status).toBe(403);
  });

  it('hands the page (and its token) only to the printed address or the browser that opened it, never to any local process', async () => {
    const base = twin.url.replace(/\/$/, '');
    for (const path of ['/', '/index.html', '/?token=', `/?token=${'0'.repeat(48)}`]) {
      const r = await raw(path);
      expect(r.status, path).toBe(401);
      expect(r.body).not.toContain(twin.token);
      expect(r.body).toMatch(/open the full address printed when it started/);
    }
    const opened = await fetch(twin.pageUrl);
    const cookie = opened.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^pygc-lab-token-${twin.port}=${twin.token}; Path=/; HttpOnly; SameSite=Strict$`));
    // A reload of / from that browser works through the cookie.
    const again = await raw('/', { cookie: cookie.split(';')[0]! });
    expect(again.status).toBe(200);
    expect(again.body).toContain(twin.token);
    expect((await raw('/', { cookie: `pygc-lab-token-${twin.port}=${'f'.repeat(48)}` })).status).toBe(401);
    // Assets carry no secret and stay public.
    expect((await fetch(`${base}/assets/main.js`)).status).toBe(200);
  });

  it('a malformed URI is a 400, not a 500', async () => {
    for (const path of ['/%', '/assets/%E0%A4%A', `${HTTP.callPath}%ZZ`, `${HTTP.callPath}app%`]) {
      const r = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: twin.port, path, method: path.startsWith('/api/') ? 'POST' : 'GET', headers: { [HTTP.tokenHeader]: twin.token } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', (e) => reject(new Error(`${path}: ${e.message}`)));
        req.end(path.startsWith('/api/') ? '{}' : undefined);
      });
      expect(r, path).toBe(400);
    }
  });

  it('a 50 MB body gets a clean 413 reply, not a connection reset, and the twin keeps answering', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: twin.port, path: `${HTTP.callPath}listSessions`, method: 'POST', headers: { [HTTP.tokenHeader]: twin.token, 'transfer-encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < big.length; i += 1 << 20) req.write(big.subarray(i, i + (1 << 20)));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ ok: false, error: { kind: 'invalid-argument', message: expect.stringMatching(/larger than/) } });
    const declared = await fetch(`${twin.url}api/call/listSessions`, { method: 'POST', headers: { [HTTP.tokenHeader]: twin.token }, body: big });
    expect(declared.status).toBe(413);
    expect((await call('appInfo', {})).status).toBe(200);
  });
});
