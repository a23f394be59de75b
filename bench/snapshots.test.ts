import { describe, expect, it } from 'vitest';
import { runSnapshotBench } from './snapshots';

describe('runSnapshotBench', () => {
  it('prints the simulator figure as a NAME VALUE UNIT line', async () => {
    const lines: string[] = [];
    await runSnapshotBench({ groups: 2000, cpython: false, print: (l) => lines.push(l) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^snapshot_diff_100k_sim \d+\.\d{3} s$/);
  });
});
