// The built-in scenario library: every scenario has its header and runs to completion.
import { describe, expect, it } from 'vitest';
import { runProgram } from './index';
import type { RunSettings } from '../common/domain';

declare global {
  interface ImportMeta {
    glob(pattern: string, options: { query: string; import: string; eager: true }): Record<string, string>;
  }
}

const files = import.meta.glob('../../scenarios/*.py', { query: '?raw', import: 'default', eager: true });
const SETTINGS: RunSettings = { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 5_000_000, memoryLimitBytes: null, snapshotEveryMs: null };

function header(src: string): { title: string; summary: string } | null {
  const m = /^"""(.*)\n\n([\s\S]*?)(\n\n|""")/.exec(src);
  return m ? { title: m[1].trim(), summary: m[2].trim() } : null;
}

describe('scenario library', () => {
  const names = Object.keys(files).map((p) => p.split('/').pop()!);
  it('has the eleven scenarios of the issue', () => {
    expect(names.sort()).toEqual([
      'api_request_loop.py', 'cache_lru.py', 'container_memory_limit.py', 'del_in_cycles.py', 'freeze_before_fork.py',
      'memmap_streaming.py', 'parent_child_cycles.py', 'pipeline_generators.py', 'records_slots.py', 'tensor_cache.py', 'worker_recycling.py',
    ]);
  });

  for (const [path, src] of Object.entries(files)) {
    const name = path.split('/').pop()!;
    it(`${name} has a title and summary and runs`, () => {
      const h = header(src);
      expect(h?.title.length).toBeGreaterThan(10);
      expect(h?.summary.length).toBeGreaterThan(40);
      let out = '';
      const outcome = runProgram(src, name, SETTINGS, { onOutput: (t) => (out += t) });
      expect(outcome.failure).toBeNull();
      expect(outcome.status).toBe('complete');
      expect(out.length).toBeGreaterThan(0);
    }, 20_000);
  }

  it('container_memory_limit ends with an OOM kill under a container limit', () => {
    const src = files['../../scenarios/container_memory_limit.py'];
    const outcome = runProgram(src, 'container_memory_limit.py', { ...SETTINGS, memoryLimitBytes: 8_000_000 }, {});
    expect(outcome.status).toBe('failed');
    expect(outcome.failure?.kind).toBe('memory-limit');
  });
});
