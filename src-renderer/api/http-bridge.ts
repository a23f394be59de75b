// The browser twin's transport: calls are POSTs carrying the per-start token, events
// arrive over one Server-Sent Events stream shared by every listener.
import { HTTP, type ApiBridge, type ApiMethod, type AppEvent, type AppEventName, type Reply } from '../../src-main/common/contract';

// A record, so that an event added to the contract fails the type-check until it is listened to here.
const LISTENED: Record<AppEventName, true> = { runProgress: true, runOutput: true, runFinished: true, sessionsChanged: true, snapshotTaken: true };
export const EVENT_NAMES = Object.keys(LISTENED) as readonly AppEventName[];

interface EventSourceLike {
  addEventListener(type: string, listener: (e: { data: string }) => void): void;
  close(): void;
}

export interface HttpBridgeOptions {
  /** Origin plus base path, e.g. `http://127.0.0.1:4000` or '' for the page's origin. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
}

export class HttpBridge implements ApiBridge {
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;
  private readonly createEventSource: (url: string) => EventSourceLike;
  private readonly listeners = new Set<(event: AppEvent) => void>();
  private source: EventSourceLike | null = null;

  constructor(options: HttpBridgeOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.token = options.token;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.createEventSource = options.createEventSource ?? ((url) => new EventSource(url));
  }

  async call(method: ApiMethod, args: unknown): Promise<Reply<unknown>> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${HTTP.callPath}${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HTTP.tokenHeader]: this.token },
        body: JSON.stringify(args ?? {}),
      });
    } catch (e) {
      return { ok: false, error: { kind: 'unavailable', message: `The PyGC Lab service is not reachable (${errorText(e)})` } };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return { ok: false, error: { kind: 'internal', message: `The service answered ${response.status} ${response.statusText} without a JSON reply` } };
    }
    if (isReply(body)) return body;
    return { ok: false, error: { kind: 'internal', message: `The service answered ${response.status} with an unexpected body` } };
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    this.listeners.add(listener);
    this.ensureStream();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.source?.close();
        this.source = null;
      }
    };
  }

  private ensureStream(): void {
    if (this.source) return;
    const url = `${this.baseUrl}${HTTP.eventsPath}?token=${encodeURIComponent(this.token)}`;
    const source = this.createEventSource(url);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        let payload: unknown;
        try {
          payload = JSON.parse(e.data);
        } catch {
          return;
        }
        const event = { name, payload } as AppEvent;
        for (const l of [...this.listeners]) l(event);
      });
    }
    this.source = source;
  }
}

function isReply(body: unknown): body is Reply<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const b = body as { ok: unknown; error?: { kind?: unknown; message?: unknown } };
  if (b.ok === true) return true;
  return b.ok === false && typeof b.error?.kind === 'string' && typeof b.error.message === 'string';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
