// Mapping a URL path to a file under the renderer folder, refusing anything outside it.
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** The file for `urlPath` inside `root`, or null when the path is malformed or escapes `root`. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  const wanted = decoded === '/' ? '/index.html' : decoded;
  if (wanted.split('/').some((part) => part === '..')) return null;
  const base = resolve(root);
  const file = resolve(base, '.' + wanted);
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !file.startsWith(base + sep)) return null;
  return file;
}

/** Adds `<meta name="NAME" content="VALUE">` at the end of the document head. */
export function injectMeta(html: string, name: string, value: string): string {
  const tag = `<meta name="${escapeAttr(name)}" content="${escapeAttr(value)}">`;
  const end = html.search(/<\/head>/i);
  if (end >= 0) return html.slice(0, end) + tag + html.slice(end);
  const head = /<head[^>]*>/i.exec(html);
  if (!head) return tag + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + tag + html.slice(at);
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
