import { describe, expect, it } from 'vitest';
import { leakSuspects, sourceLineStats } from './leaks';
import type { GroupColumns, SnapshotKey } from './store';

const KEYS: Record<number, SnapshotKey> = {
  1: { type: 'dict', filename: 'app.py', line: 10 }, // grows every time: the leak
  2: { type: 'list', filename: 'app.py', line: 20 }, // grows more, then shrinks: a burst, not a leak
  3: { type: 'Session', filename: 'app.py', line: 30 }, // grows slowly
  4: { type: 'str', filename: 'app.py', line: 10 }, // grows, but untracked: never in generation 2
  5: { type: 'tuple', filename: 'app.py', line: 40 }, // grows only in young generations
  6: { type: 'set', filename: 'app.py', line: 50 }, // grows once, then flat: two snapshots of growth only
};
const key = (id: number) => KEYS[id]!;

/** rows: [keyId, count, bytes, [untracked, gen0, gen1, gen2, permanent]] */
function snap(rows: [number, number, number, number[]][]): GroupColumns {
  return {
    keyId: Int32Array.from(rows.map((r) => r[0])),
    count: Float64Array.from(rows.map((r) => r[1])),
    bytes: Float64Array.from(rows.map((r) => r[2])),
    gens: Float64Array.from(rows.flatMap((r) => r[3])),
  };
}

const SNAPS = [
  snap([[1, 10, 1000, [0, 0, 0, 10, 0]], [2, 5, 500, [0, 0, 0, 5, 0]], [3, 1, 100, [0, 0, 0, 1, 0]], [4, 10, 500, [10, 0, 0, 0, 0]], [5, 1, 64, [0, 1, 0, 0, 0]], [6, 1, 200, [0, 0, 0, 1, 0]]]),
  snap([[1, 20, 2000, [0, 0, 10, 10, 0]], [2, 50, 5000, [0, 0, 0, 50, 0]], [3, 2, 200, [0, 0, 0, 2, 0]], [4, 20, 1000, [20, 0, 0, 0, 0]], [5, 2, 128, [0, 2, 0, 0, 0]], [6, 2, 400, [0, 0, 0, 2, 0]]]),
  snap([[1, 30, 3000, [0, 10, 0, 20, 0]], [2, 90, 9000, [0, 0, 0, 90, 0]], [3, 3, 300, [0, 0, 0, 3, 0]], [4, 30, 1500, [30, 0, 0, 0, 0]], [5, 3, 192, [0, 3, 0, 0, 0]], [6, 2, 400, [0, 0, 0, 2, 0]]]),
  snap([[1, 40, 4000, [0, 10, 0, 30, 0]], [2, 4, 400, [0, 0, 0, 4, 0]], [3, 4, 400, [0, 0, 0, 4, 0]], [4, 40, 2000, [40, 0, 0, 0, 0]], [5, 4, 256, [0, 4, 0, 0, 0]], [6, 2, 400, [0, 0, 0, 2, 0]]]),
];

describe('leakSuspects', () => {
  it('ranks the steadily growing group first; a group that grew then shrank is not a suspect', () => {
    const s = leakSuspects(SNAPS, key);
    expect(s.map((x) => `${x.type}@${x.line}`)).toEqual(['dict@10', 'Session@30']);
    expect(s[0]).toEqual({
      type: 'dict',
      filename: 'app.py',
      line: 10,
      counts: [10, 20, 30, 40],
      bytes: [1000, 2000, 3000, 4000],
      bytesGrowth: 3000,
      countGrowth: 30,
      gen2Share: 0.75,
    });
  });

  it('needs growth across at least three snapshots', () => {
    expect(leakSuspects(SNAPS.slice(0, 2), key)).toEqual([]);
    // set@50 grew once (200 -> 400 -> 400): one step is not enough.
    expect(leakSuspects(SNAPS.slice(0, 3), key).map((x) => x.type)).toEqual(['list', 'dict', 'Session']);
  });

  it('counts a group absent from early snapshots as 0 there', () => {
    const late = [snap([]), snap([[3, 1, 100, [0, 0, 0, 1, 0]]]), snap([[3, 2, 250, [0, 0, 0, 2, 0]]])];
    expect(leakSuspects(late, key)).toMatchObject([{ type: 'Session', counts: [0, 1, 2], bytes: [0, 100, 250], bytesGrowth: 250 }]);
  });
});

describe('sourceLineStats', () => {
  it('sums every type per line of the script, with diffs against a base', () => {
    expect(sourceLineStats('app.py', SNAPS[1]!, null, key).map((l) => [l.line, l.count, l.bytes, l.countDiff])).toEqual([
      [10, 40, 3000, 0],
      [20, 50, 5000, 0],
      [30, 2, 200, 0],
      [40, 2, 128, 0],
      [50, 2, 400, 0],
    ]);
    const diff = sourceLineStats('app.py', SNAPS[3]!, SNAPS[1]!, key);
    expect(diff.find((l) => l.line === 10)).toEqual({ line: 10, count: 80, bytes: 6000, countDiff: 40, bytesDiff: 3000 });
    expect(diff.find((l) => l.line === 20)).toEqual({ line: 20, count: 4, bytes: 400, countDiff: -46, bytesDiff: -4600 });
    expect(sourceLineStats('other.py', SNAPS[1]!, null, key)).toEqual([]);
  });
});
