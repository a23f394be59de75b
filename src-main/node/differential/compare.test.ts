// Verdicts and disagreement kinds from a recording and a simulated run.
import { describe, expect, it } from 'vitest';
import type { ObservedCase } from '../fidelity/compare';
import { describeDifferences, judge, kindOf, passesFor } from './compare';
import type { Recording } from './cpython';

const rec = (over: Partial<Recording> = {}): Recording => ({
  case: 'p',
  python: { version: '3.11.7 (main) [GCC]' },
  initial: { threshold: [700, 10, 10], count: [5, 0, 0], tracked_objects: 100 },
  gc: { collections: [1, 0, 0], collected: [4, 0, 0], uncollectable: [0, 0, 0], count_end: [3, 0, 0] },
  sequence: { total: 1, truncated: false, entries: [[0, 4, 0, 1, 10, 0, 100, 0]] },
  memory: { tracemalloc_peak: 1000, tracemalloc_current_end: 800 },
  result: { seen: [1, 2] },
  stdout: '1267650600228229401496703205376\n',
  passes: ['plain', 'stats', 'mem'],
  ...over,
});

const obs = (over: Partial<ObservedCase> = {}): ObservedCase => ({
  collections: [1, 0, 0], collected: [4, 0, 0], uncollectable: [0, 0, 0], countEnd: [3, 0, 0],
  result: { seen: [1, 2] }, sequence: [[0, 4, 0, 1]], tracedPeak: 1010, failure: null, stdout: '1267650600228229401496703205376\n', ...over,
});

describe('differential judgement', () => {
  it('is exact when every figure, stdout included, matches', () => {
    const j = judge('p', rec(), obs());
    expect(j.verdict).toBe('exact');
    expect(j.checks.map((c) => c.figure)).toContain('stdout');
  });

  it('names the first differing figure as the kind, and lists all', () => {
    const j = judge('p', rec(), obs({ stdout: '1.2676506002282294e+30\n', countEnd: [4, 0, 0] }));
    expect(j.verdict).toBe('differs');
    expect(j.figures).toEqual(['stdout', 'count_end']);
    expect(j.kind).toBe('stdout');
    expect(describeDifferences(j)[0]).toBe('stdout: CPython "1267650600228229401496703205376\\n", simulator "1.2676506002282294e+30\\n"');
  });

  it('keys a failed run by its exception', () => {
    const j = judge('p', rec(), obs({ failure: "TypeError: unhashable type: 'list'" }));
    expect(j.kind).toBe('completed (TypeError)');
    expect(kindOf('completed', 'SystemError: simulator internal error: x')).toBe('completed (SystemError)');
  });

  it('counts "not supported yet" apart, not as a defect', () => {
    const j = judge('p', rec(), obs({ failure: 'not supported yet: async def at p.py:2:1' }));
    expect(j.verdict).toBe('unsupported');
    expect(j.figures).toEqual([]);
  });

  it('compares only the figures of the passes that ran, and a missing RESULT as null', () => {
    const partial = rec({ sequence: null as unknown as Recording['sequence'], memory: null, passes: ['plain'], result: null });
    const j = judge('p', partial, obs({ sequence: [[2, 9, 9, 9]], tracedPeak: null, result: undefined }));
    expect(j.verdict).toBe('exact');
    expect(j.checks.map((c) => c.figure)).not.toContain('sequence');
    expect(passesFor('sequence')).toEqual(['plain', 'stats']);
    expect(passesFor('tracemalloc_peak')).toEqual(['plain', 'mem']);
    expect(passesFor('result')).toEqual(['plain']);
  });
});
