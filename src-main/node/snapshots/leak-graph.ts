// What holds what in one snapshot, for the leak suspects: the dominator tree's edges counted by
// (holder group, item group), and which objects each suspect's holders retain. An item of a
// holder is an object whose immediate dominator is an object of the holder's group: freeing
// the holder frees it, whether it is tracked by the collector (an instance) or not (a str, an
// int, a tuple of atoms), so untracked objects count for the container that keeps them.
import type { StoredGraph } from './graph-codec';
import type { GraphAnalysis } from './retainers';

const PAIR = 2 ** 31;
export const pairKey = (holderKey: number, itemKey: number): number => holderKey * PAIR + itemKey;
export const pairHolder = (pair: number): number => Math.floor(pair / PAIR);
export const pairItem = (pair: number): number => pair % PAIR;

export interface HoldStats {
  /** (holder key, item key) pair -> items. */
  items: Map<number, number>;
  /** Pair -> bytes the items retain. */
  itemBytes: Map<number, number>;
  /** Holder key -> objects of the group that hold at least one item. */
  holders: Map<number, number>;
  /** Key -> bytes retained by its objects that no object of the same group dominates (a holder's retained size). */
  held: Map<number, number>;
}

export function holdStats(g: StoredGraph, a: GraphAnalysis): HoldStats {
  const items = new Map<number, number>();
  const itemBytes = new Map<number, number>();
  const holding = new Uint8Array(g.n);
  const held = new Map<number, number>();
  for (let i = 0; i < a.rpo.length; i++) {
    const v = a.rpo[i]!;
    const d = a.idom[v]!;
    const k = g.keyId[v]!;
    if (d < 0 || d >= g.n || g.keyId[d] !== k) held.set(k, (held.get(k) ?? 0) + a.retained[v]!);
    if (d < 0 || d >= g.n) continue; // held by the roots themselves
    const p = pairKey(g.keyId[d]!, g.keyId[v]!);
    items.set(p, (items.get(p) ?? 0) + 1);
    itemBytes.set(p, (itemBytes.get(p) ?? 0) + a.retained[v]!);
    holding[d] = 1;
  }
  const holders = new Map<number, number>();
  for (let v = 0; v < g.n; v++) if (holding[v]) holders.set(g.keyId[v]!, (holders.get(g.keyId[v]!) ?? 0) + 1);
  return { items, itemBytes, holders, held };
}

/**
 * Extends an ownership (object -> suspect index, -1 for none) with one more suspect: the objects
 * of its holder group and what they dominate, unless an earlier suspect owns them already.
 */
export function claimOwners(g: StoredGraph, a: GraphAnalysis, owner: Int32Array, holderKey: number, index: number): void {
  for (let i = 0; i < a.rpo.length; i++) {
    const v = a.rpo[i]!;
    if (owner[v]! >= 0) continue;
    const d = a.idom[v]!;
    if (g.keyId[v] === holderKey || (d >= 0 && d < g.n && owner[d] === index)) owner[v] = index;
  }
}

/** Owners for several holder groups at once; the outermost holder along the dominator tree wins. */
export function owners(g: StoredGraph, a: GraphAnalysis, suspectOfKey: Map<number, number>): Int32Array {
  const owner = new Int32Array(g.n).fill(-1);
  for (let i = 0; i < a.rpo.length; i++) {
    const v = a.rpo[i]!;
    const d = a.idom[v]!;
    const up = d >= 0 && d < g.n ? owner[d]! : -1;
    owner[v] = up >= 0 ? up : (suspectOfKey.get(g.keyId[v]!) ?? -1);
  }
  return owner;
}

/** A shortest path from a root to `v` (BFS parents), root object first, `v` last. */
export function rootPath(a: GraphAnalysis, v: number): number[] {
  const chain: number[] = [];
  for (let u = v; u >= 0; u = a.parent[u]!) chain.push(u);
  return chain.reverse();
}
