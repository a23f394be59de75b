// The object store (CPython's object headers, laid out data-oriented): objects in struct-of-arrays
// form (id-indexed typed arrays), their referents in an adjacency pool, the type table, and the
// intrusive doubly linked lists that generations and a collection's temporary sets are made of.
// No reference counting policy here (heap.ts), no collection (collector/).
//
// The arrays are engine-internal but public, so the collector's and inspection's loops can read
// them without a call per object. They are REPLACED when the store grows: read them through the
// store after anything that may allocate, never keep one across an allocation.
import { FIRST_ID, NULL } from './constants';
import type { FreelistKind, TypeSpec } from './types';

// object flags
export const F_FINALIZED = 1;
export const F_COLLECTING = 2;
export const F_WEAKREFS = 4;
export const F_BASELINE = 8;
export const F_TRACED = 16;

// type flags
export const T_GC = 1;
export const T_TUPLE = 2;
export const T_DICT = 4;
export const T_WEAKREF = 8;
export const T_FINALIZER = 16;
export const T_LEGACY = 32;
export const T_CLEAR = 64;
export const T_REVERSE = 128;

/** Type id of a free slot. */
export const FREE_TYPE = 0xffff;
export const FL_NONE = 0;
export const FL_TUPLE = 1;
export const FL_LIST = 2;
export const FL_DICT = 3;

/** List heads are ids 1 .. NUM_HEADS-1 (below FIRST_ID): generations, permanent, a collection's temporary lists. */
export const NUM_HEADS = 15;

// Referent block capacities: 1, 2, 3, 4, 6, 8, 12, 16, … (steps of 1.5× or 1.33×, little waste).
const REF_CAPS = (() => {
  const caps = [1, 2];
  while (caps[caps.length - 1] < 2 ** 30) caps.push(caps.length % 2 === 0 ? (caps[caps.length - 1] * 3) / 2 : caps[caps.length - 2] * 2);
  return Int32Array.from(caps);
})();

export interface TypeInfo {
  spec: TypeSpec;
  name: string;
  flags: number;
  clearKeeps: number;
  freelist: FreelistKind | null;
}

export class ObjectStore {
  // ---- objects (struct of arrays) ----
  cap = 0;
  typ = new Uint16Array(0);
  rc = new Int32Array(0);
  size = new Int32Array(0);
  extra = new Int32Array(0);
  siteOf = new Int32Array(0);
  born = new Uint32Array(0);
  flags = new Uint8Array(0);
  /** The list an object is linked in (0 = untracked). */
  owner = new Uint8Array(0);
  next = new Int32Array(0);
  prev = new Int32Array(0);
  /** pymalloc handle of the object's memory. */
  block = new Int32Array(0);
  refStart = new Int32Array(0);
  refLength = new Int32Array(0);
  refCapLog = new Int8Array(0);
  freeIdHead = -1;
  /** One past the highest id ever used. */
  idTop = FIRST_ID;

  // ---- adjacency pool: blocks of REF_CAPS sizes, free lists per size class ----
  pool = new Int32Array(1 << 16);
  poolTop = 0;
  poolFree = new Int32Array(REF_CAPS.length).fill(-1);

  // ---- types ----
  types: TypeInfo[] = [];
  typeFlags = new Uint8Array(256);
  typeFreelist = new Uint8Array(256);
  anyFinalizerType = false;
  anyLegacyType = false;
  /** The exact builtin tuple type (the first kind 'tuple' type with the tuple freelist), for allocations the engine makes itself. */
  tupleType = -1;

  // ---- lists ----
  listLen = new Int32Array(NUM_HEADS);

  // ---- counters (here, with the arrays, so that the hot paths find them in-object) ----
  /** Simulated clock: allocations so far (each object's birth serial). */
  time = 0;
  liveObjects = 0;
  liveBytes = 0;
  /** Bytes allocated for objects beyond what getsizeof reports (values arrays, …). */
  liveExtraBytes = 0;
  /** Whether the last alloc() was served from a freelist. */
  lastAllocFromFreelist = false;

  constructor(capacity: number) {
    this.grow(Math.max(capacity, FIRST_ID + 1));
    for (let h = 1; h < NUM_HEADS; h++) {
      this.next[h] = h;
      this.prev[h] = h;
    }
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

  // ================= ids =================
  protected grow(minCap: number): void {
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

  /** A free id (its fields are stale: the caller initialises every one). */
  newId(): number {
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
  /** Return an id to the free list (its referent block already released). */
  freeId(id: number): void {
    this.typ[id] = FREE_TYPE;
    this.flags[id] = 0;
    this.rc[id] = 0;
    this.next[id] = this.freeIdHead;
    this.freeIdHead = id;
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
  isFinalized(id: number): boolean {
    return (this.flags[id] & F_FINALIZED) !== 0;
  }

  // ================= referents (the adjacency pool) =================
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
  /** Give the object's referent block back to the pool (its references already dropped). */
  releaseRefBlock(id: number): void {
    const capLog = this.refCapLog[id];
    if (capLog < 0) return;
    const s = this.refStart[id];
    this.pool[s] = this.poolFree[capLog];
    this.poolFree[capLog] = s;
    this.refStart[id] = -1;
    this.refCapLog[id] = -1;
    this.refLength[id] = 0;
  }
  ensureRefCap(id: number, n: number): void {
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
  /** Referent 0 (a weakref's callback), NULL when there is none. */
  firstRef(id: number): number {
    return this.refLength[id] > 0 ? this.pool[this.refStart[id]] : NULL;
  }

  // ================= lists =================
  link(id: number, head: number): void {
    const p = this.prev[head];
    this.next[p] = id;
    this.prev[id] = p;
    this.next[id] = head;
    this.prev[head] = id;
    this.owner[id] = head;
    this.listLen[head]++;
  }
  unlink(id: number): void {
    const p = this.prev[id];
    const n = this.next[id];
    this.next[p] = n;
    this.prev[n] = p;
    this.listLen[this.owner[id]]--;
    this.owner[id] = 0;
  }
  move(id: number, head: number): void {
    this.unlink(id);
    this.link(id, head);
  }
  /** Append list `from` to list `to` (from becomes empty). */
  merge(from: number, to: number): void {
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
  isTracked(id: number): boolean {
    return this.owner[id] !== 0;
  }
  /** _PyObject_GC_MAY_BE_TRACKED. */
  mayBeTracked(id: number): boolean {
    if (id === NULL) return false;
    const tf = this.typeFlags[this.typ[id]];
    return (tf & T_GC) !== 0 && (!(tf & T_TUPLE) || this.owner[id] !== 0);
  }

  /** Host memory of the store's arrays (bytes). */
  storeBytes(): number {
    return (
      this.typ.byteLength + this.rc.byteLength + this.size.byteLength + this.extra.byteLength + this.siteOf.byteLength + this.born.byteLength +
      this.flags.byteLength + this.owner.byteLength + this.next.byteLength + this.prev.byteLength +
      this.block.byteLength + this.refStart.byteLength + this.refLength.byteLength + this.refCapLog.byteLength + this.pool.byteLength
    );
  }
}
