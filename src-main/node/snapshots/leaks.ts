// Leak suspects across a session's snapshots, and per-line statistics for the Source view.
// Pure: works on GroupColumns, decoded graphs and a key lookup.
//
// A leak is a container that keeps gaining objects and never gives them back. With the graphs
// of the snapshots, each dominator-tree edge counts as a holder group keeping an item group
// (leak-graph.ts); a suspect is a holder group whose items grow steadily across the session
// (leak-growth.ts) and whose retained bytes grow with them, ranked by retained bytes growth.
// Untracked objects (str, int, bytes, tuples and dicts of atoms) count for the container that
// keeps them. A holder nested in a higher-ranked suspect's growth (each instance's __dict__ of
// a registry of instances) is part of that suspect, not another one. Without graphs, or for a
// single object that grows by itself, groups are judged on their own bytes.
import type { LeakGroupSeries, LeakSuspect, RetainerStep, SourceLineStat } from '../../common/domain';
import type { KeyLookup } from './compare';
import type { StoredGraph } from './graph-codec';
import { claimOwners, holdStats, owners, pairHolder, pairItem, rootPath } from './leak-graph';
import { steadyGrowth } from './leak-growth';
import { analyzeGraph, type GraphAnalysis } from './retainers';
import type { GroupColumns } from './store';

/** Snapshots needed: growth across at least three. */
export const MIN_SNAPSHOTS = 3;
/** A group that keeps its count must at least grow by this factor in bytes to be a suspect on its own. */
export const MIN_SELF_GROWTH = 1.5;
const MAX_SUSPECTS = 50;
const MAX_RETAINS = 6;
const KEEP_PATH_ENDS = 12;

export interface LeakSnapshot {
  /** The snapshot's groups, with generations (untracked groups are marked on paths). */
  cols: GroupColumns;
  /**
   * Its graph, or a loader of it (big graphs are read one at a time and read again for the
   * evidence rather than all kept in memory); null when it was not kept.
   */
  graph: StoredGraph | (() => StoredGraph) | null;
}

interface Analysed {
  g: StoredGraph;
  a: GraphAnalysis;
}

/** A snapshot's graph and its analysis; the last snapshot's are kept, the others computed when asked. */
class Graphs {
  private readonly last: Analysed;
  constructor(private readonly snaps: LeakSnapshot[]) {
    this.last = this.load(snaps.length - 1);
  }
  private load(i: number): Analysed {
    const x = this.snaps[i]!.graph!;
    const g = typeof x === 'function' ? x() : x;
    return { g, a: analyzeGraph(g) };
  }
  get(i: number): Analysed {
    return i === this.snaps.length - 1 ? this.last : this.load(i);
  }
}

export interface LeakOptions {
  /** Lines whose objects are not the program's (the lines that call tracemalloc.take_snapshot()). */
  excludeLines?: { filename: string; line: number }[];
}

interface Series {
  counts: number[];
  bytes: number[];
}

const series = (s: number): Series => ({ counts: new Array<number>(s).fill(0), bytes: new Array<number>(s).fill(0) });

/**
 * The objects that tracemalloc keeps for its own snapshots (a Snapshot and its traces, and the
 * traces being built while the snapshot is taken) are not the program's: every group at a line
 * that allocates a Snapshot, or at an excluded line, is left out.
 */
function toolKeys(snaps: LeakSnapshot[], key: KeyLookup, o: LeakOptions): (keyId: number) => boolean {
  const lines = new Set<string>();
  for (const l of o.excludeLines ?? []) lines.add(`${l.filename}\0${l.line}`);
  for (const { cols } of snaps) {
    for (let r = 0; r < cols.keyId.length; r++) {
      const k = key(cols.keyId[r]!);
      if (k.type === 'Snapshot' && k.line > 0) lines.add(`${k.filename}\0${k.line}`);
    }
  }
  const memo = new Map<number, boolean>();
  return (keyId) => {
    let x = memo.get(keyId);
    if (x === undefined) {
      const k = key(keyId);
      x = k.line > 0 && lines.has(`${k.filename}\0${k.line}`);
      memo.set(keyId, x);
    }
    return x;
  };
}

function ranked(a: LeakSuspect, b: LeakSuspect): number {
  return (
    b.bytesGrowth - a.bytesGrowth ||
    b.countGrowth - a.countGrowth ||
    (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) ||
    a.filename.localeCompare(b.filename) ||
    a.line - b.line
  );
}

/** Leak suspects, most retained bytes growth first. */
export function leakSuspects(snaps: LeakSnapshot[], key: KeyLookup, o: LeakOptions = {}): LeakSuspect[] {
  const s = snaps.length;
  if (s < MIN_SNAPSHOTS) return [];
  const excluded = toolKeys(snaps, key, o);
  const out: LeakSuspect[] = [];
  let ownedKeys = new Set<number>();
  let last: Analysed | null = null;
  if (snaps.every((x) => x.graph)) {
    const graphs = new Graphs(snaps);
    last = graphs.get(s - 1);
    const found = retainedSuspects(snaps, graphs, key, excluded);
    out.push(...found.suspects);
    ownedKeys = found.ownedKeys;
  }
  out.push(...shallowSuspects(snaps, key, excluded, ownedKeys, last));
  return out.sort(ranked).slice(0, MAX_SUSPECTS);
}

interface Candidate {
  holderKey: number;
  bytes: number[];
  growth: number;
  ups: number;
  holders: number;
  /** The growing item group with the most retained bytes growth, and its item counts. */
  itemKey: number;
  itemCounts: number[];
}

function retainedSuspects(
  snaps: LeakSnapshot[],
  graphs: Graphs,
  key: KeyLookup,
  excluded: (keyId: number) => boolean,
): { suspects: LeakSuspect[]; ownedKeys: Set<number> } {
  const s = snaps.length;
  const stats = snaps.map((_, i) => {
    const { g, a } = graphs.get(i);
    return holdStats(g, a);
  });
  const pairs = new Map<number, Series>();
  stats.forEach((st, i) => {
    for (const [p, n] of st.items) {
      let e = pairs.get(p);
      if (!e) pairs.set(p, (e = series(s)));
      e.counts[i] = n;
      e.bytes[i] = st.itemBytes.get(p)!;
    }
  });
  // Holder groups with an item group that grows steadily, and retained bytes that do too.
  const byHolder = new Map<number, Candidate>();
  const best = new Map<number, number>();
  for (const [p, e] of pairs) {
    const h = pairHolder(p);
    const c = pairItem(p);
    if (excluded(h) || excluded(c) || !steadyGrowth(e.counts)) continue;
    const itemGrowth = e.bytes[s - 1]! - e.bytes[0]!;
    let cand = byHolder.get(h);
    if (!cand) {
      const bytes = stats.map((st) => st.held.get(h) ?? 0);
      const g = steadyGrowth(bytes);
      if (!g) continue;
      cand = { holderKey: h, bytes, growth: g.growth, ups: g.ups, holders: stats[s - 1]!.holders.get(h) ?? 0, itemKey: c, itemCounts: e.counts };
      byHolder.set(h, cand);
      best.set(h, itemGrowth);
    } else if (itemGrowth > best.get(h)!) {
      best.set(h, itemGrowth);
      cand.itemKey = c;
      cand.itemCounts = e.counts;
    }
  }
  const candidates = [...byHolder.values()].sort((a, b) => b.growth - a.growth || a.holders - b.holders || a.holderKey - b.holderKey);

  // Outermost first: a holder whose objects mostly sit in an accepted suspect's subtree is part of it.
  const { g: lg, a: la } = graphs.get(s - 1);
  const claimed = new Int32Array(lg.n).fill(-1);
  const accepted: Candidate[] = [];
  for (const cand of candidates) {
    if (accepted.length >= MAX_SUSPECTS) break;
    let total = 0;
    let inside = 0;
    for (let v = 0; v < lg.n; v++) {
      if (lg.keyId[v] !== cand.holderKey || la.idom[v] === -1) continue;
      total++;
      if (claimed[v]! >= 0) inside++;
    }
    if (total > 0 && inside * 2 >= total) continue;
    claimOwners(lg, la, claimed, cand.holderKey, accepted.length);
    accepted.push(cand);
  }

  // Evidence: what each suspect's holders retain in every snapshot, by group.
  const suspectOfKey = new Map(accepted.map((c, i) => [c.holderKey, i]));
  const breakdown = accepted.map(() => new Map<number, Series>());
  const totals = accepted.map(() => series(s));
  let lastOwner: Int32Array = new Int32Array(lg.n).fill(-1);
  // The last snapshot first: its graph is at hand; the others are read again only when there is a suspect.
  for (let i = s - 1; i >= 0 && (i === s - 1 || accepted.length > 0); i--) {
    const { g, a } = graphs.get(i);
    const owner = owners(g, a, suspectOfKey);
    if (i === s - 1) lastOwner = owner;
    for (let v = 0; v < g.n; v++) {
      const o = owner[v]!;
      if (o < 0) continue;
      const k = g.keyId[v]!;
      let e = breakdown[o]!.get(k);
      if (!e) breakdown[o]!.set(k, (e = series(s)));
      e.counts[i]!++;
      e.bytes[i]! += g.size[v]!;
      totals[o]!.bytes[i]! += g.size[v]!;
    }
  }
  const ownedKeys = new Set<number>();
  const repr = new Int32Array(accepted.length).fill(-1);
  for (let v = 0; v < lg.n; v++) {
    const o = lastOwner[v]!;
    if (o < 0) continue;
    ownedKeys.add(lg.keyId[v]!);
    if (lg.keyId[v] === accepted[o]!.holderKey && (repr[o]! < 0 || la.retained[v]! > la.retained[repr[o]!]!)) repr[o] = v;
  }
  const untracked = untrackedKeys(snaps[s - 1]!.cols);
  const suspects = accepted.map((c, i): LeakSuspect => {
    const item = key(c.itemKey);
    const holder = key(c.holderKey);
    const bytes = totals[i]!.bytes;
    const retains: LeakGroupSeries[] = [...breakdown[i]!]
      .map(([k, e]) => ({ ...key(k), counts: e.counts, bytes: e.bytes }))
      .sort((a, b) => b.bytes[s - 1]! - b.bytes[0]! - (a.bytes[s - 1]! - a.bytes[0]!) || b.bytes[s - 1]! - a.bytes[s - 1]!)
      .slice(0, MAX_RETAINS);
    return {
      type: item.type,
      filename: item.filename,
      line: item.line,
      counts: c.itemCounts,
      bytes,
      bytesGrowth: bytes[s - 1]! - bytes[0]!,
      countGrowth: c.itemCounts[s - 1]! - c.itemCounts[0]!,
      growthSteps: c.ups,
      basis: 'retained',
      holder: { type: holder.type, filename: holder.filename, line: holder.line, count: c.holders },
      path: repr[i]! >= 0 ? pathOf(lg, la, repr[i]!, key, untracked) : null,
      retains,
    };
  });
  return { suspects, ownedKeys };
}

function untrackedKeys(cols: GroupColumns): Set<number> {
  const out = new Set<number>();
  if (cols.gens.length === 0) return out;
  for (let r = 0; r < cols.keyId.length; r++) if (cols.gens[5 * r] === cols.count[r]) out.add(cols.keyId[r]!);
  return out;
}

function pathOf(g: StoredGraph, a: GraphAnalysis, v: number, key: KeyLookup, untracked: Set<number>): LeakSuspect['path'] {
  if (a.parent[v] === -2) return null;
  const chain = rootPath(a, v);
  const kept = chain.length > 2 * KEEP_PATH_ENDS ? [...chain.slice(0, KEEP_PATH_ENDS), ...chain.slice(-KEEP_PATH_ENDS)] : chain;
  const steps: RetainerStep[] = kept.map((i) => ({ ...key(g.keyId[i]!), untracked: untracked.has(g.keyId[i]!) }));
  return { root: g.roots[a.rootOf[v]!]?.label ?? 'root', steps, elidedSteps: chain.length - kept.length };
}

/**
 * Groups judged on their own counts and bytes: every group when the snapshots kept no graphs,
 * else the groups no retained suspect accounts for (a single object that grows by itself).
 */
function shallowSuspects(
  snaps: LeakSnapshot[],
  key: KeyLookup,
  excluded: (keyId: number) => boolean,
  ownedKeys: Set<number>,
  last: Analysed | null,
): LeakSuspect[] {
  const s = snaps.length;
  const groups = new Map<number, Series>();
  snaps.forEach(({ cols }, i) => {
    for (let r = 0; r < cols.keyId.length; r++) {
      const k = cols.keyId[r]!;
      let e = groups.get(k);
      if (!e) groups.set(k, (e = series(s)));
      e.counts[i] = cols.count[r]!;
      e.bytes[i] = cols.bytes[r]!;
    }
  });
  const found: { keyId: number; e: Series; ups: number }[] = [];
  for (const [keyId, e] of groups) {
    if (excluded(keyId) || ownedKeys.has(keyId)) continue;
    const g = steadyGrowth(e.bytes);
    if (!g) continue;
    const countGrowth = e.counts[s - 1]! - e.counts[0]!;
    if (countGrowth > 0 ? !steadyGrowth(e.counts) : e.bytes[s - 1]! < MIN_SELF_GROWTH * e.bytes[0]!) continue;
    found.push({ keyId, e, ups: g.ups });
  }
  const untracked = untrackedKeys(snaps[s - 1]!.cols);
  // The largest object of each found group in the last graph: its retainer path and holder.
  const largest = new Map<number, number>();
  if (last) {
    const want = new Set(found.map((f) => f.keyId));
    for (let v = 0; v < last.g.n; v++) {
      const k = last.g.keyId[v]!;
      if (!want.has(k) || last.a.parent[v] === -2) continue;
      const cur = largest.get(k);
      if (cur === undefined || last.g.size[v]! > last.g.size[cur]!) largest.set(k, v);
    }
  }
  return found.map(({ keyId, e, ups }): LeakSuspect => {
    const k = key(keyId);
    const v = largest.get(keyId);
    const par = v !== undefined && last ? last.a.parent[v]! : -1;
    return {
      ...k,
      counts: e.counts,
      bytes: e.bytes,
      bytesGrowth: e.bytes[s - 1]! - e.bytes[0]!,
      countGrowth: e.counts[s - 1]! - e.counts[0]!,
      growthSteps: ups,
      basis: 'shallow',
      holder: par >= 0 && last ? { ...key(last.g.keyId[par]!), count: 1 } : null,
      path: v !== undefined && last ? pathOf(last.g, last.a, par >= 0 ? par : v, key, untracked) : null,
      retains: [{ ...k, counts: e.counts, bytes: e.bytes }],
    };
  });
}

/** The lines of a script that call tracemalloc.take_snapshot() (what they allocate is tracemalloc's). */
export function snapshotCallLines(source: string, filename: string): { filename: string; line: number }[] {
  const out: { filename: string; line: number }[] = [];
  source.split('\n').forEach((text, i) => {
    if (/\btake_snapshot\s*\(/.test(text.replace(/#.*$/, ''))) out.push({ filename, line: i + 1 });
  });
  return out;
}

/** Count and bytes per line of `filename` (all types), with diffs against `base` when given. */
export function sourceLineStats(filename: string, target: GroupColumns | null, base: GroupColumns | null, key: KeyLookup): SourceLineStat[] {
  const byLine = new Map<number, SourceLineStat>();
  const add = (cols: GroupColumns, sign: 1 | -1) => {
    for (let r = 0; r < cols.keyId.length; r++) {
      const k = key(cols.keyId[r]!);
      if (k.filename !== filename || k.line <= 0) continue;
      let e = byLine.get(k.line);
      if (!e) byLine.set(k.line, (e = { line: k.line, count: 0, bytes: 0, countDiff: 0, bytesDiff: 0 }));
      if (sign === 1) {
        e.count += cols.count[r]!;
        e.bytes += cols.bytes[r]!;
      }
      if (base) {
        e.countDiff += sign * cols.count[r]!;
        e.bytesDiff += sign * cols.bytes[r]!;
      }
    }
  };
  if (target) add(target, 1);
  if (base) add(base, -1);
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}
