// Inspection: roots, referrers, referents, snapshots and retainer paths over the object store.
// The one implementation used by the front end's snapshots (python/snapshot.ts), the gc module
// (get_referrers / get_referents), the engine's tests and API.md.
import { FIRST_ID, NULL } from './constants';
import type { Collector } from './collector/collector';
import { F_BASELINE, FREE_TYPE, NUM_HEADS, T_GC, type ObjectStore } from './store';
import type { DetailedGroup, DetailedSnapshot, RefPathStep, TypeSiteRow } from './types';

/** Where an object is, as a snapshot counts it: 0 = untracked, 1 + generation (the last slot = permanent); a collection's temporary lists count as generation 0. */
function placeOf(c: Collector, s: ObjectStore, id: number): number {
  if (s.owner[id] === 0) return 0;
  const g = c.generationOf(id);
  return g < 0 ? 1 : g + 1;
}

/** References each live object receives from live objects' referents (indexed by id). */
function incomingRefs(s: ObjectStore): Int32Array {
  const idTop = s.idTop;
  const incoming = new Int32Array(idTop);
  const typ = s.typ;
  const pool = s.pool;
  const refStart = s.refStart;
  const refLength = s.refLength;
  for (let id = FIRST_ID; id < idTop; id++) {
    if (typ[id] === FREE_TYPE) continue;
    const st = refStart[id];
    for (let i = st, e = st + refLength[id]; i < e; i++) {
      const v = pool[i];
      if (v !== NULL) incoming[v]++;
    }
  }
  return incoming;
}

/** Every live id (baseline objects excluded), in id order. */
export function liveIds(s: ObjectStore): number[] {
  const out: number[] = [];
  for (let id = FIRST_ID; id < s.idTop; id++) if (s.typ[id] !== FREE_TYPE && !(s.flags[id] & F_BASELINE)) out.push(id);
  return out;
}

/**
 * Roots: live objects referenced from outside the heap's containers (refcount larger than the
 * references other live objects hold to them), e.g. by frames, globals held by the interpreter.
 */
export function roots(s: ObjectStore): number[] {
  const incoming = incomingRefs(s);
  const out: number[] = [];
  for (let id = FIRST_ID; id < s.idTop; id++) {
    if (s.typ[id] !== FREE_TYPE && s.rc[id] > incoming[id]) out.push(id);
  }
  return out;
}

/** The referents tp_traverse visits (non-NULL), for a GC object; [] otherwise (gc.get_referents). */
export function traverse(s: ObjectStore, id: number): number[] {
  if (!(s.typeFlags[s.typ[id]] & T_GC)) return [];
  return s.refsOf(id).filter((v) => v !== NULL);
}

/** Tracked objects of the collector's generations that refer to any of `targets` (gc.get_referrers). */
export function referrersOf(s: ObjectStore, c: Collector, targets: number[]): number[] {
  const set = new Set(targets);
  const out: number[] = [];
  for (let g = 0; g < c.generations; g++) {
    const h = c.head(g);
    for (let x = s.next[h]; x !== h; x = s.next[x]) {
      const st = s.refStart[x];
      for (let i = 0, n = s.refLength[x]; i < n; i++) {
        if (set.has(s.pool[st + i])) {
          out.push(x);
          break;
        }
      }
    }
  }
  return out;
}

/** Live objects aggregated by (type, site), largest bytes first. Baseline objects are skipped. */
export function snapshot(s: ObjectStore): TypeSiteRow[] {
  const rows = new Map<number, TypeSiteRow>();
  for (let id = FIRST_ID; id < s.idTop; id++) {
    const t = s.typ[id];
    if (t === FREE_TYPE || s.flags[id] & F_BASELINE) continue;
    const site = s.siteOf[id];
    const key = t * 4294967296 + (site >>> 0);
    let r = rows.get(key);
    if (!r) {
      r = { type: t, typeName: s.types[t].name, site, count: 0, bytes: 0 };
      rows.set(key, r);
    }
    r.count++;
    r.bytes += s.size[id];
  }
  return [...rows.values()].sort((a, b) => b.bytes - a.bytes || a.type - b.type || a.site - b.site);
}

/**
 * A detailed snapshot: groups by (type, site) with tracemalloc-like bytes (getsizeof + extra) and
 * where the objects are ([untracked, gen0, …, permanent]); and, when there are at most
 * `maxGraphObjects` live objects, the compact object graph (CSR: object i's referents are
 * `edgeTargets[edgeStart[i] .. edgeStart[i + 1])`, as object indexes) with each object's group,
 * bytes, id, birth serial, and `externalRefs` = references from outside the heap's containers
 * (frames, globals held by the interpreter: the roots). Baseline objects are included (site -1).
 */
export function snapshotDetailed(s: ObjectStore, c: Collector, maxGraphObjects = 200_000): DetailedSnapshot {
  const groupIndex = new Map<number, number>();
  const groups: DetailedGroup[] = [];
  const idTop = s.idTop;
  const places = c.generations + 2;
  const objGroup = new Int32Array(idTop).fill(-1);
  let live = 0;
  for (let id = FIRST_ID; id < idTop; id++) {
    const t = s.typ[id];
    if (t === FREE_TYPE) continue;
    live++;
    const site = s.siteOf[id];
    const key = t * 4294967296 + (site >>> 0);
    let g = groupIndex.get(key);
    if (g === undefined) {
      g = groups.length;
      groupIndex.set(key, g);
      groups.push({ type: t, typeName: s.types[t].name, site, count: 0, bytes: 0, generations: new Array<number>(places).fill(0) });
    }
    const row = groups[g];
    row.count++;
    row.bytes += s.size[id] + s.extra[id];
    row.generations[placeOf(c, s, id)]++;
    objGroup[id] = g;
  }
  if (live > maxGraphObjects) {
    return { groups, graph: null, graphOmitted: `${live} live objects (more than ${maxGraphObjects})` };
  }
  const index = new Int32Array(idTop).fill(-1);
  const ids: number[] = new Array(live);
  const births: number[] = new Array(live);
  let k = 0;
  for (let id = FIRST_ID; id < idTop; id++) {
    if (s.typ[id] === FREE_TYPE) continue;
    index[id] = k;
    ids[k] = id;
    births[k++] = s.born[id];
  }
  const n = live;
  const group: number[] = new Array(n);
  const size: number[] = new Array(n);
  const edgeStart: number[] = new Array(n + 1);
  const edgeTargets: number[] = [];
  const incoming = new Int32Array(n);
  const pool = s.pool;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    group[i] = objGroup[id];
    size[i] = s.size[id] + s.extra[id];
    edgeStart[i] = edgeTargets.length;
    const st = s.refStart[id];
    for (let r = st, e = st + s.refLength[id]; r < e; r++) {
      const v = pool[r];
      if (v === NULL) continue;
      const j = index[v];
      edgeTargets.push(j);
      incoming[j]++;
    }
  }
  edgeStart[n] = edgeTargets.length;
  const externalRefs: number[] = new Array(n);
  for (let i = 0; i < n; i++) externalRefs[i] = Math.max(0, s.rc[ids[i]] - incoming[i]);
  return { groups, graph: { ids, births, group, size, edgeStart, edgeTargets, externalRefs }, graphOmitted: null };
}

/** Shortest chain of strong references from a root (see roots(), or the given ones) to `target`; null if unreachable. */
export function retainerPath(s: ObjectStore, target: number, from?: number[]): RefPathStep[] | null {
  if (!s.isAlive(target)) return null;
  const starts = from ?? roots(s);
  const parent = new Int32Array(s.idTop).fill(-1);
  const parentSlot = new Int32Array(s.idTop).fill(-1);
  const queue = new Int32Array(s.idTop);
  let qh = 0;
  let qt = 0;
  for (const r of starts) {
    if (parent[r] !== -1) continue;
    parent[r] = r;
    queue[qt++] = r;
  }
  while (qh < qt && parent[target] === -1) {
    const x = queue[qh++];
    const st = s.refStart[x];
    for (let i = 0, n = s.refLength[x]; i < n; i++) {
      const v = s.pool[st + i];
      if (v === NULL || parent[v] !== -1) continue;
      parent[v] = x;
      parentSlot[v] = i;
      queue[qt++] = v;
    }
  }
  if (parent[target] === -1) return null;
  const path: RefPathStep[] = [{ id: target, refIndex: -1 }];
  let x = target;
  while (parent[x] !== x) {
    path.unshift({ id: parent[x], refIndex: parentSlot[x] });
    x = parent[x];
  }
  return path;
}

/**
 * Consistency check (tests, debugging): list links, list lengths and owners, and refcounts no
 * smaller than the references held by live containers. Returns the problems found.
 */
export function checkInvariants(s: ObjectStore, c: Collector): string[] {
  const problems: string[] = [];
  const seen = new Uint8Array(s.idTop);
  for (let h = 1; h < NUM_HEADS; h++) {
    let n = 0;
    for (let x = s.next[h], p = h; x !== h; p = x, x = s.next[x]) {
      if (s.prev[x] !== p) problems.push(`list ${h}: bad back link at ${x}`);
      if (s.owner[x] !== h) problems.push(`object ${x}: owner ${s.owner[x]} but linked in ${h}`);
      if (s.typ[x] === FREE_TYPE) problems.push(`list ${h}: freed object ${x}`);
      if (seen[x]) problems.push(`object ${x} linked twice`);
      seen[x] = 1;
      if (++n > s.idTop) {
        problems.push(`list ${h}: cycle`);
        break;
      }
    }
    if (n !== s.listLen[h]) problems.push(`list ${h}: length ${s.listLen[h]}, walked ${n}`);
  }
  const incoming = new Int32Array(s.idTop);
  for (let id = FIRST_ID; id < s.idTop; id++) {
    if (s.typ[id] === FREE_TYPE) continue;
    if (s.owner[id] !== 0 && !seen[id]) problems.push(`object ${id}: owner set but not linked`);
    const st = s.refStart[id];
    for (let i = 0, n = s.refLength[id]; i < n; i++) {
      const v = s.pool[st + i];
      if (v === NULL) continue;
      if (s.typ[v] === FREE_TYPE) problems.push(`object ${id} refers to freed ${v}`);
      incoming[v]++;
    }
  }
  for (let id = FIRST_ID; id < s.idTop; id++) {
    if (s.typ[id] !== FREE_TYPE && s.rc[id] < incoming[id]) problems.push(`object ${id}: refcount ${s.rc[id]} < ${incoming[id]} references`);
  }
  return problems.concat(c.checkInvariants());
}
