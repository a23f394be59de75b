// A written report's program, as --promote re-checks it and copies it into the corpus.
import { describe, expect, it } from 'vitest';
import { programOf } from './promote';

describe('promote', () => {
  it('strips the header comments of a report, and only those', () => {
    const report = '# differential: stdout on Python 3.11.7 (program p, seed 1)\n# stdout: CPython "1", simulator "2"\n# a comment of the program\nprint(1)\n';
    expect(programOf(report)).toBe('print(1)\n');
    expect(programOf('# a comment\nprint(1)\n')).toBe('# a comment\nprint(1)\n');
  });
});
