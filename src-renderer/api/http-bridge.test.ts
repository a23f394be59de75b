import { describe, expect, it } from 'vitest';
import { createApi, AppError, type AppEvent } from '../../src-main/common/contract';
import { HttpBridge } from './http-bridge';

interface Recorded {
  url: string;
  init: RequestInit | undefined;
}

function fetchDouble(reply: (url: string) => Response | Promise<Response>) {
  const calls: Recorded[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return reply(String(input));
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('HttpBridge.call', () => {
  it('POSTs the JSON args to /api/call/<method> with the token header', async () => {
    const { calls, fetchImpl } = fetchDouble(() => json({ ok: true, value: [] }));
    const bridge = new HttpBridge({ baseUrl: 'http://127.0.0.1:9/', token: 'tok', fetch: fetchImpl });
    const reply = await bridge.call('listSessions', { search: 'demo' });
    expect(reply).toEqual({ ok: true, value: [] });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/api/call/listSessions');
    expect(calls[0]!.init?.method).toBe('POST');
    expect((calls[0]!.init?.headers as Record<string, string>)['x-pygc-token']).toBe('tok');
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({ search: 'demo' });
  });

  it('passes an error reply through, field included, and createApi throws it as an AppError', async () => {
    const error = { kind: 'invalid-argument', message: 'settings.thresholds.0: must be between 0 and 1,000,000', field: 'settings.thresholds.0' };
    const { fetchImpl } = fetchDouble(() => json({ ok: false, error }, 400));
    const api = createApi(new HttpBridge({ baseUrl: '', token: 't', fetch: fetchImpl }));
    const failure = await api.getSession({ id: 1 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ kind: 'invalid-argument', field: 'settings.thresholds.0' });
  });

  it('turns a network failure into an unavailable reply', async () => {
    const bridge = new HttpBridge({
      baseUrl: '',
      token: 't',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
    });
    const reply = await bridge.call('appInfo', {});
    expect(reply).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    expect(!reply.ok && reply.error.message).toContain('Failed to fetch');
  });

  it('rejects a body that is not JSON or not a Reply', async () => {
    const text = fetchDouble(() => new Response('<html>403</html>', { status: 403, statusText: 'Forbidden' }));
    const r1 = await new HttpBridge({ baseUrl: '', token: 't', fetch: text.fetchImpl }).call('appInfo', {});
    expect(r1).toMatchObject({ ok: false, error: { kind: 'internal', message: expect.stringContaining('403') } });
    const odd = fetchDouble(() => json({ hello: 1 }));
    const r2 = await new HttpBridge({ baseUrl: '', token: 't', fetch: odd.fetchImpl }).call('appInfo', {});
    expect(r2).toMatchObject({ ok: false, error: { kind: 'internal' } });
  });
});

describe('HttpBridge.onEvent', () => {
  class FakeSource {
    static opened: FakeSource[] = [];
    handlers = new Map<string, (e: { data: string }) => void>();
    closed = false;
    constructor(readonly url: string) {
      FakeSource.opened.push(this);
    }
    addEventListener(type: string, l: (e: { data: string }) => void) {
      this.handlers.set(type, l);
    }
    close() {
      this.closed = true;
    }
    emit(type: string, data: string) {
      this.handlers.get(type)?.({ data });
    }
  }

  it('opens one stream with the token, dispatches typed events and closes with the last listener', () => {
    FakeSource.opened = [];
    const bridge = new HttpBridge({ baseUrl: 'http://h', token: 'a b', createEventSource: (url) => new FakeSource(url) });
    const seenA: AppEvent[] = [];
    const seenB: AppEvent[] = [];
    const offA = bridge.onEvent((e) => seenA.push(e));
    const offB = bridge.onEvent((e) => seenB.push(e));
    expect(FakeSource.opened).toHaveLength(1);
    const source = FakeSource.opened[0]!;
    expect(source.url).toBe('http://h/api/events?token=a%20b');

    source.emit('runFinished', JSON.stringify({ sessionId: 3, status: 'complete', message: null }));
    source.emit('runProgress', 'not json');
    expect(seenA).toEqual([{ name: 'runFinished', payload: { sessionId: 3, status: 'complete', message: null } }]);
    expect(seenB).toEqual(seenA);

    const snapshot = { id: 1, sessionId: 3, seq: 1, t: 5, reason: 'user', groups: 1, count: 1, bytes: 8, generations: [1, 0, 0, 0, 0], graphKept: true, graphOmitted: null };
    source.emit('snapshotTaken', JSON.stringify(snapshot));
    expect(seenA.at(-1)).toEqual({ name: 'snapshotTaken', payload: snapshot });

    offA();
    expect(source.closed).toBe(false);
    offB();
    expect(source.closed).toBe(true);
  });
});
