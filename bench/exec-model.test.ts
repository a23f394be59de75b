import { describe, expect, it } from 'vitest';
import { compareExecutionModels } from './exec-model';

describe('the execution-model experiment', () => {
  it('runs every program to the same result in both models (each run checks its result)', () => {
    const results = compareExecutionModels(2_000);
    expect(Object.keys(results).sort()).toEqual(['attrs', 'calls', 'gen', 'loop']);
    for (const r of Object.values(results)) {
      expect(r.closures).toBeGreaterThan(0);
      expect(r.bytecode).toBeGreaterThan(0);
    }
  });
});
