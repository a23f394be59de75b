import { describe, expect, it } from 'vitest';
import { tokenFromDocument } from './index';

function documentWith(meta: Record<string, string>): Document {
  return {
    querySelector: (selector: string) => {
      const name = /meta\[name="([^"]+)"\]/.exec(selector)?.[1];
      return name && name in meta ? { getAttribute: (a: string) => (a === 'content' ? meta[name]! : null) } : null;
    },
  } as unknown as Document;
}

describe('tokenFromDocument', () => {
  it('reads the per-start token the twin injects as <meta name="pygc-token">', () => {
    expect(tokenFromDocument(documentWith({ 'pygc-token': 'abc123' }))).toBe('abc123');
  });
  it('is null when the page was not served by the twin', () => {
    expect(tokenFromDocument(documentWith({}))).toBeNull();
  });
});
