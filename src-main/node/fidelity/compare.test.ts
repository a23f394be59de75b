import { describe, expect, it } from 'vitest';
import { compareCase, deepEqual, formatTable, profileOf, ratchet, regressions } from './compare';
import type { ExpectedCase, ObservedCase } from './compare';

const expected: ExpectedCase = {
  case: 'demo',
  python: { version: '3.11.7 (main) [GCC]' },
  initial: { threshold: [700, 10, 10], count: [5, 0, 0], tracked_objects: 100 },
  gc: { collections: [2, 0, 0], collected: [10, 0, 0], uncollectable: [0, 0, 0], count_end: [3, 1, 0] },
  sequence: { total: 2, truncated: false, entries: [[0, 4, 0, 0, 700, 0, 100, 0], [0, 6, 0, 1, 12, 0, 100, 0]] },
  memory: { tracemalloc_peak: 1000, tracemalloc_current_end: 800 },
  result: { a: [1, 2], b: 'x' },
};

const observed = (over: Partial<ObservedCase> = {}): ObservedCase => ({
  collections: [2, 0, 0], collected: [10, 0, 0], uncollectable: [0, 0, 0], countEnd: [3, 1, 0],
  result: { b: 'x', a: [1, 2] }, sequence: [[0, 4, 0, 0], [0, 6, 0, 1]], tracedPeak: 1040, failure: null, stdout: '', ...over,
});

describe('fidelity comparison', () => {
  it('accepts identical figures and a tracemalloc peak within 5 %', () => {
    const c = compareCase('demo', expected, observed());
    expect(c.exact).toBe(true);
    expect(c.checks.map((x) => x.figure)).toEqual(['completed', 'collections', 'collected', 'uncollectable', 'count_end', 'result', 'sequence', 'tracemalloc_peak']);
  });

  it('compares stdout only when the recording kept it', () => {
    expect(compareCase('demo', expected, observed({ stdout: 'anything\n' })).exact).toBe(true);
    const withOut = { ...expected, stdout: '1267650600228229401496703205376\n' };
    const c = compareCase('demo', withOut, observed({ stdout: '1.2676506002282294e+30\n' }));
    expect(c.checks.filter((x) => !x.ok).map((x) => x.figure)).toEqual(['stdout']);
    expect(compareCase('demo', withOut, observed({ stdout: '1267650600228229401496703205376\n' })).exact).toBe(true);
  });

  it('flags each differing figure', () => {
    expect(compareCase('demo', expected, observed({ countEnd: [4, 1, 0] })).checks.filter((c) => !c.ok).map((c) => c.figure)).toEqual(['count_end']);
    expect(compareCase('demo', expected, observed({ sequence: [[0, 4, 0, 0], [0, 6, 0, 0]] })).exact).toBe(false);
    expect(compareCase('demo', expected, observed({ tracedPeak: 1060 })).exact).toBe(false);
    expect(compareCase('demo', expected, observed({ result: { a: [1, 2] } })).exact).toBe(false);
    expect(compareCase('demo', expected, observed({ failure: 'boom' })).exact).toBe(false);
  });

  it('compares only the stored prefix of a truncated sequence', () => {
    const exp = { ...expected, sequence: { total: 3, truncated: true, entries: [[0, 4, 0, 0, 1, 2, 3, 4]] } };
    expect(compareCase('demo', exp, observed()).checks.find((c) => c.figure === 'sequence')?.ok).toBe(true);
  });

  it('prints a table, the closing line and the regressions', () => {
    const rows = [compareCase('good', expected, observed()), compareCase('bad', expected, observed({ collections: [3, 0, 0] }))];
    const text = formatTable(rows);
    expect(text).toContain('fidelity: 1/2 cases exact');
    expect(text).toContain('bad.collections: expected [2,0,0], got [3,0,0]');
    expect(regressions(rows, { good: ['collections', 'result'], bad: ['collections', 'result'] })).toEqual(['bad.collections']);
    expect(regressions(rows, { good: ['collections'], bad: ['result'] })).toEqual([]);
    expect(regressions(rows, { gone: ['collections'] })).toEqual(['gone.collections']);
  });

  it('ratchets the list of matching figures up, never down', () => {
    const rows = [compareCase('bad', expected, observed({ collections: [3, 0, 0] }))];
    const next = ratchet(rows, { bad: ['collections'], other: ['result'] });
    expect(next.other).toEqual(['result']);
    expect(next.bad).toContain('collections');
    expect(next.bad).toContain('result');
  });

  it('maps recorded versions to profiles and compares JSON deeply', () => {
    expect(profileOf('3.11.7 (main)')).toBe('3.11');
    expect(profileOf('3.13.0')).toBe('3.13');
    expect(() => profileOf('2.7.18')).toThrow();
    expect(deepEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
  });
});
