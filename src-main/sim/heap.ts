// The heap: objects in struct-of-arrays form (id-indexed typed arrays), referents in an
// adjacency pool, generation lists as intrusive doubly linked lists, reference counting with
// iterative frees, freelists, and CPython 3.11's cycle collector (Modules/gcmodule.c).
import { DEBUG_COLLECTABLE, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE, FIRST_ID, GEN0, GEN1, GEN2, GEN_HEAD, NULL, PERMANENT } from './constants';
import { GcModule } from './gcmodule';
import { PyMalloc, NONE, allocatorStatsLine } from './pymalloc';
import { profileSpec, type ProfileSpec } from './profile';
import type { SizeTable } from './sizes';
export { DEBUG_COLLECTABLE, DEBUG_LEAK, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE, FIRST_ID, GEN0, GEN1, GEN2, NULL, PERMANENT } from './constants';
export { GcModule } from './gcmodule';
import type {
  AllocOptions,
  CollectionEvent,
  CollectionTrace,
  EngineHooks,
  FreelistKind,
  GcStats,
  HeapListener,
  HeapMetrics,
  Profile,
  DetailedGroup,
  DetailedSnapshot,
  RetainerStep,
  SnapshotRow,
  TypeSpec,
} from './types';

// Temporary lists of a collection (ids below FIRST_ID, after the generation heads).
const UNREACHABLE = 5;
const FINALIZERS = 6;
const WRCB_TO_CALL = 7;
const SEEN = 8;
const STILL_UNREACHABLE = 9;
const NUM_HEADS = 10;

// object flags
const F_FINALIZED = 1;
const F_COLLECTING = 2;
const F_WEAKREFS = 4;
const F_BASELINE = 8;
const F_TRACED = 16;

// type flags
const T_GC = 1;
const T_TUPLE = 2;
const T_DICT = 4;
const T_WEAKREF = 8;
const T_FINALIZER = 16;
const T_LEGACY = 32;
const T_CLEAR = 64;
const T_REVERSE = 128;

const FREE_TYPE = 0xffff;
const FL_NONE = 0;
const FL_TUPLE = 1;
const FL_LIST = 2;
const FL_DICT = 3;

// Referent block capacities: 1, 2, 3, 4, 6, 8, 12, 16, … (steps of 1.5× or 1.33×, little waste).
const REF_CAPS = (() => {
  const caps = [1, 2];
  while (caps[caps.length - 1] < 2 ** 30) caps.push(caps.length % 2 === 0 ? (caps[caps.length - 1] * 3) / 2 : (caps[caps.length - 2] * 2));
  return Int32Array.from(caps);
})();

// Block kept while an object waits on a freelist: the object struct (+16 B GC head).
const LIST_FREELIST_BLOCK = 56;
const DICT_FREELIST_BLOCK = 64;

// Simulated cost of a collection, calibrated on CPython 3.11 (2M objects ≈ 0.125 s).
const SIM_NS_PER_OBJECT = 50;
const SIM_NS_PER_EDGE = 6;

export interface HeapOptions {
  profile?: Profile;
  thresholds?: [number, number, number];
  hooks?: EngineHooks;
  /** Initial object capacity (arrays grow as needed). */
  capacity?: number;
}

interface TypeInfo {
  spec: TypeSpec;
  name: string;
  flags: number;
  clearKeeps: number;
  freelist: FreelistKind | null;
}

class Freelist {
  handles: number[] = [];
  /** Whether each waiting block is traced by tracemalloc. */
  traced: boolean[] = [];
  constructor(
    readonly max: number,
    readonly blockBytes: number,
  ) {}
}

export class Heap {
  readonly profile: Profile;
  /** The profile table row of this heap's version (profile.ts): every version difference. */
  readonly spec: ProfileSpec;
  readonly sizes: SizeTable;
  readonly mem = new PyMalloc();
  readonly gc: GcModule;
  hooks: EngineHooks;

  // ---- objects (struct of arrays) ----
  private cap = 0;
  private typ = new Uint16Array(0);
  private rc = new Int32Array(0);
  private size = new Int32Array(0);
  private extra = new Int32Array(0);
  private siteOf = new Int32Array(0);
  private born = new Uint32Array(0);
  private flags = new Uint8Array(0);
  private owner = new Uint8Array(0);
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  private block = new Int32Array(0);
  private refStart = new Int32Array(0);
  private refLength = new Int32Array(0);
  private refCapLog = new Int8Array(0);
  private freeIdHead = -1;
  private idTop = FIRST_ID;

  // ---- adjacency pool: power-of-two blocks, free lists per size class ----
  private pool = new Int32Array(1 << 16);
  private poolTop = 0;
  private poolFree = new Int32Array(REF_CAPS.length).fill(-1);

  // ---- types ----
  private types: TypeInfo[] = [];
  private typeFlags = new Uint8Array(256);
  private typeFreelist = new Uint8Array(256);
  private anyFinalizerType = false;
  /** The exact builtin tuple type (the first kind 'tuple' type with the tuple freelist), for allocations the engine makes itself. */
  private tupleType = -1;
  private anyLegacyType = false;

  // ---- lists ----
  private listLen = new Int32Array(NUM_HEADS);

  // ---- weakrefs (rare: maps) ----
  private wrTarget = new Map<number, number>();
  private wrTo = new Map<number, number[]>();

  // ---- pending frees (an explicit stack: frees never recurse) ----
  private pending = new Int32Array(1024);
  private pendingLen = 0;

  // ---- freelists ----
  private tupleFreelists: Freelist[] = [];
  private readonly tupleMaxSaveSize: number;
  private listFreelist: Freelist;
  private dictFreelist: Freelist;
  /** 3.11: a due collection runs inside the allocation; 3.12+: at the next checkpoint(). */
  private readonly collectInAlloc: boolean;
  /** Whether the last alloc() was served from a freelist. */
  lastAllocFromFreelist = false;

  // ---- gc state ----
  count = [0, 0, 0];
  threshold: [number, number, number];
  enabled = true;
  collecting = false;
  debug = 0;
  longLivedTotal = 0;
  longLivedPending = 0;
  stats: GcStats[] = [0, 1, 2].map(() => ({ collections: 0, collected: 0, uncollectable: 0 }));
  /** 3.13: a collection was scheduled by an allocation; it runs at the next checkpoint(). */
  gcScheduled = false;
  /** gc.garbage when no appendToGarbage hook owns it (strong references). */
  garbage: number[] = [];

  // ---- metrics ----
  /** Simulated clock: allocations so far. */
  time = 0;
  liveObjects = 0;
  liveBytes = 0;
  /** Bytes allocated for objects beyond what getsizeof reports (values arrays, …). */
  liveExtraBytes = 0;
  /** tracemalloc: tracing on, bytes traced now, peak since start/reset. */
  tracing = false;
  tracedBytes = 0;
  tracedPeak = 0;
  private listeners: HeapListener[] = [];
  /** Attach a step-by-step trace to the next collection's event. */
  traceNextCollection = false;
  private trace: CollectionTrace | null = null;
  private work = 0;
  private baselineType = -1;

  constructor(opts: HeapOptions = {}) {
    const spec = profileSpec(opts.profile ?? '3.11');
    this.spec = spec;
    this.profile = spec.id;
    this.sizes = spec.sizes;
    this.collectInAlloc = spec.collectAt === 'allocation';
    this.threshold = [...(opts.thresholds ?? spec.thresholds)] as [number, number, number];
    this.hooks = { ...(opts.hooks ?? {}) };
    const fl = spec.freelists;
    this.tupleMaxSaveSize = fl.tupleMaxSaveSize;
    for (let n = 0; n <= fl.tupleMaxSaveSize; n++) this.tupleFreelists.push(new Freelist(fl.tupleMaxFreelist, 40 + 8 * n));
    this.listFreelist = new Freelist(fl.listMax, LIST_FREELIST_BLOCK);
    this.dictFreelist = new Freelist(fl.dictMax, DICT_FREELIST_BLOCK);
    this.grow(Math.max(opts.capacity ?? 1024, FIRST_ID + 1));
    for (let h = 1; h < NUM_HEADS; h++) {
      this.next[h] = h;
      this.prev[h] = h;
    }
    this.gc = new GcModule(this);
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

  // ================= types =================
  defineType(spec: TypeSpec): number {
    const kind = spec.kind ?? 'other';
    let f = 0;
    if (spec.gc) f |= T_GC;
    if (kind === 'tuple') f |= T_TUPLE;
    if (kind === 'dict') f |= T_DICT;
    if (kind === 'weakref') f |= T_WEAKREF;
    if (spec.finalizer) f |= T_FINALIZER;
    if (spec.legacyFinalizer) f |= T_LEGACY;
    if (spec.clear ?? (spec.gc && kind !== 'tuple')) f |= T_CLEAR;
    if ((spec.deallocOrder ?? (kind === 'list' || kind === 'tuple' ? 'reverse' : 'forward')) === 'reverse') f |= T_REVERSE;
    const id = this.types.length;
    if (id >= FREE_TYPE) throw new RangeError('too many types');
    this.types.push({
      spec,
      name: spec.name,
      flags: f,
      clearKeeps: spec.clearKeeps ?? (kind === 'instance' ? 1 : 0),
      freelist: spec.freelist ?? null,
    });
    if (id >= this.typeFlags.length) {
      const t = new Uint8Array(this.typeFlags.length * 2);
      t.set(this.typeFlags);
      this.typeFlags = t;
      const fl = new Uint8Array(this.typeFreelist.length * 2);
      fl.set(this.typeFreelist);
      this.typeFreelist = fl;
    }
    this.typeFlags[id] = f;
    this.typeFreelist[id] = spec.freelist === 'tuple' ? FL_TUPLE : spec.freelist === 'list' ? FL_LIST : spec.freelist === 'dict' ? FL_DICT : FL_NONE;
    if (spec.finalizer) this.anyFinalizerType = true;
    if (kind === 'tuple' && spec.freelist === 'tuple' && this.tupleType < 0) this.tupleType = id;
    if (spec.legacyFinalizer) this.anyLegacyType = true;
    return id;
  }
  typeName(t: number): string {
    return this.types[t].name;
  }
  typeSpec(t: number): TypeSpec {
    return this.types[t].spec;
  }
  typeCount(): number {
    return this.types.length;
  }
  typeOf(id: number): number {
    return this.typ[id];
  }
  isGcType(t: number): boolean {
    return (this.typeFlags[t] & T_GC) !== 0;
  }

  // ================= objects =================
  private grow(minCap: number): void {
    let n = this.cap === 0 ? minCap : this.cap;
    while (n < minCap) n = Math.ceil(n * 1.5);
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const typ = new Uint16Array(n).fill(FREE_TYPE);
    typ.set(this.typ);
    this.typ = typ;
    this.rc = g32(this.rc);
    this.size = g32(this.size);
    this.extra = g32(this.extra);
    this.siteOf = g32(this.siteOf);
    const born = new Uint32Array(n);
    born.set(this.born);
    this.born = born;
    const flags = new Uint8Array(n);
    flags.set(this.flags);
    this.flags = flags;
    const owner = new Uint8Array(n);
    owner.set(this.owner);
    this.owner = owner;
    this.next = g32(this.next);
    this.prev = g32(this.prev);
    this.block = g32(this.block);
    this.refStart = g32(this.refStart);
    this.refLength = g32(this.refLength);
    const rcl = new Int8Array(n).fill(-1);
    rcl.set(this.refCapLog);
    this.refCapLog = rcl;
    this.cap = n;
  }

  private newId(): number {
    let id: number;
    if (this.freeIdHead >= 0) {
      id = this.freeIdHead;
      this.freeIdHead = this.next[id];
    } else {
      if (this.idTop >= this.cap) this.grow(this.idTop + 1);
      id = this.idTop++;
    }
    return id;
  }

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
      const fl = this.freelistFor(fk, sizeBytes, nitems);
      if (fl !== null && fl.handles.length > 0) {
        const kept = fl.handles.pop()!;
        if (fl.traced.pop()) this.tracedBytes -= fl.blockBytes;
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
      if (tf & T_GC) this.gcLink();
    }
    const id = this.newId();
    this.typ[id] = type;
    this.rc[id] = 1;
    this.size[id] = sizeBytes;
    this.extra[id] = extra;
    this.siteOf[id] = site;
    this.born[id] = this.time++;
    this.flags[id] = 0;
    if (this.tracing) this.trace_(id, total);
    this.owner[id] = 0;
    this.block[id] = handle;
    this.refStart[id] = -1;
    this.refLength[id] = 0;
    this.refCapLog[id] = -1;
    this.liveObjects++;
    this.liveBytes += sizeBytes;
    this.liveExtraBytes += extra;
    if (track) this.link(id, GEN0);
    return id;
  }

  /** _PyObject_GC_Link: count0++ and, in 3.11, the collection inside the allocation. */
  private gcLink(): void {
    this.count[0]++;
    if (this.count[0] > this.threshold[0] && this.enabled && this.threshold[0] !== 0 && !this.collecting) {
      if (this.collectInAlloc) {
        this.collecting = true;
        try {
          this.collectGenerations();
        } finally {
          this.collecting = false;
        }
      } else {
        this.gcScheduled = true;
      }
    }
  }

  /** Eval-breaker point (3.13): runs a scheduled collection. A no-op in 3.11. */
  checkpoint(): number {
    if (!this.gcScheduled) return 0;
    this.gcScheduled = false;
    if (this.collecting || !this.enabled) return 0; // _Py_RunGC (3.13) checks `enabled`
    this.collecting = true;
    try {
      return this.collectGenerations();
    } finally {
      this.collecting = false;
    }
  }

  private freelistFor(kind: number, sizeBytes: number, nitems?: number): Freelist | null {
    if (kind === FL_LIST) return this.listFreelist;
    if (kind === FL_DICT) return this.dictFreelist;
    const n = nitems ?? (sizeBytes - 40) / 8;
    return n >= 1 && n <= this.tupleMaxSaveSize ? this.tupleFreelists[n] : null;
  }

  isAlive(id: number): boolean {
    return id >= FIRST_ID && id < this.idTop && this.typ[id] !== FREE_TYPE;
  }
  refcount(id: number): number {
    return this.rc[id];
  }
  sizeOf(id: number): number {
    return this.size[id];
  }
  site(id: number): number {
    return this.siteOf[id];
  }
  birth(id: number): number {
    return this.born[id];
  }
  extraBytes(id: number): number {
    return this.extra[id];
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
      this.tracedBytes -= oldTotal;
    }
    if (this.tracing) this.trace_(id, size + extra);
  }
  private trace_(id: number, bytes: number): void {
    this.flags[id] |= F_TRACED;
    this.tracedBytes += bytes;
    if (this.tracedBytes > this.tracedPeak) this.tracedPeak = this.tracedBytes;
  }

  /**
   * A block allocated while the object's old memory is still held and freed right after
   * (dictresize and set_table_resize build the new table before freeing the old one): it only
   * raises the traced peak. Call it before `resize`.
   */
  noteTransientAlloc(bytes: number): void {
    if (this.tracing && this.tracedBytes + bytes > this.tracedPeak) this.tracedPeak = this.tracedBytes + bytes;
  }

  // ---- tracemalloc ----
  /** tracemalloc.start(): allocations from now on are traced. */
  tracemallocStart(): void {
    this.tracing = true;
  }
  /** tracemalloc.stop(): forget every trace. */
  tracemallocStop(): void {
    this.tracing = false;
    this.tracedBytes = 0;
    this.tracedPeak = 0;
    for (let id = FIRST_ID; id < this.idTop; id++) this.flags[id] &= ~F_TRACED;
    for (const fl of this.allFreelists()) fl.traced.fill(false);
  }
  resetTracedPeak(): void {
    this.tracedPeak = this.tracedBytes;
  }
  isTraced(id: number): boolean {
    return (this.flags[id] & F_TRACED) !== 0;
  }
  private allFreelists(): Freelist[] {
    return [...this.tupleFreelists, this.listFreelist, this.dictFreelist];
  }

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
    if ((flags[id] & F_WEAKREFS) !== 0) this.clearWeakrefsOnDealloc(id);
    if ((tf & T_WEAKREF) !== 0) this.forgetWeakref(id);
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
      pool[s] = this.poolFree[capLog];
      this.poolFree[capLog] = s;
      this.refStart[id] = -1;
      this.refCapLog[id] = -1;
      this.refLength[id] = 0;
    }
    // memory: freelist or PyObject_GC_Del
    const bytes = this.size[id];
    const extra = this.extra[id];
    const total = bytes + extra;
    const traced = (flags[id] & F_TRACED) !== 0;
    if (traced) this.tracedBytes -= total;
    const fk = this.typeFreelist[type];
    let kept = false;
    if (fk !== FL_NONE) {
      const fl = fk === FL_TUPLE ? (len >= 1 && len <= this.tupleMaxSaveSize ? this.tupleFreelists[len] : null) : fk === FL_LIST ? this.listFreelist : this.dictFreelist;
      if (fl !== null && fl.handles.length < fl.max) {
        kept = true;
        if (fl.blockBytes === total) fl.handles.push(this.block[id]);
        else {
          this.mem.free(this.block[id], total);
          fl.handles.push(this.mem.alloc(fl.blockBytes));
        }
        // the object struct stays allocated (and traced) while it waits on the freelist
        fl.traced.push(traced);
        if (traced) this.tracedBytes += fl.blockBytes;
      }
    }
    if (!kept) {
      this.mem.free(this.block[id], total);
      if (tf & T_GC && this.count[0] > 0) this.count[0]--;
    }
    this.liveObjects--;
    this.liveBytes -= bytes;
    this.liveExtraBytes -= extra;
    this.typ[id] = FREE_TYPE;
    flags[id] = 0;
    this.rc[id] = 0;
    this.next[id] = this.freeIdHead;
    this.freeIdHead = id;
  }

  /** subtype_dealloc: untrack, re-track (end of gen 0), PyObject_CallFinalizerFromDealloc. True if resurrected. */
  private callFinalizerFromDealloc(id: number, tf: number): boolean {
    const run = this.hooks.runFinalizer;
    if (run === undefined) return false;
    if (tf & T_GC) {
      if (this.owner[id] !== 0) this.unlink(id);
      this.link(id, GEN0);
      this.flags[id] |= F_FINALIZED;
    }
    this.rc[id] = 1;
    run(id);
    return --this.rc[id] > 0;
  }

  private forgetWeakref(w: number): void {
    this.clearWeakref(w);
    this.wrTarget.delete(w);
  }

  private decrefDeferred(v: number): void {
    if (v !== NULL && --this.rc[v] === 0) this.pushPending(v);
  }

  // ================= referents =================
  private allocRefBlock(capLog: number): number {
    const head = this.poolFree[capLog];
    if (head >= 0) {
      this.poolFree[capLog] = this.pool[head];
      return head;
    }
    const need = this.poolTop + REF_CAPS[capLog];
    if (need > this.pool.length) {
      let n = this.pool.length;
      while (n < need) n = Math.ceil(n * 1.5);
      const p = new Int32Array(n);
      p.set(this.pool.subarray(0, this.poolTop));
      this.pool = p;
    }
    const s = this.poolTop;
    this.poolTop = need;
    return s;
  }
  private ensureRefCap(id: number, n: number): void {
    const log = this.refCapLog[id];
    if (log >= 0 && REF_CAPS[log] >= n) return;
    let newLog = log < 0 ? 0 : log;
    while (REF_CAPS[newLog] < n) newLog++;
    const s = this.allocRefBlock(newLog);
    const len = this.refLength[id];
    if (log >= 0) {
      const old = this.refStart[id];
      this.pool.copyWithin(s, old, old + len);
      this.pool[old] = this.poolFree[log];
      this.poolFree[log] = old;
    }
    this.refStart[id] = s;
    this.refCapLog[id] = newLog;
  }

  refLen(id: number): number {
    return this.refLength[id];
  }
  getRef(id: number, i: number): number {
    if (i < 0 || i >= this.refLength[id]) throw new RangeError(`referent index ${i} out of range`);
    return this.pool[this.refStart[id] + i];
  }
  refsOf(id: number): number[] {
    const s = this.refStart[id];
    return Array.from(this.pool.subarray(s, s + this.refLength[id]));
  }
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
  private link(id: number, head: number): void {
    const p = this.prev[head];
    this.next[p] = id;
    this.prev[id] = p;
    this.next[id] = head;
    this.prev[head] = id;
    this.owner[id] = head;
    this.listLen[head]++;
  }
  private unlink(id: number): void {
    const p = this.prev[id];
    const n = this.next[id];
    this.next[p] = n;
    this.prev[n] = p;
    this.listLen[this.owner[id]]--;
    this.owner[id] = 0;
  }
  private move(id: number, head: number): void {
    this.unlink(id);
    this.link(id, head);
  }
  private merge(from: number, to: number): void {
    if (this.listLen[from] === 0) return;
    for (let x = this.next[from]; x !== from; x = this.next[x]) this.owner[x] = to;
    const tail = this.prev[to];
    const first = this.next[from];
    const last = this.prev[from];
    this.next[tail] = first;
    this.prev[first] = tail;
    this.next[last] = to;
    this.prev[to] = last;
    this.listLen[to] += this.listLen[from];
    this.listLen[from] = 0;
    this.next[from] = from;
    this.prev[from] = from;
  }
  listSize(head: number): number {
    return this.listLen[head];
  }
  listIds(head: number): number[] {
    const out: number[] = [];
    for (let x = this.next[head]; x !== head; x = this.next[x]) out.push(x);
    return out;
  }

  track(id: number): void {
    if (this.owner[id] !== 0) return;
    if (!(this.typeFlags[this.typ[id]] & T_GC)) throw new TypeError(`${this.typeName(this.typ[id])} is not a GC type`);
    this.link(id, GEN0);
  }
  untrack(id: number): void {
    if (this.owner[id] !== 0) this.unlink(id);
  }
  isTracked(id: number): boolean {
    return this.owner[id] !== 0;
  }
  /** Generation (0, 1, 2, 3 = permanent) of a tracked object, -1 if untracked or in a collection's temporary list. */
  generationOf(id: number): number {
    const o = this.owner[id];
    return o >= GEN0 && o <= PERMANENT ? o - GEN0 : -1;
  }
  /** _PyObject_GC_MAY_BE_TRACKED. */
  mayBeTracked(id: number): boolean {
    if (id === NULL) return false;
    const tf = this.typeFlags[this.typ[id]];
    return (tf & T_GC) !== 0 && (!(tf & T_TUPLE) || this.owner[id] !== 0);
  }
  /** MAINTAIN_TRACKING(mp, key, value) on a dict insertion. */
  maintainDictTracking(dict: number, key: number, value: number): void {
    if (this.owner[dict] === 0 && (this.mayBeTracked(key) || this.mayBeTracked(value))) this.link(dict, GEN0);
  }
  isFinalized(id: number): boolean {
    return (this.flags[id] & F_FINALIZED) !== 0;
  }

  // ================= weakrefs =================
  newWeakref(type: number, target: number, callback: number, sizeBytes: number, site: number): number {
    const w = this.alloc(type, sizeBytes, site, { track: true });
    this.appendRef(w, callback);
    this.wrTarget.set(w, target);
    let list = this.wrTo.get(target);
    if (!list) {
      list = [];
      this.wrTo.set(target, list);
    }
    // weakref_new: a callback-less ref goes to the head; one with a callback right after the
    // basic ref / proxy (the callback-less refs at the head), so the newest callback ref comes first.
    if (callback === NULL) list.unshift(w);
    else {
      let at = 0;
      while (at < list.length && at < 2 && this.callbackOf(list[at]) === NULL) at++;
      list.splice(at, 0, w);
    }
    this.flags[target] |= F_WEAKREFS;
    return w;
  }
  weakrefTarget(w: number): number {
    return this.wrTarget.get(w) ?? NULL;
  }
  weakrefsTo(obj: number): number[] {
    return (this.flags[obj] & F_WEAKREFS) !== 0 ? [...(this.wrTo.get(obj) ?? [])] : [];
  }
  /** _PyWeakref_ClearRef: forget the target, keep the callback. */
  private clearWeakref(w: number): void {
    const t = this.wrTarget.get(w);
    if (t === undefined || t === NULL) return;
    this.wrTarget.set(w, NULL);
    const list = this.wrTo.get(t);
    if (list) {
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) {
        this.wrTo.delete(t);
        this.flags[t] &= ~F_WEAKREFS;
      }
    }
  }
  /** PyObject_ClearWeakRefs from a deallocator: clear all, then call the callbacks. */
  private clearWeakrefsOnDealloc(obj: number): void {
    // PyObject_ClearWeakRefs (3.11): callback-less refs at the head (the basic ref and proxy) are
    // just cleared; each remaining weakref gives its callback up (wr_callback = NULL) and is
    // cleared; with two or more, they are kept alive in a tuple of 2*count items (a real
    // allocation) while the callbacks run.
    const list = [...(this.wrTo.get(obj) ?? [])];
    let k = 0;
    while (k < list.length && k < 2 && this.callbackOf(list[k]) === NULL) this.clearWeakref(list[k++]);
    const rest = list.slice(k);
    if (rest.length === 0) return;
    const run = this.hooks.runWeakrefCallback;
    if (rest.length === 1) {
      const w = rest[0];
      const cb = this.takeCallback(w);
      this.clearWeakref(w);
      if (cb !== NULL) {
        if (this.rc[w] > 0 && run) {
          this.rc[w]++;
          run(w, cb);
          this.decref(w);
        }
        this.decref(cb);
      }
      return;
    }
    const tuple = this.tupleType >= 0 ? this.alloc(this.tupleType, 40 + 16 * rest.length, this.siteOf[obj], { freelist: true, nitems: 2 * rest.length }) : NULL;
    const pairs: number[] = [];
    for (const w of rest) {
      const cb = this.takeCallback(w);
      if (this.rc[w] > 0) {
        this.rc[w]++;
        pairs.push(w, cb);
      } else {
        pairs.push(NULL, NULL);
        this.decref(cb);
      }
      this.clearWeakref(w);
    }
    if (tuple !== NULL) {
      // the tuple holds the references taken above
      for (const v of pairs) {
        this.appendRef(tuple, v);
        if (v !== NULL) this.rc[v]--;
      }
    }
    for (let p = 0; p < pairs.length; p += 2) {
      if (pairs[p + 1] !== NULL && run) run(pairs[p], pairs[p + 1]);
    }
    if (tuple !== NULL) this.decref(tuple);
    else for (const v of pairs) this.decref(v);
  }

  private callbackOf(w: number): number {
    return this.refLength[w] > 0 ? this.pool[this.refStart[w]] : NULL;
  }
  /** wr_callback = NULL, keeping the reference for the caller. */
  private takeCallback(w: number): number {
    if (this.refLength[w] === 0) return NULL;
    const s = this.refStart[w];
    const cb = this.pool[s];
    this.pool[s] = NULL;
    return cb;
  }

  // ================= the collector (gcmodule.c 3.11) =================
  /** gc_collect_generations: oldest generation over its threshold, with the 25 % rule for gen 2. */
  private collectGenerations(): number {
    for (let i = 2; i >= 0; i--) {
      if (this.count[i] > this.threshold[i]) {
        if (i === 2 && this.longLivedPending < Math.trunc(this.longLivedTotal / 4)) continue;
        return this.collectWithCallback(i, false);
      }
    }
    return 0;
  }

  /** gc_collect_with_callback (the caller has set `collecting`). */
  collectWithCallback(gen: number, explicit: boolean): number {
    const cb = this.gc.callbacksInstalled ? this.hooks.onGcCallback : undefined;
    cb?.call(this.hooks, 'start', gen, 0, 0);
    const r = this.collectMain(gen, explicit);
    cb?.call(this.hooks, 'stop', gen, this.lastCollected, this.lastUncollectable);
    return r;
  }
  /** gc_collect_main without the gc.callbacks hooks (used by _PyGC_CollectNoFail). */
  collectMainUnobserved(gen: number): number {
    return this.collectMain(gen, false);
  }
  private lastCollected = 0;
  /** Python code (a finalizer or weakref callback) ran during the current collection. */
  private codeRan = false;
  private lastUncollectable = 0;

  private output(text: string): void {
    this.hooks.onOutput?.(text);
  }
  private fakeAddress(id: number): string {
    return '0x7f' + (0x10000000 + id * 16).toString(16).padStart(10, '0');
  }

  private collectMain(gen: number, explicit: boolean): number {
    const s0 = this.listLen[GEN0];
    const s1 = this.listLen[GEN1];
    const s2 = this.listLen[GEN2];
    const sp = this.listLen[PERMANENT];
    const c0 = this.count[0];
    const c1 = this.count[1];
    const c2 = this.count[2];
    const startTime = this.time;
    this.work = 0;
    const trace: CollectionTrace | null = this.traceNextCollection
      ? { young: [], gcRefs: [], unreachable: [], untrackedTuples: [], untrackedDicts: [], survivors: [], finalized: [], resurrected: [], collected: [], uncollectable: [] }
      : null;
    this.traceNextCollection = false;
    this.trace = trace;
    if (this.debug & DEBUG_STATS) {
      this.output(
        `gc: collecting generation ${gen}...\n` +
          `gc: objects in each generation: ${s0} ${s1} ${s2}\n` +
          `gc: objects in permanent generation: ${sp}\n`,
      );
    }
    if (gen + 1 < 3) this.count[gen + 1] += 1;
    for (let i = 0; i <= gen; i++) this.count[i] = 0;
    for (let i = 0; i < gen; i++) this.merge(GEN_HEAD[i], GEN_HEAD[gen]);
    const young = GEN_HEAD[gen];
    const old = gen < 2 ? GEN_HEAD[gen + 1] : young;

    this.deduceUnreachable(young, UNREACHABLE, true);
    this.untrackTuples(young);
    if (young !== old) {
      if (gen === 1) this.longLivedPending += this.listLen[young];
      if (trace) trace.survivors = this.listIds(young);
      this.merge(young, old);
    } else {
      this.untrackDicts(young);
      if (trace) trace.survivors = this.listIds(young);
      this.longLivedPending = 0;
      this.longLivedTotal = this.listLen[young];
    }

    this.moveLegacyFinalizers(UNREACHABLE, FINALIZERS);
    this.moveLegacyFinalizerReachable(FINALIZERS);
    if (this.debug & DEBUG_COLLECTABLE) {
      for (let x = this.next[UNREACHABLE]; x !== UNREACHABLE; x = this.next[x]) {
        this.output(`gc: collectable <${this.typeName(this.typ[x])} ${this.fakeAddress(x)}>\n`);
      }
    }
    this.codeRan = false;
    let m = this.handleWeakrefs(UNREACHABLE, old);
    this.finalizeGarbage(UNREACHABLE);
    // handle_resurrected_objects: when no Python code ran since deduce_unreachable (no callback,
    // no finalizer), refcounts and references are unchanged and a second pass would find exactly
    // the same set, so it is skipped.
    let finalUnreachable = UNREACHABLE;
    if (this.codeRan) {
      this.handleResurrectedObjects(UNREACHABLE, STILL_UNREACHABLE, old);
      finalUnreachable = STILL_UNREACHABLE;
    }
    m += this.listLen[finalUnreachable];
    if (trace) trace.collected = this.listIds(finalUnreachable);
    this.deleteGarbage(finalUnreachable, old);

    let n = 0;
    for (let x = this.next[FINALIZERS]; x !== FINALIZERS; x = this.next[x]) {
      n++;
      if (trace) trace.uncollectable.push(x);
      if (this.debug & DEBUG_UNCOLLECTABLE) this.output(`gc: uncollectable <${this.typeName(this.typ[x])} ${this.fakeAddress(x)}>\n`);
    }
    const elapsed = (this.work * SIM_NS_PER_EDGE + (s0 + (gen >= 1 ? s1 : 0) + (gen >= 2 ? s2 : 0)) * SIM_NS_PER_OBJECT) / 1e9;
    if (this.debug & DEBUG_STATS) {
      this.output(`gc: done, ${n + m} unreachable, ${n} uncollectable, ${elapsed.toFixed(4)}s elapsed\n`);
    }
    this.handleLegacyFinalizers(FINALIZERS, old);
    if (gen === 2) this.clearFreelists();

    const st = this.stats[gen];
    st.collections++;
    st.collected += m;
    st.uncollectable += n;
    this.lastCollected = m;
    this.lastUncollectable = n;
    this.trace = null;
    if (this.listeners.length > 0) {
      const e: CollectionEvent = { generation: gen, collected: m, uncollectable: n, explicit, sizes: [s0, s1, s2, sp], count: [c0, c1, c2], time: startTime, elapsed };
      if (trace) e.trace = trace;
      for (const l of this.listeners) l.onCollection?.(e);
    }
    return n + m;
  }

  /**
   * update_refs, subtract_refs, move_unreachable. As in CPython, gc_refs lives in `prev` while
   * this runs (the list is singly linked meanwhile) and move_unreachable rebuilds the back links.
   */
  private deduceUnreachable(base: number, unreachable: number, traceIt: boolean): void {
    const next = this.next;
    const prev = this.prev;
    const rc = this.rc;
    const flags = this.flags;
    const pool = this.pool;
    const refStart = this.refStart;
    const refLength = this.refLength;
    const owner = this.owner;
    const listLen = this.listLen;
    for (let x = next[base]; x !== base; x = next[x]) {
      prev[x] = rc[x];
      flags[x] |= F_COLLECTING;
    }
    let edges = 0;
    for (let x = next[base]; x !== base; x = next[x]) {
      const len = refLength[x];
      if (len === 0) continue;
      const s = refStart[x];
      edges += len;
      for (let i = s, e = s + len; i < e; i++) {
        const v = pool[i];
        if (v !== NULL && flags[v] & F_COLLECTING) prev[v]--;
      }
    }
    if (traceIt && this.trace) {
      for (let x = next[base]; x !== base; x = next[x]) {
        this.trace.young.push(x);
        this.trace.gcRefs.push(prev[x]);
      }
    }
    // move_unreachable
    let lastReachable = base;
    let x = next[base];
    while (x !== base) {
      if (prev[x] !== 0) {
        const len = refLength[x];
        if (len > 0) {
          const s = refStart[x];
          edges += len;
          for (let i = s, e = s + len; i < e; i++) {
            const v = pool[i];
            if (v === NULL || !(flags[v] & F_COLLECTING)) continue;
            if (owner[v] === unreachable) {
              // back from unreachable (real links there) to the end of young, gc_refs = 1
              const vp = prev[v];
              const vn = next[v];
              next[vp] = vn;
              prev[vn] = vp;
              listLen[unreachable]--;
              const tail = prev[base];
              next[tail] = v;
              next[v] = base;
              prev[base] = v;
              owner[v] = base;
              listLen[base]++;
              prev[v] = 1;
            } else if (prev[v] === 0) {
              prev[v] = 1;
            }
          }
        }
        prev[x] = lastReachable;
        flags[x] &= ~F_COLLECTING;
        lastReachable = x;
        x = next[x];
      } else {
        const nx = next[x];
        next[lastReachable] = nx;
        listLen[base]--;
        const last = prev[unreachable];
        next[last] = x;
        prev[x] = last;
        next[x] = unreachable;
        prev[unreachable] = x;
        owner[x] = unreachable;
        listLen[unreachable]++;
        x = nx;
      }
    }
    prev[base] = lastReachable;
    this.work += edges;
    if (traceIt && this.trace) this.trace.unreachable = this.listIds(unreachable);
  }

  private untrackTuples(head: number): void {
    let x = this.next[head];
    while (x !== head) {
      const nx = this.next[x];
      if (this.typeFlags[this.typ[x]] & T_TUPLE) this.maybeUntrackTuple(x);
      x = nx;
    }
  }
  /** _PyTuple_MaybeUntrack. */
  maybeUntrackTuple(t: number): boolean {
    if (this.owner[t] === 0 || !(this.typeFlags[this.typ[t]] & T_TUPLE)) return false;
    const s = this.refStart[t];
    for (let i = 0, n = this.refLength[t]; i < n; i++) {
      const v = this.pool[s + i];
      if (v === NULL || this.mayBeTracked(v)) return false;
    }
    this.unlink(t);
    this.trace?.untrackedTuples.push(t);
    return true;
  }
  private untrackDicts(head: number): void {
    let x = this.next[head];
    while (x !== head) {
      const nx = this.next[x];
      if (this.typeFlags[this.typ[x]] & T_DICT) this.maybeUntrackDict(x);
      x = nx;
    }
  }
  /** _PyDict_MaybeUntrack (keys are checked too: str keys are never tracked, so this equals the str-keyed rule). */
  maybeUntrackDict(d: number): boolean {
    if (this.owner[d] === 0 || !(this.typeFlags[this.typ[d]] & T_DICT)) return false;
    const s = this.refStart[d];
    for (let i = 0, n = this.refLength[d]; i < n; i++) {
      const v = this.pool[s + i];
      if (v !== NULL && this.mayBeTracked(v)) return false;
    }
    this.unlink(d);
    this.trace?.untrackedDicts.push(d);
    return true;
  }

  private moveLegacyFinalizers(unreachable: number, finalizers: number): void {
    if (!this.anyLegacyType) return;
    let x = this.next[unreachable];
    while (x !== unreachable) {
      const nx = this.next[x];
      if (this.typeFlags[this.typ[x]] & T_LEGACY) {
        this.flags[x] &= ~F_COLLECTING;
        this.move(x, finalizers);
      }
      x = nx;
    }
  }
  private moveLegacyFinalizerReachable(finalizers: number): void {
    for (let x = this.next[finalizers]; x !== finalizers; x = this.next[x]) {
      const s = this.refStart[x];
      for (let i = 0, n = this.refLength[x]; i < n; i++) {
        const v = this.pool[s + i];
        if (v !== NULL && this.flags[v] & F_COLLECTING) {
          this.move(v, finalizers);
          this.flags[v] &= ~F_COLLECTING;
        }
      }
    }
  }

  private handleWeakrefs(unreachable: number, old: number): number {
    if (this.wrTarget.size === 0) return 0;
    let x = this.next[unreachable];
    while (x !== unreachable) {
      const nx = this.next[x];
      if (this.typeFlags[this.typ[x]] & T_WEAKREF) this.clearWeakref(x);
      if (this.flags[x] & F_WEAKREFS) {
        for (const w of [...(this.wrTo.get(x) ?? [])]) {
          this.clearWeakref(w);
          const cb = this.refLength[w] > 0 ? this.pool[this.refStart[w]] : NULL;
          if (cb === NULL) continue;
          if (this.flags[w] & F_COLLECTING) continue; // trash itself: cleared, no callback
          this.rc[w]++;
          if (this.owner[w] !== 0) this.move(w, WRCB_TO_CALL);
          else this.link(w, WRCB_TO_CALL);
        }
      }
      x = nx;
    }
    let freed = 0;
    if (this.listLen[WRCB_TO_CALL] > 0) this.codeRan = true;
    while (this.listLen[WRCB_TO_CALL] > 0) {
      const w = this.next[WRCB_TO_CALL];
      const cb = this.pool[this.refStart[w]];
      this.hooks.runWeakrefCallback?.(w, cb);
      this.decref(w);
      if (this.next[WRCB_TO_CALL] === w) this.move(w, old);
      else freed++;
    }
    return freed;
  }

  private finalizeGarbage(collectable: number): void {
    if (!this.anyFinalizerType) return;
    let any = false;
    for (let x = this.next[collectable]; x !== collectable; x = this.next[x]) {
      if (this.typeFlags[this.typ[x]] & T_FINALIZER && !(this.flags[x] & F_FINALIZED)) {
        any = true;
        break;
      }
    }
    if (!any) return;
    this.codeRan = true;
    while (this.listLen[collectable] > 0) {
      const x = this.next[collectable];
      this.move(x, SEEN);
      if (!(this.flags[x] & F_FINALIZED) && this.typeFlags[this.typ[x]] & T_FINALIZER) {
        this.flags[x] |= F_FINALIZED;
        this.trace?.finalized.push(x);
        this.rc[x]++;
        this.hooks.runFinalizer?.(x);
        this.decref(x);
      }
    }
    this.merge(SEEN, collectable);
  }

  private handleResurrectedObjects(unreachable: number, still: number, old: number): void {
    // gc_list_clear_collecting(unreachable) then update_refs sets COLLECTING again: nothing to do
    this.deduceUnreachable(unreachable, still, false);
    if (this.trace) this.trace.resurrected = this.listIds(unreachable);
    this.merge(unreachable, old);
  }

  private deleteGarbage(collectable: number, old: number): void {
    const saveAll = (this.debug & DEBUG_SAVEALL) !== 0;
    while (this.listLen[collectable] > 0) {
      const x = this.next[collectable];
      if (saveAll) {
        this.appendGarbage(x);
      } else if (this.typeFlags[this.typ[x]] & T_CLEAR) {
        this.rc[x]++;
        this.clearRefs(x, this.types[this.typ[x]].clearKeeps);
        this.hooks.onClear?.(x);
        this.decref(x);
      }
      if (this.next[collectable] === x) {
        this.flags[x] &= ~F_COLLECTING;
        this.move(x, old);
      }
    }
  }

  private appendGarbage(x: number): void {
    if (this.hooks.appendToGarbage) this.hooks.appendToGarbage(x);
    else {
      this.rc[x]++;
      this.garbage.push(x);
    }
  }

  private handleLegacyFinalizers(finalizers: number, old: number): void {
    const saveAll = (this.debug & DEBUG_SAVEALL) !== 0;
    for (let x = this.next[finalizers]; x !== finalizers; x = this.next[x]) {
      if (saveAll || this.typeFlags[this.typ[x]] & T_LEGACY) this.appendGarbage(x);
    }
    this.merge(finalizers, old);
  }

  /** clear_freelists: every freed entry goes through PyObject_GC_Del (count0-- if > 0). */
  clearFreelists(): void {
    for (const fl of this.allFreelists()) {
      for (let i = 0; i < fl.handles.length; i++) {
        this.mem.free(fl.handles[i], fl.blockBytes);
        if (fl.traced[i]) this.tracedBytes -= fl.blockBytes;
        if (this.count[0] > 0) this.count[0]--;
      }
      fl.handles.length = 0;
      fl.traced.length = 0;
    }
  }
  /**
   * `sys._debugmallocstats()` text: pymalloc, then the freelists (_PyObject_DebugTypeStats). The
   * float freelist is not the engine's: pass its length.
   */
  debugMallocStats(floatFreelist = 0): string {
    let out = this.mem.debugStats() + '\n';
    out += allocatorStatsLine(this.dictFreelist.handles.length, 'free PyDictObjects', 48);
    out += allocatorStatsLine(floatFreelist, 'free PyFloatObjects', 24);
    out += allocatorStatsLine(this.listFreelist.handles.length, 'free PyListObjects', 40);
    for (let n = 1; n <= this.tupleMaxSaveSize; n++) {
      out += allocatorStatsLine(this.tupleFreelists[n].handles.length, `free ${n}-sized PyTupleObjects`, 24 + 8 * n);
    }
    return out;
  }

  freelistSize(kind: FreelistKind, nitems = 1): number {
    if (kind === 'list') return this.listFreelist.handles.length;
    if (kind === 'dict') return this.dictFreelist.handles.length;
    return this.tupleFreelists[nitems]?.handles.length ?? 0;
  }

  // ================= gc module support =================
  freeze(): void {
    for (let i = 0; i < 3; i++) {
      this.merge(GEN_HEAD[i], PERMANENT);
      this.count[i] = 0;
    }
  }
  unfreeze(): void {
    this.merge(PERMANENT, GEN2);
  }
  /** The referents tp_traverse visits (non-NULL), for a GC object; [] otherwise. */
  traverse(id: number): number[] {
    if (!(this.typeFlags[this.typ[id]] & T_GC)) return [];
    return this.refsOf(id).filter((v) => v !== NULL);
  }
  referrersOf(targets: number[]): number[] {
    const set = new Set(targets);
    const out: number[] = [];
    for (const h of GEN_HEAD) {
      for (let x = this.next[h]; x !== h; x = this.next[x]) {
        const s = this.refStart[x];
        for (let i = 0, n = this.refLength[x]; i < n; i++) {
          if (set.has(this.pool[s + i])) {
            out.push(x);
            break;
          }
        }
      }
    }
    return out;
  }

  /**
   * The state right after the fidelity driver's `gc.collect()`: every tracked object (those
   * already allocated plus n opaque long-lived ones held by the interpreter) in generation 2,
   * long_lived_total = len(gen 2), pending 0, counts [0, 0, 0], freelists empty. No object is
   * freed and no statistics change: this sets a starting state, it is not a collection.
   */
  createBaseline(n: number, bytesEach = 0): void {
    this.merge(GEN0, GEN2);
    this.merge(GEN1, GEN2);
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
      this.link(id, GEN2);
    }
    this.clearFreelists();
    this.longLivedTotal = this.listLen[GEN2];
    this.longLivedPending = 0;
    this.count[0] = this.count[1] = this.count[2] = 0;
  }

  /**
   * Consistency check (tests, debugging): list links, list lengths and owners, and refcounts no
   * smaller than the references held by live containers. Returns the problems found.
   */
  checkInvariants(): string[] {
    const problems: string[] = [];
    const seen = new Uint8Array(this.idTop);
    for (let h = 1; h < NUM_HEADS; h++) {
      let n = 0;
      for (let x = this.next[h], p = h; x !== h; p = x, x = this.next[x]) {
        if (this.prev[x] !== p) problems.push(`list ${h}: bad back link at ${x}`);
        if (this.owner[x] !== h) problems.push(`object ${x}: owner ${this.owner[x]} but linked in ${h}`);
        if (this.typ[x] === FREE_TYPE) problems.push(`list ${h}: freed object ${x}`);
        if (seen[x]) problems.push(`object ${x} linked twice`);
        seen[x] = 1;
        if (++n > this.idTop) {
          problems.push(`list ${h}: cycle`);
          break;
        }
      }
      if (n !== this.listLen[h]) problems.push(`list ${h}: length ${this.listLen[h]}, walked ${n}`);
    }
    const incoming = new Int32Array(this.idTop);
    for (let id = FIRST_ID; id < this.idTop; id++) {
      if (this.typ[id] === FREE_TYPE) continue;
      if (this.owner[id] !== 0 && !seen[id]) problems.push(`object ${id}: owner set but not linked`);
      const s = this.refStart[id];
      for (let i = 0, n = this.refLength[id]; i < n; i++) {
        const v = this.pool[s + i];
        if (v === NULL) continue;
        if (this.typ[v] === FREE_TYPE) problems.push(`object ${id} refers to freed ${v}`);
        incoming[v]++;
      }
    }
    for (let id = FIRST_ID; id < this.idTop; id++) {
      if (this.typ[id] !== FREE_TYPE && this.rc[id] < incoming[id]) problems.push(`object ${id}: refcount ${this.rc[id]} < ${incoming[id]} references`);
    }
    return problems;
  }

  // ================= metrics, snapshots, retainers =================
  metrics(): HeapMetrics {
    const arenaBytes = this.mem.heldBytes;
    const arenas = this.mem.arenasAllocated;
    return {
      liveBytes: this.liveBytes,
      extraBytes: this.liveExtraBytes,
      tracedBytes: this.tracedBytes,
      arenaBytes,
      arenas,
      blockBytes: this.mem.blockBytes,
      fragmentation: arenas > 0 ? 1 - this.mem.blockBytes / (arenas * 1048576) : 0,
      objects: this.liveObjects,
      gen0: this.listLen[GEN0],
      gen1: this.listLen[GEN1],
      gen2: this.listLen[GEN2],
      permanent: this.listLen[PERMANENT],
      count0: this.count[0],
      count1: this.count[1],
      count2: this.count[2],
    };
  }

  /** Host memory of the engine's arrays (bytes). */
  hostBytes(): number {
    const perId =
      this.typ.byteLength + this.rc.byteLength + this.size.byteLength + this.extra.byteLength + this.siteOf.byteLength + this.born.byteLength +
      this.flags.byteLength + this.owner.byteLength + this.next.byteLength + this.prev.byteLength +
      this.block.byteLength + this.refStart.byteLength + this.refLength.byteLength + this.refCapLog.byteLength;
    return perId + this.pool.byteLength + this.pending.byteLength + this.mem.hostBytes;
  }

  /** Every live id (baseline objects excluded), in id order. */
  liveIds(): number[] {
    const out: number[] = [];
    for (let id = FIRST_ID; id < this.idTop; id++) if (this.typ[id] !== FREE_TYPE && !(this.flags[id] & F_BASELINE)) out.push(id);
    return out;
  }

  /** Live objects aggregated by (type, site), largest bytes first. Baseline objects are skipped. */
  snapshot(): SnapshotRow[] {
    const rows = new Map<number, SnapshotRow>();
    for (let id = FIRST_ID; id < this.idTop; id++) {
      const t = this.typ[id];
      if (t === FREE_TYPE || this.flags[id] & F_BASELINE) continue;
      const site = this.siteOf[id];
      const key = t * 4294967296 + (site >>> 0);
      let r = rows.get(key);
      if (!r) {
        r = { type: t, typeName: this.types[t].name, site, count: 0, bytes: 0 };
        rows.set(key, r);
      }
      r.count++;
      r.bytes += this.size[id];
    }
    return [...rows.values()].sort((a, b) => b.bytes - a.bytes || a.type - b.type || a.site - b.site);
  }

  /**
   * A detailed snapshot: groups by (type, site) with tracemalloc-like bytes (getsizeof + extra) and
   * where the objects are ([untracked, gen0, gen1, gen2, permanent]); and, when there are at most
   * `maxGraphObjects` live objects, the compact object graph (CSR: object i's referents are
   * `edgeTargets[edgeStart[i] .. edgeStart[i + 1])`, as object indexes) with each object's group,
   * bytes, id, and `externalRefs` = references from outside the heap's containers (frames,
   * globals held by the interpreter: the roots). Baseline objects are included (site -1).
   */
  snapshotDetailed(maxGraphObjects = 200_000): DetailedSnapshot {
    const groupIndex = new Map<number, number>();
    const groups: DetailedGroup[] = [];
    const idTop = this.idTop;
    const objGroup = new Int32Array(idTop).fill(-1);
    for (let id = FIRST_ID; id < idTop; id++) {
      const t = this.typ[id];
      if (t === FREE_TYPE) continue;
      const site = this.siteOf[id];
      const key = t * 4294967296 + (site >>> 0);
      let g = groupIndex.get(key);
      if (g === undefined) {
        g = groups.length;
        groupIndex.set(key, g);
        groups.push({ type: t, typeName: this.types[t].name, site, count: 0, bytes: 0, generations: [0, 0, 0, 0, 0] });
      }
      const row = groups[g];
      row.count++;
      row.bytes += this.size[id] + this.extra[id];
      const o = this.owner[id];
      row.generations[o >= GEN0 && o <= PERMANENT ? o - GEN0 + 1 : o === 0 ? 0 : 1]++;
      objGroup[id] = g;
    }
    const live = this.liveObjects;
    if (live > maxGraphObjects) {
      return { groups, graph: null, graphOmitted: `${live} live objects (more than ${maxGraphObjects})` };
    }
    const index = new Int32Array(idTop).fill(-1);
    const ids: number[] = [];
    for (let id = FIRST_ID; id < idTop; id++) {
      if (this.typ[id] === FREE_TYPE) continue;
      index[id] = ids.length;
      ids.push(id);
    }
    const n = ids.length;
    const group: number[] = new Array(n);
    const size: number[] = new Array(n);
    const edgeStart: number[] = new Array(n + 1);
    const edgeTargets: number[] = [];
    const incoming = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      group[i] = objGroup[id];
      size[i] = this.size[id] + this.extra[id];
      edgeStart[i] = edgeTargets.length;
      const s = this.refStart[id];
      for (let k = 0, len = this.refLength[id]; k < len; k++) {
        const v = this.pool[s + k];
        if (v === NULL) continue;
        const j = index[v];
        edgeTargets.push(j);
        incoming[j]++;
      }
    }
    edgeStart[n] = edgeTargets.length;
    const externalRefs: number[] = new Array(n);
    for (let i = 0; i < n; i++) externalRefs[i] = Math.max(0, this.rc[ids[i]] - incoming[i]);
    return { groups, graph: { ids, group, size, edgeStart, edgeTargets, externalRefs }, graphOmitted: null };
  }

  /**
   * Roots: live objects referenced from outside the heap's containers (refcount larger than the
   * references other live objects hold to them), e.g. by frames, globals held by the interpreter.
   */
  roots(): number[] {
    const incoming = new Int32Array(this.idTop);
    for (let id = FIRST_ID; id < this.idTop; id++) {
      if (this.typ[id] === FREE_TYPE) continue;
      const s = this.refStart[id];
      for (let i = 0, n = this.refLength[id]; i < n; i++) {
        const v = this.pool[s + i];
        if (v !== NULL) incoming[v]++;
      }
    }
    const out: number[] = [];
    for (let id = FIRST_ID; id < this.idTop; id++) {
      if (this.typ[id] !== FREE_TYPE && this.rc[id] > incoming[id]) out.push(id);
    }
    return out;
  }

  /** Shortest chain of strong references from a root (see roots(), or the given ones) to `target`; null if unreachable. */
  retainerPath(target: number, roots?: number[]): RetainerStep[] | null {
    if (!this.isAlive(target)) return null;
    const from = roots ?? this.roots();
    const parent = new Int32Array(this.idTop).fill(-1);
    const parentSlot = new Int32Array(this.idTop).fill(-1);
    const queue = new Int32Array(this.idTop);
    let qh = 0;
    let qt = 0;
    for (const r of from) {
      if (parent[r] !== -1) continue;
      parent[r] = r;
      queue[qt++] = r;
    }
    while (qh < qt && parent[target] === -1) {
      const x = queue[qh++];
      const s = this.refStart[x];
      for (let i = 0, n = this.refLength[x]; i < n; i++) {
        const v = this.pool[s + i];
        if (v === NULL || parent[v] !== -1) continue;
        parent[v] = x;
        parentSlot[v] = i;
        queue[qt++] = v;
      }
    }
    if (parent[target] === -1) return null;
    const path: RetainerStep[] = [{ id: target, refIndex: -1 }];
    let x = target;
    while (parent[x] !== x) {
      path.unshift({ id: parent[x], refIndex: parentSlot[x] });
      x = parent[x];
    }
    return path;
  }
}
