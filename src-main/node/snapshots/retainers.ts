// Why objects are alive: shortest paths from the roots over a stored snapshot graph, and
// dominator-tree retained sizes (Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm").
// Pure: works on a decoded StoredGraph.
import type { StoredGraph } from './graph-codec';

/** What the graph alone gives, computed once per snapshot and reused by every group asked about. */
export interface GraphAnalysis {
  /** BFS parent on a shortest path from a root; -1 for a root object, -2 when no root reaches it. */
  parent: Int32Array;
  /** Index into graph.roots of the root the path starts from (-1 if unreachable). */
  rootOf: Int32Array;
  /** Immediate dominator (graph.n = the virtual super-root); -1 when unreachable. */
  idom: Int32Array;
  /** Reachable objects in reverse postorder from the super-root (dominators come before what they dominate). */
  rpo: Int32Array;
  /** Size of the dominator subtree of each object. */
  retained: Float64Array;
}

export function analyzeGraph(g: StoredGraph): GraphAnalysis {
  const n = g.n;
  const parent = new Int32Array(n).fill(-2);
  const rootOf = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  g.roots.forEach((r, ri) => {
    if (r.index < 0 || r.index >= n || parent[r.index] !== -2) return;
    parent[r.index] = -1;
    rootOf[r.index] = ri;
    queue[tail++] = r.index;
  });
  while (head < tail) {
    const v = queue[head++]!;
    for (let e = g.edgeStart[v]!; e < g.edgeStart[v + 1]!; e++) {
      const w = g.edgeTargets[e]!;
      if (parent[w] !== -2) continue;
      parent[w] = v;
      rootOf[w] = rootOf[v]!;
      queue[tail++] = w;
    }
  }
  const { idom, rpo } = dominators(g);
  const retained = new Float64Array(n);
  for (let i = rpo.length - 1; i >= 0; i--) {
    const v = rpo[i]!;
    retained[v]! += g.size[v]!;
    const d = idom[v]!;
    if (d >= 0 && d < n) retained[d]! += retained[v]!;
  }
  return { parent, rootOf, idom, rpo, retained };
}

/** Immediate dominators from a virtual root (index n) pointing at every root object. */
export function dominators(g: StoredGraph): { idom: Int32Array; rpo: Int32Array } {
  const n = g.n;
  const superRoot = n;
  const rootSet = new Set<number>();
  for (const r of g.roots) if (r.index >= 0 && r.index < n) rootSet.add(r.index);
  const rootList = [...rootSet];
  const succStart = (v: number) => (v === superRoot ? 0 : g.edgeStart[v]!);
  const succEnd = (v: number) => (v === superRoot ? rootList.length : g.edgeStart[v + 1]!);
  const succ = (v: number, e: number) => (v === superRoot ? rootList[e]! : g.edgeTargets[e]!);

  // Iterative DFS for the postorder.
  const post = new Int32Array(n + 1).fill(-1);
  const order: number[] = [];
  const visited = new Uint8Array(n + 1);
  const stackV = new Int32Array(n + 1);
  const stackE = new Int32Array(n + 1);
  let sp = 0;
  stackV[0] = superRoot;
  stackE[0] = succStart(superRoot);
  visited[superRoot] = 1;
  while (sp >= 0) {
    const v = stackV[sp]!;
    const e = stackE[sp]!;
    if (e < succEnd(v)) {
      stackE[sp] = e + 1;
      const w = succ(v, e);
      if (!visited[w]) {
        visited[w] = 1;
        sp++;
        stackV[sp] = w;
        stackE[sp] = succStart(w);
      }
    } else {
      post[v] = order.length;
      order.push(v);
      sp--;
    }
  }
  // Predecessors of reachable objects (reversed edges).
  const predCount = new Int32Array(n + 1);
  for (const r of rootList) predCount[r]!++;
  for (let v = 0; v < n; v++) {
    if (!visited[v]) continue;
    for (let e = g.edgeStart[v]!; e < g.edgeStart[v + 1]!; e++) predCount[g.edgeTargets[e]!]!++;
  }
  const predStart = new Int32Array(n + 2);
  for (let v = 0; v <= n; v++) predStart[v + 1] = predStart[v]! + predCount[v]!;
  const preds = new Int32Array(predStart[n + 1]!);
  const fill = predStart.slice(0, n + 1);
  for (const r of rootList) preds[fill[r]!++] = superRoot;
  for (let v = 0; v < n; v++) {
    if (!visited[v]) continue;
    for (let e = g.edgeStart[v]!; e < g.edgeStart[v + 1]!; e++) preds[fill[g.edgeTargets[e]!]!++] = v;
  }

  const idom = new Int32Array(n + 1).fill(-1);
  idom[superRoot] = superRoot;
  const rpoAll = order.slice().reverse();
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 1; i < rpoAll.length; i++) {
      const v = rpoAll[i]!;
      let d = -1;
      for (let p = predStart[v]!; p < predStart[v + 1]!; p++) {
        const u = preds[p]!;
        if (idom[u] === -1) continue;
        if (d === -1) d = u;
        else {
          // intersect: walk up by postorder number until the fingers meet
          let a = u;
          let b = d;
          while (a !== b) {
            while (post[a]! < post[b]!) a = idom[a]!;
            while (post[b]! < post[a]!) b = idom[b]!;
          }
          d = a;
        }
      }
      if (d !== -1 && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  return { idom: idom.subarray(0, n), rpo: Int32Array.from(rpoAll.slice(1)) };
}

export interface PathGroup {
  /** Index into graph.roots, -1 for unreachable objects. */
  root: number;
  /** Objects from the root's first object down to the direct retainer (empty: the objects are roots). */
  chain: number[];
  /** Total length of the chain before elision. */
  length: number;
  count: number;
  bytes: number;
  retainedBytes: number;
}

export interface RetainerReport {
  objects: number;
  bytes: number;
  retainedBytes: number;
  unreachable: number;
  /** Most objects first, then most retained bytes; at most `limit`. */
  paths: PathGroup[];
  totalPaths: number;
}

/**
 * Groups the shortest root paths of the objects `isTarget` selects by the sequence of keys along
 * them (the objects on a path differ, their (type, file, line) places repeat: "each `list` of
 * line 12, held by a `dict` of line 3, held by the global `cache`"). Long paths keep `keepEnds`
 * objects at each end.
 */
export function retainerPaths(g: StoredGraph, a: GraphAnalysis, isTarget: (i: number) => boolean, limit: number, keepEnds = 12): RetainerReport {
  const n = g.n;
  // inTarget / a strict dominator of it is a target: only top-level targets add retained size.
  const target = new Uint8Array(n);
  let objects = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    if (!isTarget(i)) continue;
    target[i] = 1;
    objects++;
    bytes += g.size[i]!;
  }
  const underTarget = new Uint8Array(n);
  for (let i = 0; i < a.rpo.length; i++) {
    const v = a.rpo[i]!;
    const d = a.idom[v]!;
    if (d >= 0 && d < n && (target[d] || underTarget[d])) underTarget[v] = 1;
  }

  // Path ids interned top-down: path(v) = (path(parent), key of v); a root object starts one.
  const pathOf = new Int32Array(n).fill(-1);
  const pathParent: number[] = [];
  const pathObject: number[] = [];
  const pathLength: number[] = [];
  const pathRoot: number[] = [];
  const intern = new Map<number, number>();
  const pathIdFor = (v: number): number => {
    let p = pathOf[v]!;
    if (p >= 0) return p;
    // Walk up to the first ancestor with a path id, then assign downwards.
    const stack: number[] = [];
    let u = v;
    while (u >= 0 && pathOf[u]! < 0) {
      stack.push(u);
      u = a.parent[u]!;
    }
    let above = u >= 0 ? pathOf[u]! : -1;
    for (let s = stack.length - 1; s >= 0; s--) {
      const w = stack[s]!;
      const rootTag = above < 0 ? a.rootOf[w]! : -1;
      const k = above < 0 ? -(rootTag + 1) * 2147483648 - g.keyId[w]! : above * 2147483648 + g.keyId[w]!;
      p = intern.get(k) ?? -1;
      if (p < 0) {
        p = pathParent.length;
        intern.set(k, p);
        pathParent.push(above);
        pathObject.push(w);
        pathLength.push(above < 0 ? 1 : pathLength[above]! + 1);
        pathRoot.push(above < 0 ? rootTag : pathRoot[above]!);
      }
      pathOf[w] = p;
      above = p;
    }
    return pathOf[v]!;
  };

  // Per retainer path (the path of the parent; roots get a per-root "empty" bucket).
  const buckets = new Map<number, PathGroup & { pathId: number }>();
  let unreachable = 0;
  let retainedBytes = 0;
  for (let i = 0; i < n; i++) {
    if (!target[i]) continue;
    const par = a.parent[i]!;
    if (par === -2) {
      unreachable++;
      continue;
    }
    const pathId = par === -1 ? -1 : pathIdFor(par);
    const bucketKey = par === -1 ? -1 - a.rootOf[i]! : pathId;
    let b = buckets.get(bucketKey);
    if (!b) {
      b = { pathId, root: par === -1 ? a.rootOf[i]! : pathRoot[pathId]!, chain: [], length: par === -1 ? 0 : pathLength[pathId]!, count: 0, bytes: 0, retainedBytes: 0 };
      buckets.set(bucketKey, b);
    }
    b.count++;
    b.bytes += g.size[i]!;
    if (!underTarget[i]) {
      b.retainedBytes += a.retained[i]!;
      retainedBytes += a.retained[i]!;
    }
  }
  const all = [...buckets.values()].sort((x, y) => y.count - x.count || y.retainedBytes - x.retainedBytes || x.length - y.length);
  const paths = all.slice(0, limit);
  for (const b of paths) {
    // Representative objects along the path, root first (the keys are what matter).
    const chain: number[] = [];
    for (let p = b.pathId; p >= 0; p = pathParent[p]!) chain.push(pathObject[p]!);
    chain.reverse();
    b.chain = chain.length > 2 * keepEnds ? [...chain.slice(0, keepEnds), ...chain.slice(-keepEnds)] : chain;
  }
  return { objects, bytes, retainedBytes, unreachable, paths: paths.map(({ pathId: _p, ...rest }) => rest), totalPaths: all.length };
}
