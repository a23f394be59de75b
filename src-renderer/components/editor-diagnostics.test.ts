import { describe, expect, it } from 'vitest';
import { failureRange } from './editor-diagnostics';

describe('failureRange', () => {
  const text = 'x = 1\ndef f(:\n    return foo_bar + 1\n';

  it('covers the character at line:col when it is punctuation', () => {
    const r = failureRange(text, 2, 7);
    expect(text.slice(r.from, r.to)).toBe(':');
  });

  it('covers the whole word starting at line:col', () => {
    const r = failureRange(text, 3, 12);
    expect(text.slice(r.from, r.to)).toBe('foo_bar');
  });

  it('is empty at the end of a line or in whitespace, positioned on that line', () => {
    expect(failureRange(text, 1, 6)).toEqual({ from: 5, to: 5 });
    const inIndent = failureRange(text, 3, 2);
    expect(inIndent.from).toBe(inIndent.to);
    expect(inIndent.from).toBe(text.indexOf('    return') + 1);
  });

  it('clamps positions past the document to its last line and columns past a line to its end', () => {
    expect(failureRange(text, 99, 1)).toEqual({ from: text.length, to: text.length });
    expect(failureRange(text, 1, 50)).toEqual({ from: 5, to: 5 });
    expect(failureRange('', 1, 1)).toEqual({ from: 0, to: 0 });
  });
});
