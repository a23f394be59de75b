import { describe, expect, it } from 'vitest';
import { parseArgs } from './options';

describe('differential options', () => {
  it('has defaults and reads every option', () => {
    expect(parseArgs([])).toEqual({ python: 'python3.11', count: 100, seed: 1, out: 'reports/differential', shrinkBudget: 150, shrinkPerKind: null, promote: false, quiet: false });
    expect(parseArgs(['--python', 'python3.13', '--count', '200', '--seed', '9', '--out', 'x', '--shrink-budget', '0', '--shrink-per-kind', '3', '--promote', '--quiet'])).toEqual({
      python: 'python3.13', count: 200, seed: 9, out: 'x', shrinkBudget: 0, shrinkPerKind: 3, promote: true, quiet: true,
    });
  });

  it('refuses unknown options and bad numbers', () => {
    expect(() => parseArgs(['--cont', '3'])).toThrow(/unknown option --cont/);
    expect(() => parseArgs(['--count', '-1'])).toThrow(/not a non-negative integer/);
    expect(() => parseArgs(['--seed'])).toThrow(/needs a value/);
  });
});
