// (Over 600 lines: about 120 of them are one-line accessors that delegate to the parts below, kept so python/ and the tests call the heap as before.)
// The heap: the refcount/alloc facade over the object store (CPython's Py_INCREF/Py_DECREF,
// PyObject_GC_New/Del, tp_dealloc): allocation with freelists and pymalloc, reference counting
// with iterative frees, the referent setters, tracking, and the engine's parts wired together:
//   store.ts        objects (struct of arrays), referents (adjacency pool), types, lists
//   freelists.ts    tuple/list/dict freelists        weakrefs.ts   weak references
//   tracemalloc.ts  traced bytes and peak            pymalloc.ts   arenas, pools, size classes
//   collector/      the Collector seam and the generational collector (3.11–3.13)
//   gcmodule.ts     the `gc` module (heap.gc)        inspect.ts    roots, referrers, snapshots, retainers
//   profile.ts      every version difference         clock.ts      the simulated cost of collections
import { FIRST_ID, NULL } from './constants';
import type { Collector } from './collector/collector';
import { GenerationalCollector } from './collector/generational/generational';
import { Freelists } from './freelists';
import { GcModule } from './gcmodule';
import * as inspect from './inspect';
import { profileSpec, type ProfileSpec } from './profile';
import { PyMalloc, NONE } from './pymalloc';
import type { SizeTable } from './sizes';
import { F_BASELINE, F_FINALIZED, F_TRACED, F_WEAKREFS, FL_NONE, ObjectStore, T_DICT, T_FINALIZER, T_GC, T_REVERSE, T_WEAKREF } from './store';
import { Tracemalloc } from './tracemalloc';
import { Weakrefs } from './weakrefs';
export { DEBUG_COLLECTABLE, DEBUG_LEAK, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE, FIRST_ID, GEN0, GEN1, GEN2, NULL, PERMANENT } from './constants';
export { GcModule } from './gcmodule';
import type {
  AllocOptions,
  CollectionEvent,
  EngineHooks,
  FreelistKind,
  GcStats,
  HeapListener,
  HeapMetrics,
  Profile,
  DetailedSnapshot,
  RefPathStep,
  TypeSiteRow,
} from './types';

export interface HeapOptions {
  profile?: Profile;
  /** One per generation of the profile's collector (default: the profile's). */
  thresholds?: readonly number[];
  hooks?: EngineHooks;
  /** Initial object capacity (arrays grow as needed). */
  capacity?: number;
}

export class Heap extends ObjectStore {
  readonly profile: Profile;
  /** The profile table row of this heap's version (profile.ts): every version difference. */
  readonly spec: ProfileSpec;
  readonly sizes: SizeTable;
  readonly mem = new PyMalloc();
  readonly gc: GcModule;
  readonly collector: Collector;
  readonly weakrefs: Weakrefs;
  readonly freelists: Freelists;
  readonly tm = new Tracemalloc();
  hooks: EngineHooks;

  // ---- pending frees (an explicit stack: frees never recurse) ----
  private pending = new Int32Array(1024);
  private pendingLen = 0;


  // ---- metrics and the simulated clock (clock.ts) ----
  /** Simulated nanoseconds spent in collections so far (the cost model of clock.ts). */
  gcWorkNs = 0;
  private listeners: HeapListener[] = [];
  private baselineType = -1;

  constructor(opts: HeapOptions = {}) {
    super(opts.capacity ?? 1024);
    const spec = profileSpec(opts.profile ?? '3.11');
    this.spec = spec;
    this.profile = spec.id;
    this.sizes = spec.sizes;
    this.hooks = { ...(opts.hooks ?? {}) };
    this.freelists = new Freelists(spec.freelists);
    this.weakrefs = new Weakrefs(this);
    this.collector = new GenerationalCollector(this, spec, opts.thresholds);
    this.gc = new GcModule(this, this.collector);
  }

  setHooks(hooks: EngineHooks): void {
    Object.assign(this.hooks, hooks);
  }
  addListener(l: HeapListener): void {
    this.listeners.push(l);
  }
  removeListener(l: HeapListener): void {
    const i = this.listeners.indexOf(l);
    if (i >= 0) this.listeners.splice(i, 1);
  }
  /** Whether collection events are built (someone listens). */
  get observed(): boolean {
    return this.listeners.length > 0;
  }
  /** The collector finished a collection (CollectorHost). */
  collectionDone(e: CollectionEvent | null, elapsedNs: number): void {
    this.gcWorkNs += elapsedNs;
    if (e !== null) for (const l of this.listeners) l.onCollection?.(e);
  }

  // ---- the gc state, as the collector holds it (compatibility accessors) ----
  get count(): number[] {
    return this.collector.count;
  }
  get threshold(): number[] {
    return this.collector.threshold;
  }
  get stats(): GcStats[] {
    return this.collector.stats;
  }
  get enabled(): boolean {
    return this.collector.enabled;
  }
  get collecting(): boolean {
    return this.collector.collecting;
  }
  get debug(): number {
    return this.collector.debug;
  }
  get garbage(): number[] {
    return this.collector.garbage;
  }
  get traceNextCollection(): boolean {
    return this.collector.traceNextCollection;
  }
  set traceNextCollection(on: boolean) {
    this.collector.traceNextCollection = on;
  }
  /** The generational collector's long-lived totals and schedule (tests). */
  get longLivedTotal(): number {
    return (this.collector as GenerationalCollector).longLivedTotal;
  }
  get longLivedPending(): number {
    return (this.collector as GenerationalCollector).longLivedPending;
  }
  get gcScheduled(): boolean {
    return (this.collector as GenerationalCollector).gcScheduled;
  }

  // ================= allocation =================
  /** Allocate an object; returns a new reference (refcount 1). See API.md. */
  alloc(type: number, sizeBytes: number, site: number, opts?: AllocOptions): number {
    const tf = this.typeFlags[type];
    let extra = 0;
    let wantFreelist = false;
    let nitems: number | undefined;
    let track = (tf & T_GC) !== 0 && (tf & T_DICT) === 0;
    if (opts !== undefined) {
      if (opts.extraBytes !== undefined) extra = opts.extraBytes;
      if (opts.freelist === true) wantFreelist = true;
      nitems = opts.nitems;
      if (opts.track !== undefined) track = opts.track && (tf & T_GC) !== 0;
    }
    const total = sizeBytes + extra;
    let handle = NONE;
    let fromFreelist = false;
    const fk = this.typeFreelist[type];
    if (fk !== FL_NONE && wantFreelist) {
      const fl = this.freelists.forAlloc(fk, sizeBytes, nitems);
      if (fl !== null && fl.handles.length > 0) {
        const kept = fl.handles.pop()!;
        if (fl.traced.pop()) this.tm.bytes -= fl.blockBytes;
        fromFreelist = true;
        if (fl.blockBytes === total) handle = kept;
        else {
          this.mem.free(kept, fl.blockBytes);
          handle = this.mem.alloc(total);
        }
      }
    }
    this.lastAllocFromFreelist = fromFreelist;
    if (!fromFreelist) {
      handle = this.mem.alloc(total);
      if (tf & T_GC) this.collector.objectLinked();
    }
    const id = this.newId();
    this.typ[id] = type;
    this.rc[id] = 1;
    this.size[id] = sizeBytes;
    this.extra[id] = extra;
    this.siteOf[id] = site;
    this.born[id] = this.time++;
    this.flags[id] = 0;
    if (this.tm.tracing) this.trace(id, total);
    this.owner[id] = 0;
    this.block[id] = handle;
    this.refStart[id] = -1;
    this.refLength[id] = 0;
    this.refCapLog[id] = -1;
    this.liveObjects++;
    this.liveBytes += sizeBytes;
    this.liveExtraBytes += extra;
    if (track) this.link(id, this.collector.head(0));
    return id;
  }

  /** Eval-breaker point (3.12+): runs a scheduled collection. A no-op when collections run inside allocations (3.11). */
  checkpoint(): number {
    return this.collector.checkpoint();
  }

  /** New getsizeof size (a container grew or shrank): the memory is re-allocated. */
  resize(id: number, bytes: number): void {
    const old = this.size[id];
    if (old === bytes) return;
    this.realloc(id, bytes, this.extra[id]);
    this.liveBytes += bytes - old;
    this.size[id] = bytes;
  }
  /** Bytes allocated for the object that getsizeof does not report (a 3.11 values array…). */
  setExtraBytes(id: number, bytes: number): void {
    const old = this.extra[id];
    if (old === bytes) return;
    this.realloc(id, this.size[id], bytes);
    this.liveExtraBytes += bytes - old;
    this.extra[id] = bytes;
  }
  private realloc(id: number, size: number, extra: number): void {
    const oldTotal = this.size[id] + this.extra[id];
    this.mem.free(this.block[id], oldTotal);
    this.block[id] = this.mem.alloc(size + extra);
    if (this.flags[id] & F_TRACED) {
      this.flags[id] &= ~F_TRACED;
      this.tm.bytes -= oldTotal;
    }
    if (this.tm.tracing) this.trace(id, size + extra);
  }
  private trace(id: number, bytes: number): void {
    this.flags[id] |= F_TRACED;
    this.tm.add(bytes);
  }

  // ================= tracemalloc =================
  get tracing(): boolean {
    return this.tm.tracing;
  }
  /** Suspend or resume tracing without forgetting traces (_tracemalloc._get_traces runs untraced). */
  set tracing(on: boolean) {
    this.tm.tracing = on;
  }
  get tracedBytes(): number {
    return this.tm.bytes;
  }
  get tracedPeak(): number {
    return this.tm.peak;
  }
  /**
   * A block allocated while the object's old memory is still held and freed right after
   * (dictresize and set_table_resize build the new table before freeing the old one): it only
   * raises the traced peak. Call it before `resize`.
   */
  noteTransientAlloc(bytes: number): void {
    this.tm.noteTransient(bytes);
  }
  /** tracemalloc.start(): allocations from now on are traced. */
  tracemallocStart(): void {
    this.tm.tracing = true;
  }
  /** tracemalloc.stop(): forget every trace. */
  tracemallocStop(): void {
    this.tm.stop();
    for (let id = FIRST_ID; id < this.idTop; id++) this.flags[id] &= ~F_TRACED;
    this.freelists.untraceAll();
  }
  resetTracedPeak(): void {
    this.tm.resetPeak();
  }
  isTraced(id: number): boolean {
    return (this.flags[id] & F_TRACED) !== 0;
  }

  // ================= reference counting =================
  incref(id: number): void {
    if (id !== NULL) this.rc[id]++;
  }

  decref(id: number): void {
    if (id === NULL) return;
    const r = --this.rc[id];
    if (r <= 0) {
      if (r === 0) this.release(id);
      else throw new RangeError(`decref of a dead object (id ${id})`);
    }
  }

  private release(id: number): void {
    const base = this.pendingLen;
    this.pushPending(id);
    while (this.pendingLen > base) this.destroy(this.pending[--this.pendingLen]);
  }

  private pushPending(id: number): void {
    if (this.pendingLen === this.pending.length) {
      const p = new Int32Array(this.pending.length * 2);
      p.set(this.pending);
      this.pending = p;
    }
    this.pending[this.pendingLen++] = id;
  }

  /** tp_dealloc of an object whose refcount reached 0. */
  private destroy(id: number): void {
    const type = this.typ[id];
    const tf = this.typeFlags[type];
    const flags = this.flags;
    if ((tf & T_FINALIZER) !== 0 && (flags[id] & F_FINALIZED) === 0 && this.callFinalizerFromDealloc(id, tf)) return; // resurrected
    // Untracked before any code can run (weakref callbacks, onFree): a collection started from
    // there must not see this dead object (PyObject_GC_UnTrack at the top of tp_dealloc).
    const owner = this.owner[id];
    if (owner !== 0) {
      const p = this.prev[id];
      const nx = this.next[id];
      this.next[p] = nx;
      this.prev[nx] = p;
      this.listLen[owner]--;
      this.owner[id] = 0;
    }
    if ((flags[id] & F_WEAKREFS) !== 0) this.weakrefs.clearOnDealloc(id);
    if ((tf & T_WEAKREF) !== 0) this.weakrefs.forget(id);
    const onFree = this.hooks.onFree;
    if (onFree !== undefined) onFree(id);
    // drop referents without recursion (a stack of pending frees)
    const len = this.refLength[id];
    const capLog = this.refCapLog[id];
    if (capLog >= 0) {
      const s = this.refStart[id];
      const pool = this.pool;
      const rc = this.rc;
      if (tf & T_REVERSE) {
        for (let i = s, e = s + len; i < e; i++) {
          const v = pool[i];
          if (v !== NULL && --rc[v] === 0) this.pushPending(v);
        }
      } else {
        for (let i = s + len - 1; i >= s; i--) {
          const v = pool[i];
          if (v !== NULL && --rc[v] === 0) this.pushPending(v);
        }
      }
      this.releaseRefBlock(id);
    }
    // memory: freelist or PyObject_GC_Del
    const bytes = this.size[id];
    const extra = this.extra[id];
    const total = bytes + extra;
    const traced = (flags[id] & F_TRACED) !== 0;
    if (traced) this.tm.bytes -= total;
    const fk = this.typeFreelist[type];
    let kept = false;
    if (fk !== FL_NONE) {
      const fl = this.freelists.forDealloc(fk, len);
      if (fl !== null && fl.handles.length < fl.max) {
        kept = true;
        if (fl.blockBytes === total) fl.handles.push(this.block[id]);
        else {
          this.mem.free(this.block[id], total);
          fl.handles.push(this.mem.alloc(fl.blockBytes));
        }
        // the object struct stays allocated (and traced) while it waits on the freelist
        fl.traced.push(traced);
        if (traced) this.tm.bytes += fl.blockBytes;
      }
    }
    if (!kept) {
      this.mem.free(this.block[id], total);
      if (tf & T_GC) this.collector.objectFreed();
    }
    this.liveObjects--;
    this.liveBytes -= bytes;
    this.liveExtraBytes -= extra;
    this.freeId(id);
  }

  /** subtype_dealloc: untrack, re-track (end of gen 0), PyObject_CallFinalizerFromDealloc. True if resurrected. */
  private callFinalizerFromDealloc(id: number, tf: number): boolean {
    const run = this.hooks.runFinalizer;
    if (run === undefined) return false;
    if (tf & T_GC) {
      if (this.owner[id] !== 0) this.unlink(id);
      this.link(id, this.collector.head(0));
      this.flags[id] |= F_FINALIZED;
    }
    this.rc[id] = 1;
    run(id);
    return --this.rc[id] > 0;
  }

  private decrefDeferred(v: number): void {
    if (v !== NULL && --this.rc[v] === 0) this.pushPending(v);
  }

  // ================= referents (with reference counting) =================
  appendRef(id: number, v: number): void {
    const len = this.refLength[id];
    this.ensureRefCap(id, len + 1);
    this.pool[this.refStart[id] + len] = v;
    this.refLength[id] = len + 1;
    if (v !== NULL) this.rc[v]++;
  }
  setRef(id: number, i: number, v: number): void {
    const len = this.refLength[id];
    if (i < 0 || i >= len) throw new RangeError(`referent index ${i} out of range`);
    const slot = this.refStart[id] + i;
    const old = this.pool[slot];
    if (v !== NULL) this.rc[v]++;
    this.pool[slot] = v;
    this.decref(old);
  }
  insertRef(id: number, i: number, v: number): void {
    const len = this.refLength[id];
    if (i < 0 || i > len) throw new RangeError(`referent index ${i} out of range`);
    this.ensureRefCap(id, len + 1);
    const s = this.refStart[id];
    this.pool.copyWithin(s + i + 1, s + i, s + len);
    this.pool[s + i] = v;
    this.refLength[id] = len + 1;
    if (v !== NULL) this.rc[v]++;
  }
  /** Remove referent i without decref: the reference is handed to the caller. */
  popRef(id: number, i: number): number {
    const len = this.refLength[id];
    if (i < 0 || i >= len) throw new RangeError(`referent index ${i} out of range`);
    const s = this.refStart[id];
    const v = this.pool[s + i];
    this.pool.copyWithin(s + i, s + i + 1, s + len);
    this.refLength[id] = len - 1;
    return v;
  }
  removeRef(id: number, i: number): void {
    this.decref(this.popRef(id, i));
  }
  /** Grow with NULLs or shrink (dropping the tail, last first). */
  setRefLen(id: number, n: number): void {
    const len = this.refLength[id];
    if (n > len) {
      this.ensureRefCap(id, n);
      this.pool.fill(NULL, this.refStart[id] + len, this.refStart[id] + n);
      this.refLength[id] = n;
    } else if (n < len) {
      // list_clear order: the last item is released first (a stack: pushed first-to-last)
      const s = this.refStart[id];
      const pool = this.pool;
      this.refLength[id] = n;
      const base = this.pendingLen;
      for (let k = n; k < len; k++) this.decrefDeferred(pool[s + k]);
      while (this.pendingLen > base) this.destroy(this.pending[--this.pendingLen]);
    }
  }
  /** Drop all referents from index `from` (tp_clear). */
  clearRefs(id: number, from = 0): void {
    this.setRefLen(id, Math.min(from, this.refLength[id]));
  }

  // ================= tracking =================
  track(id: number): void {
    if (this.owner[id] !== 0) return;
    if (!(this.typeFlags[this.typ[id]] & T_GC)) throw new TypeError(`${this.typeName(this.typ[id])} is not a GC type`);
    this.link(id, this.collector.head(0));
  }
  untrack(id: number): void {
    if (this.owner[id] !== 0) this.unlink(id);
  }
  /** Generation (0 = youngest; the number of generations = permanent) of a tracked object, -1 if untracked or in a collection's temporary list. */
  generationOf(id: number): number {
    return this.collector.generationOf(id);
  }
  /** MAINTAIN_TRACKING(mp, key, value) on a dict insertion. */
  maintainDictTracking(dict: number, key: number, value: number): void {
    if (this.owner[dict] === 0 && (this.mayBeTracked(key) || this.mayBeTracked(value))) this.link(dict, this.collector.head(0));
  }

  // ================= weakrefs =================
  newWeakref(type: number, target: number, callback: number, sizeBytes: number, site: number): number {
    const w = this.alloc(type, sizeBytes, site, { track: true });
    this.appendRef(w, callback);
    this.weakrefs.add(w, target, callback);
    return w;
  }
  weakrefTarget(w: number): number {
    return this.weakrefs.targetOf(w);
  }
  weakrefsTo(obj: number): number[] {
    return this.weakrefs.refsTo(obj);
  }

  // ================= freelists =================
  /** clear_freelists: every freed entry goes through PyObject_GC_Del (count0-- if > 0). */
  clearFreelists(): void {
    this.freelists.clear(this.mem, this.tm, () => this.collector.objectFreed());
  }
  freelistSize(kind: FreelistKind, nitems = 1): number {
    return this.freelists.size(kind, nitems);
  }
  /**
   * `sys._debugmallocstats()` text: pymalloc, then the freelists (_PyObject_DebugTypeStats). The
   * float freelist is not the engine's: pass its length.
   */
  debugMallocStats(floatFreelist = 0): string {
    return this.mem.debugStats() + '\n' + this.freelists.debugStats(floatFreelist);
  }

  // ================= gc module support =================
  freeze(): void {
    this.collector.freeze();
  }
  unfreeze(): void {
    this.collector.unfreeze();
  }

  /**
   * The state right after the fidelity driver's `gc.collect()`: every tracked object (those
   * already allocated plus n opaque long-lived ones held by the interpreter) in the oldest
   * generation, long_lived_total = its length, pending 0, counts 0, freelists empty. No object is
   * freed and no statistics change: this sets a starting state, it is not a collection.
   */
  createBaseline(n: number, bytesEach = 0): void {
    const oldest = this.collector.beginBaseline();
    if (this.baselineType < 0) this.baselineType = this.defineType({ name: '<baseline>', gc: true, kind: 'other', clear: false });
    for (let i = 0; i < n; i++) {
      const id = this.newId();
      this.typ[id] = this.baselineType;
      this.rc[id] = 1;
      this.size[id] = bytesEach;
      this.extra[id] = 0;
      this.siteOf[id] = -1;
      this.born[id] = this.time;
      this.flags[id] = F_BASELINE;
      this.block[id] = this.mem.alloc(bytesEach);
      this.refStart[id] = -1;
      this.refLength[id] = 0;
      this.refCapLog[id] = -1;
      this.owner[id] = 0;
      this.liveObjects++;
      this.liveBytes += bytesEach;
      this.link(id, oldest);
    }
    this.clearFreelists();
    this.collector.endBaseline();
  }

  /**
   * Consistency check (tests, debugging): list links, list lengths and owners, and refcounts no
   * smaller than the references held by live containers. Returns the problems found.
   */
  checkInvariants(): string[] {
    return inspect.checkInvariants(this, this.collector);
  }

  // ================= metrics =================
  metrics(): HeapMetrics {
    const arenaBytes = this.mem.heldBytes;
    const arenas = this.mem.arenasAllocated;
    const c = this.collector;
    const generations: number[] = [];
    for (let g = 0; g < c.generations; g++) generations.push(this.listLen[c.head(g)]);
    const counts = [...c.count];
    return {
      liveBytes: this.liveBytes,
      extraBytes: this.liveExtraBytes,
      tracedBytes: this.tm.bytes,
      arenaBytes,
      arenas,
      blockBytes: this.mem.blockBytes,
      fragmentation: arenas > 0 ? 1 - this.mem.blockBytes / (arenas * 1048576) : 0,
      objects: this.liveObjects,
      generations,
      permanent: this.listLen[c.head(c.generations)],
      counts,
      gcWorkNs: this.gcWorkNs,
      gen0: generations[0] ?? 0,
      gen1: generations[1] ?? 0,
      gen2: generations[2] ?? 0,
      count0: counts[0] ?? 0,
      count1: counts[1] ?? 0,
      count2: counts[2] ?? 0,
    };
  }

  /** Host memory of the engine's arrays (bytes). */
  hostBytes(): number {
    return this.storeBytes() + this.pending.byteLength + this.mem.hostBytes;
  }

  // ================= inspection (inspect.ts) =================
  /** Every live id (baseline objects excluded), in id order. */
  liveIds(): number[] {
    return inspect.liveIds(this);
  }
  /** Live objects aggregated by (type, site), largest bytes first (baseline objects skipped). */
  snapshot(): TypeSiteRow[] {
    return inspect.snapshot(this);
  }
  /** Groups and, up to `maxGraphObjects` live objects, the object graph: see inspect.snapshotDetailed. */
  snapshotDetailed(maxGraphObjects = 200_000): DetailedSnapshot {
    return inspect.snapshotDetailed(this, this.collector, maxGraphObjects);
  }
  /** Objects referenced from outside the heap's containers (refcount > incoming references). */
  roots(): number[] {
    return inspect.roots(this);
  }
  /** Shortest chain of strong references from a root to `target`; null if unreachable. */
  retainerPath(target: number, roots?: number[]): RefPathStep[] | null {
    return inspect.retainerPath(this, target, roots);
  }
  /** The referents tp_traverse visits (non-NULL), for a GC object; [] otherwise. */
  traverse(id: number): number[] {
    return inspect.traverse(this, id);
  }
  referrersOf(targets: number[]): number[] {
    return inspect.referrersOf(this, this.collector, targets);
  }
}
