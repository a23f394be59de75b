import { describe, expect, it } from 'vitest';
import { aggregate, compareGroups, GroupIds, keyFilter, snapshotRows, topK } from './compare';
import type { GroupColumns, SnapshotKey } from './store';

const KEYS: Record<number, SnapshotKey> = {
  1: { type: 'list', filename: 'main.py', line: 1 },
  2: { type: 'tuple', filename: 'main.py', line: 1 },
  3: { type: 'dict', filename: 'main.py', line: 2 },
  4: { type: 'str', filename: 'main.py', line: 3 },
  5: { type: 'list', filename: 'main.py', line: 4 },
  6: { type: 'bytes', filename: 'util.py', line: 5 },
};
const key = (id: number) => KEYS[id]!;

/** rows: [keyId, count, bytes, untracked, gen0, gen1, gen2, permanent] */
function cols(rows: number[][]): GroupColumns {
  return {
    keyId: Int32Array.from(rows.map((r) => r[0]!)),
    count: Float64Array.from(rows.map((r) => r[1]!)),
    bytes: Float64Array.from(rows.map((r) => r[2]!)),
    gens: Float64Array.from(rows.flatMap((r) => r.slice(3, 8))),
  };
}

// By line (tracemalloc's 'lineno'), hand-computed as Snapshot.compare_to would:
//   main.py:1  base 2 objs/100 B (list 1/60 + tuple 1/40) -> target 4/200   size_diff +100 count_diff +2
//   main.py:2  base 1/200 -> gone                                          size_diff -200 count_diff -1
//   main.py:3  base 5/250 -> 5/250                                         unchanged
//   main.py:4  new: 3/100                                                  size_diff +100 count_diff +3
//   util.py:5  base 1/50 -> 2/150                                          size_diff +100 count_diff +1
// compare_to sorts by (|size_diff|, size, |count_diff|, count, traceback), reverse:
//   main.py:2 (200), then the three at |100| by size: main.py:1 (200), util.py:5 (150), main.py:4 (100); then main.py:3.
const BASE = cols([
  [1, 1, 60, 0, 0, 0, 1, 0],
  [2, 1, 40, 1, 0, 0, 0, 0],
  [3, 1, 200, 0, 0, 0, 1, 0],
  [4, 5, 250, 5, 0, 0, 0, 0],
  [6, 1, 50, 1, 0, 0, 0, 0],
]);
const TARGET = cols([
  [1, 3, 180, 0, 1, 0, 2, 0],
  [2, 1, 20, 1, 0, 0, 0, 0],
  [4, 5, 250, 5, 0, 0, 0, 0],
  [5, 3, 100, 0, 3, 0, 0, 0],
  [6, 2, 150, 2, 0, 0, 0, 0],
]);

describe('compareGroups (tracemalloc compare_to semantics)', () => {
  it('matches a hand-computed compare_to("lineno"), with counts-derived # New / # Deleted', () => {
    const r = compareGroups(BASE, TARGET, 'line', key, null, new GroupIds(), 0, 100);
    expect(r.totalRows).toBe(5);
    expect(r.rows.map((x) => [x.filename, x.line, x.size, x.sizeDiff, x.count, x.countDiff, x.newCount, x.deletedCount])).toEqual([
      ['main.py', 2, 0, -200, 0, -1, 0, 1],
      ['main.py', 1, 200, 100, 4, 2, 2, 0],
      ['util.py', 5, 150, 100, 2, 1, 1, 0],
      ['main.py', 4, 100, 100, 3, 3, 3, 0],
      ['main.py', 3, 250, 0, 5, 0, 0, 0],
    ]);
    expect(r.rows[0]!.type).toBeNull();
    expect(r.totals).toEqual({ size: 700, sizeDiff: 100, count: 14, countDiff: 5 });
  });

  it('pages the same order', () => {
    const all = compareGroups(BASE, TARGET, 'line', key, null, new GroupIds(), 0, 100).rows;
    const page = compareGroups(BASE, TARGET, 'line', key, null, new GroupIds(), 1, 2);
    expect(page.rows).toEqual(all.slice(1, 3));
    expect(page.totalRows).toBe(5);
  });

  it('groups by type and by file', () => {
    const byType = compareGroups(BASE, TARGET, 'type', key, null, new GroupIds(), 0, 100).rows;
    expect(byType.map((x) => [x.type, x.sizeDiff, x.countDiff])).toEqual([
      ['list', 220, 5],
      ['dict', -200, -1],
      ['bytes', 100, 1],
      ['tuple', -20, 0],
      ['str', 0, 0],
    ]);
    const byFile = compareGroups(BASE, TARGET, 'file', key, null, new GroupIds(), 0, 100).rows;
    expect(byFile.map((x) => [x.filename, x.line, x.sizeDiff])).toEqual([
      ['util.py', null, 100],
      ['main.py', null, 0],
    ]);
  });
});

describe('snapshotRows', () => {
  it('groups, filters (type or file, case-insensitive), totals and sorts', () => {
    const byLine = snapshotRows(aggregate(TARGET, 'line', key, null), 'bytes', 0, 2);
    expect(byLine.totalRows).toBe(4);
    expect(byLine.rows.map((r) => [r.filename, r.line, r.count, r.bytes])).toEqual([
      ['main.py', 3, 5, 250],
      ['main.py', 1, 4, 200],
    ]);
    expect(byLine.rows[1]!.generations).toEqual([1, 1, 0, 2, 0]);
    expect(byLine.totals).toEqual({ count: 14, bytes: 700, generations: [8, 4, 0, 2, 0] });

    const lists = snapshotRows(aggregate(TARGET, 'type-line', key, keyFilter('LIST', key)), 'count', 0, 10);
    expect(lists.rows.map((r) => [r.type, r.line, r.count])).toEqual([
      ['list', 1, 3],
      ['list', 4, 3],
    ]);
    expect(snapshotRows(aggregate(TARGET, 'file', key, keyFilter('util', key)), 'key', 0, 10).rows.map((r) => r.filename)).toEqual(['util.py']);
  });
});

describe('topK', () => {
  it('equals a full sort for any k', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const items = Array.from({ length: 2000 }, (_, i) => ({ v: Math.floor(rnd() * 50), i }));
    const order = (a: { v: number; i: number }, b: { v: number; i: number }) => b.v - a.v || a.i - b.i;
    const sorted = items.slice().sort(order);
    for (const k of [1, 2, 10, 100, 499, 1999, 2000]) expect(topK(items.slice(), order, k)).toEqual(sorted.slice(0, k));
  });
});
