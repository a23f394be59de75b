import { describe, expect, it } from 'vitest';
import type { StoredGraph } from './graph-codec';
import { steadyGrowth } from './leak-growth';
import { leakSuspects, snapshotCallLines, sourceLineStats, type LeakSnapshot } from './leaks';
import type { GroupColumns, SnapshotKey } from './store';
import { snapshotOf, type ModelHeap, type ModelObject } from './testing';

const KEYS: Record<number, SnapshotKey> = {
  1: { type: 'dict', filename: 'app.py', line: 10 }, // grows every time: the leak
  2: { type: 'list', filename: 'app.py', line: 20 }, // grows more, then shrinks: a burst, not a leak
  3: { type: 'Session', filename: 'app.py', line: 30 }, // grows slowly
  4: { type: 'str', filename: 'app.py', line: 10 }, // grows, untracked: a leak all the same
  5: { type: 'tuple', filename: 'app.py', line: 40 }, // grows, only in young generations
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
const groupsOnly = (cols: GroupColumns[]): LeakSnapshot[] => cols.map((c) => ({ cols: c, graph: null }));

describe('steadyGrowth', () => {
  it('accepts growth in most steps that goes on to the end, and nothing else', () => {
    expect(steadyGrowth([1, 2, 3])).toEqual({ ups: 2, growth: 2 });
    expect(steadyGrowth([10, 20, 20, 30, 40])).toEqual({ ups: 3, growth: 30 });
    expect(steadyGrowth([1, 2])).toBeNull(); // too few snapshots
    expect(steadyGrowth([10, 20, 30, 30, 30, 30])).toBeNull(); // a warm-up that levelled off
    expect(steadyGrowth([10, 20, 30, 40, 40, 40, 40])).toBeNull(); // still flat in the second half
    expect(steadyGrowth([100, 100, 100, 100])).toBeNull(); // steady state
    expect(steadyGrowth([10, 50, 12, 60, 70])).toBeNull(); // gave most of it back once: churn
    expect(steadyGrowth([100, 90, 95, 98])).toBeNull(); // lower at the end
  });
});

describe('leakSuspects on groups alone (snapshots without graphs)', () => {
  it('ranks steadily growing groups by bytes growth, untracked and young ones included; a burst is not a suspect', () => {
    const s = leakSuspects(groupsOnly(SNAPS), key);
    expect(s.map((x) => `${x.type}@${x.line}`)).toEqual(['dict@10', 'str@10', 'Session@30', 'tuple@40']);
    expect(s[0]).toEqual({
      type: 'dict',
      filename: 'app.py',
      line: 10,
      counts: [10, 20, 30, 40],
      bytes: [1000, 2000, 3000, 4000],
      bytesGrowth: 3000,
      countGrowth: 30,
      growthSteps: 3,
      basis: 'shallow',
      holder: null,
      path: null,
      retains: [{ type: 'dict', filename: 'app.py', line: 10, counts: [10, 20, 30, 40], bytes: [1000, 2000, 3000, 4000] }],
    });
  });

  it('needs growth across at least three snapshots', () => {
    expect(leakSuspects(groupsOnly(SNAPS.slice(0, 2)), key)).toEqual([]);
    // set@50 grew once (200 -> 400 -> 400): one step of two is not enough.
    expect(leakSuspects(groupsOnly(SNAPS.slice(0, 3)), key).map((x) => x.type)).toEqual(['list', 'dict', 'str', 'Session', 'tuple']);
  });

  it('counts a group absent from early snapshots as 0 there', () => {
    const late = [snap([]), snap([[3, 1, 100, [0, 0, 0, 1, 0]]]), snap([[3, 2, 250, [0, 0, 0, 2, 0]]])];
    expect(leakSuspects(groupsOnly(late), key)).toMatchObject([{ type: 'Session', counts: [0, 1, 2], bytes: [0, 100, 250], bytesGrowth: 250 }]);
  });
});

/** Model heaps through snapshotOf, with keys interned across the snapshots as the store does. */
function fromHeaps(heaps: ModelHeap[]): { snaps: LeakSnapshot[]; key: (id: number) => SnapshotKey } {
  const ids = new Map<string, number>();
  const keys: SnapshotKey[] = [];
  const intern = (k: SnapshotKey) => {
    const s = `${k.type}\0${k.filename}\0${k.line}`;
    let id = ids.get(s);
    if (id === undefined) {
      ids.set(s, (id = keys.length));
      keys.push({ type: k.type, filename: k.filename, line: k.line });
    }
    return id;
  };
  const snaps = heaps.map((heap): LeakSnapshot => {
    const p = snapshotOf(heap);
    const keyOfGroup = p.groups.map(intern);
    const cols: GroupColumns = {
      keyId: Int32Array.from(keyOfGroup),
      count: Float64Array.from(p.groups.map((g) => g.count)),
      bytes: Float64Array.from(p.groups.map((g) => g.bytes)),
      gens: Float64Array.from(p.groups.flatMap((g) => g.generations)),
    };
    const g = p.graph!;
    const graph: StoredGraph = {
      n: g.group.length,
      keyId: Int32Array.from(g.group.map((i) => keyOfGroup[i]!)),
      size: Float64Array.from(g.size),
      edgeStart: Int32Array.from(g.edgeStart),
      edgeTargets: Int32Array.from(g.edgeTargets),
      ids: null,
      roots: g.roots,
    };
    return { cols, graph };
  });
  return { snaps, key: (id) => keys[id]! };
}

/**
 * A registry dict (line 1) of `n` Session objects (line 5), each with an untracked attribute dict
 * (line 6) and str (line 7); a config dict (line 2) of `n` strs that stays small (its strs are
 * replaced, not added); a Snapshot (line 9) of tracemalloc that keeps a list of `3n` traces.
 */
function appHeap(n: number, round: number): ModelHeap {
  const objects: ModelObject[] = [
    { type: 'dict', line: 1, size: 200, refs: [] },
    { type: 'dict', line: 2, size: 360, refs: [] },
    { type: 'Snapshot', line: 9, size: 56, refs: [] },
    { type: 'list', line: 9, size: 56 + 24 * n, refs: [] },
  ];
  objects[2]!.refs!.push(3);
  for (let i = 0; i < n; i++) {
    const s = objects.length;
    objects[0]!.refs!.push(s);
    objects.push({ type: 'Session', line: 5, size: 48, refs: [s + 1] });
    objects.push({ type: 'dict', line: 6, size: 104, gen: 'u', refs: [s + 2] });
    objects.push({ type: 'str', line: 7, size: 60, gen: 'u' });
  }
  for (let i = 0; i < 4; i++) {
    objects[1]!.refs!.push(objects.length);
    objects.push({ type: 'str', line: 3, size: 50 + round, gen: 'u' });
  }
  for (let i = 0; i < 3 * n; i++) {
    objects[3]!.refs!.push(objects.length);
    objects.push({ type: 'tuple', line: 9, size: 72, gen: 'u' });
  }
  return { objects, roots: [{ index: 0, label: "global 'registry'" }, { index: 1, label: "global 'config'" }, { index: 2, label: "global 'snap'" }] };
}

describe('leakSuspects on snapshot graphs', () => {
  it("ranks the holder's retained growth, untracked objects included; what its items hold is part of it; tracemalloc's own traces are left out", () => {
    const { snaps, key } = fromHeaps([1, 2, 3, 4].map((n, i) => appHeap(n * 10, i)));
    const s = leakSuspects(snaps, key);
    expect(s.map((x) => [`${x.type}@${x.line}`, `${x.holder?.type}@${x.holder?.line}`, x.basis])).toEqual([['Session@5', 'dict@1', 'retained']]);
    expect(s[0]).toMatchObject({
      counts: [10, 20, 30, 40],
      // The registry (200 B) and each Session with its dict and str (212 B).
      bytes: [200 + 10 * 212, 200 + 20 * 212, 200 + 30 * 212, 200 + 40 * 212],
      bytesGrowth: 30 * 212,
      countGrowth: 30,
      growthSteps: 3,
      holder: { type: 'dict', filename: 'main.py', line: 1, count: 1 },
      path: { root: "global 'registry'", steps: [{ type: 'dict', line: 1, untracked: false }], elidedSteps: 0 },
    });
    expect(s[0]!.retains.map((r) => [`${r.type}@${r.line}`, r.counts])).toEqual([
      ['dict@6', [10, 20, 30, 40]],
      ['str@7', [10, 20, 30, 40]],
      ['Session@5', [10, 20, 30, 40]],
      ['dict@1', [1, 1, 1, 1]],
    ]);
  });

  it('reads graphs through loaders one at a time: the same suspects, each graph read at most twice', () => {
    const { snaps, key } = fromHeaps([1, 2, 3, 4].map((n, i) => appHeap(n * 10, i)));
    const reads = [0, 0, 0, 0];
    const lazy = snaps.map((x, i) => ({ cols: x.cols, graph: () => (reads[i]!++, x.graph as StoredGraph) }));
    expect(leakSuspects(lazy, key)).toEqual(leakSuspects(snaps, key));
    expect(reads).toEqual([2, 2, 2, 1]);
    // Nothing grows: the evidence pass does not read them again.
    const flat = snaps.map(() => ({ cols: snaps[0]!.cols, graph: snaps[0]!.graph }));
    const flatReads = [0, 0, 0, 0];
    expect(leakSuspects(flat.map((x, i) => ({ cols: x.cols, graph: () => (flatReads[i]!++, x.graph as StoredGraph) })), key)).toEqual([]);
    expect(flatReads).toEqual([1, 1, 1, 1]);
  });

  it('also leaves out lines the caller names (the take_snapshot() calls of the script)', () => {
    const heaps = [1, 2, 3].map((n) => ({
      objects: [{ type: 'list', line: 4, size: 56, refs: Array.from({ length: n }, (_, i) => i + 1) }, ...Array.from({ length: n }, () => ({ type: 'tuple', line: 4, size: 72, gen: 'u' as const }))],
      roots: [{ index: 0, label: 'interpreter' }],
    }));
    const { snaps, key } = fromHeaps(heaps);
    expect(leakSuspects(snaps, key).map((x) => x.type)).toEqual(['tuple']);
    expect(leakSuspects(snaps, key, { excludeLines: [{ filename: 'main.py', line: 4 }] })).toEqual([]);
    expect(snapshotCallLines('import tracemalloc\nx = 1\ns = tracemalloc.take_snapshot()\n# take_snapshot() here\n', 'a.py')).toEqual([{ filename: 'a.py', line: 3 }]);
  });

  it('a single object that grows by itself is a suspect on its own bytes; a group that grows a little at a steady count is not', () => {
    const heaps = [1, 2, 3, 4].map((n) => ({
      objects: [
        { type: 'str', line: 3, size: 1000 * n, gen: 'u' as const },
        { type: 'list', line: 8, size: 400 + n, refs: [2] },
        { type: 'int', line: 8, size: 28, gen: 'u' as const },
      ],
      roots: [{ index: 0, label: "global 'log'" }, { index: 1, label: "global 'window'" }],
    }));
    const { snaps, key } = fromHeaps(heaps);
    expect(leakSuspects(snaps, key)).toMatchObject([
      { type: 'str', line: 3, basis: 'shallow', counts: [1, 1, 1, 1], bytes: [1000, 2000, 3000, 4000], holder: null, path: { root: "global 'log'", steps: [{ type: 'str', line: 3, untracked: true }] } },
    ]);
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
