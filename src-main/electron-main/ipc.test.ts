import { describe, expect, it, vi } from 'vitest';
import type { AppApi, AppEvent } from '../common/contract';
import { IPC_CHANNELS } from '../common/domain';
import { createCallHandler, forwardEvents, registerIpc, type EventTarget } from './ipc';
import { APP_ENTRY_URL } from './security';

const service = {
  appInfo: vi.fn(async () => ({ version: '1', dataDir: '/d', desktop: true })),
  getSession: vi.fn(async () => {
    throw new Error('should not be reached with bad args');
  }),
} as unknown as AppApi;

describe('IPC', () => {
  it('answers calls from our window', async () => {
    const handle = createCallHandler(service);
    expect(await handle(APP_ENTRY_URL, 'appInfo', {})).toEqual({ ok: true, value: { version: '1', dataDir: '/d', desktop: true } });
  });

  it('refuses calls from any other frame without calling the service', async () => {
    const handle = createCallHandler(service);
    vi.mocked(service.appInfo).mockClear();
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', undefined]) {
      expect(await handle(url, 'appInfo', {})).toMatchObject({ ok: false, error: { kind: 'invalid-argument', field: 'sender' } });
    }
    expect(service.appInfo).not.toHaveBeenCalled();
  });

  it('parses arguments with the schema: bad ones are a typed error', async () => {
    const handle = createCallHandler({ getSession: async (a: unknown) => ({ got: a }) } as unknown as AppApi);
    expect(await handle(APP_ENTRY_URL, 'nope', {})).toMatchObject({ ok: false, error: { kind: 'invalid-argument', field: 'method' } });
  });

  it('registers the call channel and passes the sender frame url', async () => {
    let registered: ((event: unknown, method: unknown, args: unknown) => unknown) | undefined;
    const ipcMain = { handle: vi.fn((channel: string, fn: typeof registered) => channel === IPC_CHANNELS.call && (registered = fn)) };
    const handler = vi.fn(async () => ({ ok: true as const, value: 1 }));
    registerIpc(ipcMain as never, handler);
    await registered!({ senderFrame: { url: APP_ENTRY_URL } }, 'appInfo', {});
    await registered!({ senderFrame: null }, 'appInfo', {});
    expect(handler.mock.calls).toEqual([[APP_ENTRY_URL, 'appInfo', {}], [undefined, 'appInfo', {}]]);
  });

  it('pushes events only to live windows showing our page', () => {
    let emit: (e: AppEvent) => void = () => {};
    const svc = { onEvent: (l: (e: AppEvent) => void) => ((emit = l), () => {}) };
    const window = (url: string, destroyed = false): EventTarget & { sent: unknown[] } => {
      const sent: unknown[] = [];
      return { sent, isDestroyed: () => destroyed, getURL: () => url, send: (c, e) => sent.push([c, e]) };
    };
    const ours = window(APP_ENTRY_URL);
    const foreign = window('https://example.com/');
    const dead = window(APP_ENTRY_URL, true);
    forwardEvents(svc, () => [ours, foreign, dead]);
    const event: AppEvent = { name: 'runFinished', payload: { sessionId: 1, status: 'complete', message: null } };
    emit(event);
    expect(ours.sent).toEqual([[IPC_CHANNELS.event, event]]);
    expect(foreign.sent).toEqual([]);
    expect(dead.sent).toEqual([]);
  });
});
