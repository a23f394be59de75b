import { describe, expect, it } from 'vitest';
import { runStoreBench } from './store';

describe('runStoreBench', () => {
  it('prints its two figures as NAME VALUE UNIT lines', async () => {
    const lines: string[] = [];
    await runStoreBench({ samples: 12_345, print: (l) => lines.push(l) });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^samples_written_per_s \d+ samples\/s$/);
    expect(lines[1]).toMatch(/^open_downsample_1M \d+\.\d ms$/);
  });
});
