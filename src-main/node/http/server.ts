// The browser twin: the same service over HTTP + Server-Sent Events, on 127.0.0.1 only,
// with a per-start token required by every API request.
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
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 8 * 1024 * 1024;
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

  const server = createServer((req, res) => {
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

    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    return serveStatic(req, res, url.pathname);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === HTTP.eventsPath && req.method === 'GET') {
      if (!tokenMatches(url.searchParams.get('token'))) return sendReply(res, 403, badToken());
      return openStream(req, res);
    }
    if (url.pathname.startsWith(HTTP.callPath) && req.method === 'POST') {
      const header = req.headers[HTTP.tokenHeader];
      if (!tokenMatches(Array.isArray(header) ? header[0] : header)) return sendReply(res, 403, badToken());
      const method = decodeURIComponent(url.pathname.slice(HTTP.callPath.length));
      let args: unknown;
      try {
        const body = await readBody(req);
        args = body.length ? JSON.parse(body) : {};
      } catch (e) {
        const message = e instanceof BodyTooLarge ? e.message : 'the request body is not valid JSON';
        return sendReply(res, e instanceof BodyTooLarge ? 413 : 400, { ok: false, error: { kind: 'invalid-argument', message } });
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

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const file = resolveStaticPath(o.rendererDir, pathname);
    if (!file) return sendText(res, 400, 'bad path');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      const missingUi = pathname === '/' || pathname === '/index.html';
      return sendText(res, 404, missingUi ? 'The user interface is not built: run `npm run build`.' : 'not found');
    }
    const type = contentTypeOf(file);
    if (file.endsWith('index.html')) {
      const html = injectMeta(await readFile(file, 'utf8'), HTTP.tokenMeta, token);
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
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
    port,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const s of streams) s.end();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge(`the request body is larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
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
