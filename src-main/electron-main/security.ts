// The desktop shell's security rules, as plain functions testable without Electron.
import { readFile, stat } from 'node:fs/promises';
import { contentTypeOf, SECURITY_HEADERS } from '../node/http/security';
import { resolveStaticPath } from '../node/http/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'pygc-lab';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The renderer's window: isolated, sandboxed, no Node. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/**
 * Is `url` (an IPC sender frame's, or a navigation target) our own page? Our app:// origin,
 * or in development the electron-vite dev server's origin (`devOrigin`).
 */
export function isAppUrl(url: string | undefined | null, devOrigin?: string): boolean {
  if (!url) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password) return true;
  return devOrigin !== undefined && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === devOrigin;
}

/** `protocol.handle(APP_SCHEME, …)`: files of the built renderer, with the CSP, nothing else. */
export function appProtocolHandler(rendererDir: string): (request: { url: string; method?: string }) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
    if (request.method && request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed', { status: 405, headers: SECURITY_HEADERS });
    }
    const file = resolveStaticPath(rendererDir, url.pathname);
    if (!file) return new Response('bad path', { status: 400, headers: SECURITY_HEADERS });
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': contentTypeOf(file) } });
  };
}
