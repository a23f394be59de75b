import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { injectMeta, resolveStaticPath } from './static-files';

describe('resolveStaticPath', () => {
  const root = resolve('/srv/renderer');
  it('maps paths inside the root, / to index.html', () => {
    expect(resolveStaticPath(root, '/')).toBe(resolve(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/a%20b.js')).toBe(resolve(root, 'assets/a b.js'));
  });
  it('refuses traversal, encoded or not, backslashes, NUL and malformed escapes', () => {
    for (const p of ['/../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/x', '/..%2fx', '/a%5c..%5c..%5cx', '/%00', '/%E0%A4%A', 'relative', '/..']) {
      expect(resolveStaticPath(root, p), p).toBeNull();
    }
  });
});

describe('injectMeta', () => {
  it('adds the tag at the end of the head, escaped', () => {
    expect(injectMeta('<html><head><meta charset="utf-8"></head><body></body></html>', 'pygc-token', 'a"b<c')).toBe(
      '<html><head><meta charset="utf-8"><meta name="pygc-token" content="a&#34;b&#60;c"></head><body></body></html>',
    );
    expect(injectMeta('<p>no head</p>', 'n', 'v')).toBe('<meta name="n" content="v"><p>no head</p>');
  });
});
