import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiBridge, AppEvent } from '../common/contract';
import { IPC_CHANNELS } from '../common/domain';

const exposed: Record<string, unknown> = {};
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 42 }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: {
    invoke,
    on: (channel: string, l: (...a: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (...a: unknown[]) => void) => listeners.get(channel)?.delete(l),
  },
}));

describe('preload', () => {
  beforeEach(async () => {
    await import('./index');
  });

  it('exposes only window.api, an ApiBridge over the IPC channels', async () => {
    expect(Object.keys(exposed)).toEqual(['api']);
    const api = exposed['api'] as ApiBridge;
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent']);
    expect(await api.call('getSession', { id: 1 })).toEqual({ ok: true, value: 42 });
    expect(invoke).toHaveBeenCalledWith(IPC_CHANNELS.call, 'getSession', { id: 1 });
  });

  it('delivers pushed events until unsubscribed', () => {
    const api = exposed['api'] as ApiBridge;
    const got: AppEvent[] = [];
    const off = api.onEvent((e) => got.push(e));
    const event: AppEvent = { name: 'sessionsChanged', payload: { sessionId: 1, change: 'created' } };
    for (const l of listeners.get(IPC_CHANNELS.event)!) l({}, event);
    off();
    for (const l of listeners.get(IPC_CHANNELS.event) ?? []) l({}, event);
    expect(got).toEqual([event]);
  });
});
