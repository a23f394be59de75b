import { describe, expect, it } from 'vitest';
import type { StoredGraph } from './graph-codec';
import { decodeGraph, encodeGraph } from './graph-codec';
import { analyzeGraph, dominators, retainerPaths } from './retainers';

interface Node {
  key: number;
  size: number;
  refs?: number[];
}

function graphOf(nodes: Node[], roots: StoredGraph['roots'], ids?: number[]): StoredGraph {
  const edgeStart = [0];
  const edgeTargets: number[] = [];
  for (const n of nodes) {
    edgeTargets.push(...(n.refs ?? []));
    edgeStart.push(edgeTargets.length);
  }
  return {
    n: nodes.length,
    keyId: Int32Array.from(nodes.map((n) => n.key)),
    size: Float64Array.from(nodes.map((n) => n.size)),
    edgeStart: Int32Array.from(edgeStart),
    edgeTargets: Int32Array.from(edgeTargets),
    ids: ids ? Float64Array.from(ids) : null,
    roots,
  };
}

// keys: 1 dict@1 (tracked), 2 dict@2 (untracked: atomic values), 3 list@3, 5 str@5, 7 list@7
const DICT1 = 1;
const DICT2 = 2;
const LIST3 = 3;
const STR5 = 5;
const LIST7 = 7;
const HEAP = graphOf(
  [
    { key: DICT1, size: 100, refs: [1] }, // 0: the global `registry`
    { key: DICT2, size: 80, refs: [2, 3, 4] }, // 1: an untracked dict inside it
    { key: STR5, size: 50 }, // 2: also held by the frame's list
    { key: STR5, size: 50 }, // 3
    { key: STR5, size: 50 }, // 4
    { key: LIST3, size: 60, refs: [6, 2] }, // 5: a frame local
    { key: STR5, size: 50 }, // 6
    { key: LIST7, size: 40, refs: [8] }, // 7: a garbage cycle 7 <-> 8 holding a str
    { key: LIST7, size: 40, refs: [7, 9] }, // 8
    { key: STR5, size: 50 }, // 9
  ],
  [
    { index: 0, label: "module global 'registry'" },
    { index: 5, label: 'frame main() local items' },
  ],
);

describe('analyzeGraph', () => {
  it('finds immediate dominators and dominator-tree retained sizes', () => {
    const a = analyzeGraph(HEAP);
    expect(Array.from(a.idom)).toEqual([10, 0, 10, 1, 1, 10, 5, -1, -1, -1]);
    expect(a.retained[1]).toBe(80 + 50 + 50); // str 2 is also reachable from the frame: not retained by the dict
    expect(a.retained[0]).toBe(100 + 180);
    expect(a.retained[5]).toBe(60 + 50);
    expect(a.retained[7]).toBe(0); // unreachable
  });

  it('dominators handle a diamond and a loop back to the entry', () => {
    // root 0 -> 1, 2 -> 3 -> 0 (loop)
    const g = graphOf([{ key: 1, size: 1, refs: [1, 2] }, { key: 1, size: 1, refs: [3] }, { key: 1, size: 1, refs: [3] }, { key: 1, size: 1, refs: [0] }], [{ index: 0, label: 'r' }]);
    expect(Array.from(dominators(g).idom)).toEqual([4, 0, 0, 0]);
  });
});

describe('retainerPaths', () => {
  it('gives the shortest path from a root for each object, through an untracked dict, grouped by the places along it', () => {
    const a = analyzeGraph(HEAP);
    const r = retainerPaths(HEAP, a, (i) => HEAP.keyId[i] === STR5, 10);
    expect(r.objects).toBe(5);
    expect(r.bytes).toBe(250);
    expect(r.unreachable).toBe(1);
    expect(r.retainedBytes).toBe(200);
    expect(r.totalPaths).toBe(2);
    // 2 and 6 are one step from the frame's list (BFS from both roots at once); 3 and 4 hang under the untracked dict.
    expect(r.paths.map((p) => ({ root: p.root, keys: p.chain.map((i) => HEAP.keyId[i]), count: p.count, bytes: p.bytes, retained: p.retainedBytes }))).toEqual([
      { root: 1, keys: [LIST3], count: 2, bytes: 100, retained: 100 },
      { root: 0, keys: [DICT1, DICT2], count: 2, bytes: 100, retained: 100 },
    ]);
  });

  it('counts an object nested under another of the same group once in the retained size', () => {
    const a = analyzeGraph(HEAP);
    const r = retainerPaths(HEAP, a, (i) => HEAP.keyId[i] === DICT1 || HEAP.keyId[i] === DICT2, 10);
    expect(r.retainedBytes).toBe(280);
    expect(r.paths.map((p) => [p.root, p.chain.length, p.count, p.retainedBytes])).toEqual([
      [0, 0, 1, 280],
      [0, 1, 1, 0],
    ]);
  });

  it('keeps both ends of a long chain and says how many steps were left out', () => {
    const nodes: Node[] = Array.from({ length: 40 }, (_, i) => ({ key: 9, size: 10, refs: [i + 1] }));
    nodes.push({ key: 10, size: 5 });
    const g = graphOf(nodes, [{ index: 0, label: 'g' }]);
    const r = retainerPaths(g, analyzeGraph(g), (i) => g.keyId[i] === 10, 10);
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]!.length).toBe(40);
    expect(r.paths[0]!.chain).toEqual([...Array.from({ length: 12 }, (_, i) => i), ...Array.from({ length: 12 }, (_, i) => 28 + i)]);
  });
});

describe('graph codec', () => {
  it('round-trips, ids included', () => {
    const g = graphOf([{ key: 3, size: 1.5e9, refs: [1] }, { key: 4, size: 2 }], [{ index: 0, label: 'x' }], [101, 102]);
    const back = decodeGraph(new Uint8Array(encodeGraph(g)), g.roots);
    expect(back).toEqual(g);
    const noIds = decodeGraph(encodeGraph({ ...g, ids: null }), []);
    expect(noIds.ids).toBeNull();
    expect(Array.from(noIds.edgeTargets)).toEqual([1]);
  });
});
