// Closing the twin while a call is in flight: the call gets its reply (not an empty response),
// and close() resolves once it has.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HTTP, type AppApi } from '../../common/contract';
import type { SessionDetail } from '../../common/domain';
import { startTwin, type TwinService } from './server';

const root = mkdtempSync(join(tmpdir(), 'pygc-http-close-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('twin.close', () => {
  it('lets a call in flight reply, then resolves', async () => {
    mkdirSync(join(root, 'renderer'));
    writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
    let answer!: () => void;
    const slow = new Promise<void>((r) => (answer = r));
    let asked!: () => void;
    const arrived = new Promise<void>((r) => (asked = r));
    const service = {
      onEvent: () => () => undefined,
      getSession: async () => {
        asked();
        await slow;
        return { id: 1 } as SessionDetail;
      },
    } as Partial<AppApi> as TwinService;
    const twin = await startTwin({ service, rendererDir: join(root, 'renderer'), port: 0 });
    const reply = fetch(`${twin.url.replace(/\/$/, '')}${HTTP.callPath}getSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HTTP.tokenHeader]: twin.token },
      body: JSON.stringify({ id: 1 }),
    });
    await arrived;
    let closed = false;
    const closing = twin.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    answer();
    const res = await reply;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, value: { id: 1 } });
    await closing;
    expect(closed).toBe(true);
  });
});
