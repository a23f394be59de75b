// Ints are JS numbers in the simulator: beyond ±2**53 they would lose digits silently (CPython:
// 2**100 == 1267650600228229401496703205376, 12345678901234567890 % 97 == 3, measured on 3.11.7),
// or become Infinity and hang the size computation. Until big integers are modelled, every such
// value is refused with "not supported yet … at FILE:LINE:COL", never approximated.
import { describe, expect, it } from 'vitest';
import { checkSyntax, runProgram } from './index';
import type { RunSettings } from '../common/domain';

const SETTINGS: RunSettings = { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 10_000_000, memoryLimitBytes: null, snapshotEveryMs: null };

function run(src: string) {
  let out = '';
  const outcome = runProgram(src, 'big.py', SETTINGS, { onOutput: (t) => (out += t) });
  return { outcome, out };
}

describe('integers beyond 2**53', () => {
  it('refuses a computed big integer at its line instead of printing a float', () => {
    const { outcome, out } = run('x = 7\nprint(2 ** 52)\nprint(2 ** 100)\n');
    expect(out.startsWith('4503599627370496\n')).toBe(true);
    expect(outcome.status).toBe('failed');
    expect(outcome.failure?.kind).toBe('unsupported');
    expect(outcome.failure?.message).toBe('not supported yet: integers beyond ±2**53 (big integers) at big.py:3:1');
    expect(out).not.toContain('e+30');
  });

  it('refuses a big literal at compile time with its position, in the editor check too', () => {
    const src = 'a = 1\nx = 1' + '0'.repeat(309) + '\n';
    const checked = checkSyntax(src, 'big.py');
    expect(checked?.kind).toBe('unsupported');
    expect(checked?.location).toEqual({ filename: 'big.py', line: 2, col: 5 });
    expect(run('print(12345678901234567890 % 97)\n').outcome.failure?.kind).toBe('unsupported');
    expect(run('y = -99999999999999999999\n').outcome.failure?.kind).toBe('unsupported');
  });

  it('ends pow with a huge exponent and a range past 2**53 at once (they hung before)', () => {
    expect(run('print(pow(3, 2 ** 100, 10 ** 9 + 7))\n').outcome.failure?.kind).toBe('unsupported');
    expect(run('print([i for i in range(2 ** 53, 2 ** 53 + 5)])\n').outcome.failure?.kind).toBe('unsupported');
  });
});
