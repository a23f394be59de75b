// The browser twin: the same service over HTTP + Server-Sent Events, on 127.0.0.1 only,
// with a per-start token required by every API request and by the page itself: any local
// process can connect to 127.0.0.1, so the page (which carries the token) is served only to
// whoever holds the address printed at start (`pageUrl`, with `?token=`), and from then on to
// the browser that opened it (an HttpOnly, SameSite=Strict cookie).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP, type ApiError, type AppApi, type AppEvent, type ErrorKind, type Reply } from '../../common/contract';
import { dispatch } from '../service';
import { contentTypeOf, SECURITY_HEADERS } from './security';
import { injectMeta, resolveStaticPath } from './static-files';

export interface TwinService extends AppApi {
  onEvent(listener: (event: AppEvent) => void): () => void;
}

export interface TwinOptions {
  service: TwinService;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  heartbeatMs?: number;
}

export interface Twin {
  /** The base address (no token): API calls and assets go below it. */
  url: string;
  /** The address to open: the page, with the token; only the user who started the twin sees it. */
  pageUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** A too-large body is read and discarded up to this much (so the client gets its 413, not a reset), then the connection is cut. */
const MAX_DISCARDED_BYTES = 256 * 1024 * 1024;
const CLOSE_GRACE_MS = 3000;
const STATUS_OF: Record<ErrorKind, number> = { 'invalid-argument': 400, 'not-found': 404, conflict: 409, unavailable: 503, internal: 500 };

export async function startTwin(o: TwinOptions): Promise<Twin> {
  const token = o.token ?? randomBytes(24).toString('hex');
  const tokenBytes = Buffer.from(token);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const tokenMatches = (given: string | null | undefined) => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };

  const cookieName = () => `pygc-lab-token-${port}`;
  const cookieToken = (req: IncomingMessage) => {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === cookieName()) return part.slice(eq + 1).trim();
    }
    return null;
  };
  // Responses not yet finished, so that close() lets the calls in flight reply.
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  let drained: (() => void) | null = null;

  const server = createServer((req, res) => {
    inFlight.add(res);
    if (closing) res.setHeader('connection', 'close');
    res.on('close', () => {
      inFlight.delete(res);
      if (!closing) return;
      server.closeIdleConnections();
      if (inFlight.size === 0) drained?.();
    });
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendReply(res, 500, { ok: false, error: { kind: 'internal', message: e instanceof Error ? e.message : String(e) } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    // Only our own address: a page elsewhere cannot reach us through DNS rebinding.
    const host = req.headers.host ?? '';
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return sendText(res, 403, 'forbidden host');
    const origin = req.headers.origin;
    if (origin && origin !== `http://${host}`) return sendText(res, 403, 'forbidden origin');

    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${host}`);
    } catch {
      return sendText(res, 400, 'malformed URL');
    }
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    return serveStatic(req, res, url);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === HTTP.eventsPath && req.method === 'GET') {
      if (!tokenMatches(url.searchParams.get('token'))) return sendReply(res, 403, badToken());
      return openStream(req, res);
    }
    if (url.pathname.startsWith(HTTP.callPath) && req.method === 'POST') {
      const header = req.headers[HTTP.tokenHeader];
      if (!tokenMatches(Array.isArray(header) ? header[0] : header)) return sendReply(res, 403, badToken());
      let method: string;
      try {
        method = decodeURIComponent(url.pathname.slice(HTTP.callPath.length));
      } catch {
        return sendReply(res, 400, { ok: false, error: { kind: 'invalid-argument', message: 'the method name is not a valid URI component', field: 'method' } });
      }
      const declared = Number(req.headers['content-length']);
      if (declared > MAX_BODY_BYTES) return refuseBody(req, res);
      let args: unknown;
      try {
        const body = await readBody(req);
        args = body.length ? JSON.parse(body) : {};
      } catch (e) {
        if (e instanceof BodyTooLarge) return refuseBody(req, res);
        return sendReply(res, 400, { ok: false, error: { kind: 'invalid-argument', message: 'the request body is not valid JSON' } });
      }
      const reply = await dispatch(o.service, method, args);
      return sendReply(res, reply.ok ? 200 : STATUS_OF[reply.error.kind], reply);
    }
    return sendReply(res, 404, { ok: false, error: { kind: 'not-found', message: `no API endpoint ${req.method} ${url.pathname}` } });
  }

  function openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    const off = o.service.onEvent((event) => {
      res.write(`event: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), o.heartbeatMs ?? 15_000);
    heartbeat.unref();
    const cleanup = () => {
      off();
      clearInterval(heartbeat);
      streams.delete(res);
    };
    req.on('close', cleanup);
    res.on('error', cleanup);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const pathname = url.pathname;
    const file = resolveStaticPath(o.rendererDir, pathname);
    if (!file) return sendText(res, 400, 'bad path');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      const missingUi = pathname === '/' || pathname === '/index.html';
      return sendText(res, 404, missingUi ? 'The user interface is not built: run `npm run build`.' : 'not found');
    }
    const type = contentTypeOf(file);
    if (file.endsWith('index.html')) {
      // The page carries the token: only for the address printed at start, or the browser that opened it.
      const fromQuery = tokenMatches(url.searchParams.get('token'));
      if (!fromQuery && !tokenMatches(cookieToken(req))) {
        return sendText(res, 401, 'PyGC Lab needs its access token: open the full address printed when it started (it ends in ?token=…).');
      }
      const html = injectMeta(await readFile(file, 'utf8'), HTTP.tokenMeta, token);
      res.writeHead(200, {
        'content-type': type,
        'cache-control': 'no-store',
        ...(fromQuery ? { 'set-cookie': `${cookieName()}=${token}; Path=/; HttpOnly; SameSite=Strict` } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/`,
    pageUrl: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    // Stops listening and ends the event streams at once; a call in flight (an analysis in the
    // worker, say) still gets its reply, within CLOSE_GRACE_MS, rather than an empty response,
    // and its connection is closed as soon as it is idle.
    async close() {
      closing = true;
      for (const r of inFlight) if (!r.headersSent) r.setHeader('connection', 'close');
      for (const s of streams) s.end();
      const stopped = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      let force: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => {
          drained = r;
          if (inFlight.size === 0) r();
        }),
        new Promise<void>((r) => (force = setTimeout(r, CLOSE_GRACE_MS))),
      ]);
      clearTimeout(force);
      server.closeAllConnections();
      await stopped;
    },
  };
}

class BodyTooLarge extends Error {}

/**
 * 413 for a body over the limit. The rest of the body is read and discarded before the
 * connection closes: closing a socket with unread data resets it, and the client would see a
 * reset instead of the answer. Past MAX_DISCARDED_BYTES the connection is cut anyway.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse): void {
  let discarded = 0;
  req.removeAllListeners('data');
  req.on('data', (c: Buffer) => {
    discarded += c.length;
    if (discarded > MAX_DISCARDED_BYTES) req.destroy();
  });
  req.on('error', () => {});
  req.resume();
  const body = JSON.stringify({ ok: false, error: { kind: 'invalid-argument', message: `the request body is larger than ${MAX_BODY_BYTES} bytes` } });
  const send = () => {
    if (res.headersSent) return;
    res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    res.end(body);
  };
  if (req.complete) send();
  else req.once('end', send);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function badToken(): Reply<never> {
  const error: ApiError = { kind: 'invalid-argument', message: 'missing or wrong token', field: 'token' };
  return { ok: false, error };
}

function sendReply(res: ServerResponse, status: number, reply: Reply<unknown>): void {
  const body = JSON.stringify(reply);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
