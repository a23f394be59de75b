import type { Profile } from '../common/domain';

export type { Profile };

export type TypeKind =
  | 'tuple' // the exact builtin tuple: untracked by collections (§1.1), tuple freelist
  | 'dict' // the exact builtin dict: untracked by full collections, starts untracked
  | 'list'
  | 'set'
  | 'instance'
  | 'weakref'
  | 'function'
  | 'cell'
  | 'generator'
  | 'class'
  | 'module'
  | 'other';

export type FreelistKind = 'tuple' | 'list' | 'dict';

export interface TypeSpec {
  name: string;
  /** Py_TPFLAGS_HAVE_GC. */
  gc: boolean;
  kind?: TypeKind;
  /** tp_finalize: Python `__del__`, generators. */
  finalizer?: boolean;
  /** tp_del (pre-PEP 442): makes cyclic garbage uncollectable. */
  legacyFinalizer?: boolean;
  /** Only on the exact builtin type whose deallocator pushes to this freelist. */
  freelist?: FreelistKind;
  /** Has tp_clear (default: true for GC types except tuples). */
  clear?: boolean;
  /** Leading referents tp_clear keeps (an instance keeps its class: 1). Default 1 for 'instance', else 0. */
  clearKeeps?: number;
  /** Order in which dealloc drops referents: list/tuple drop from the last item (default), others from the first. */
  deallocOrder?: 'forward' | 'reverse';
}

export interface AllocOptions {
  /** Link into generation 0 now (default: GC types except dicts). */
  track?: boolean;
  /** This constructor pops the type's freelist when it is non-empty (spec §2). */
  freelist?: boolean;
  /** Tuple length, selecting the tuple freelist (default (size-40)/8). */
  nitems?: number;
  /** Bytes allocated with the object that getsizeof does not report (3.11 instance values array, …): traced, in arena memory. */
  extraBytes?: number;
}

export interface EngineHooks {
  /** The object is being freed: drop your payload for this id (it will be reused). */
  onFree?(id: number): void;
  /** tp_clear ran on a container during a collection (its referents were dropped). */
  onClear?(id: number): void;
  /** Run `__del__` (tp_finalize) synchronously. */
  runFinalizer?(id: number): void;
  /** Call a weakref's callback with the weakref. */
  runWeakrefCallback?(weakref: number, callback: number): void;
  /** gc.callbacks: called only when heap.gc.callbacksInstalled; build the info dict here. */
  onGcCallback?(phase: 'start' | 'stop', generation: number, collected: number, uncollectable: number): void;
  /** Text written to sys.stderr by the gc module (DEBUG_* flags). */
  onOutput?(text: string): void;
  /** Own gc.garbage as a Python list: append this object (incref it). Without it the engine keeps the list. */
  appendToGarbage?(id: number): void;
}

export interface CollectionTrace {
  /** Objects of the collected generations after merging, in list order. */
  young: number[];
  /** gc_refs of each `young` object after subtract_refs (references from outside young). */
  gcRefs: number[];
  /** Tentatively unreachable after move_unreachable, in list order. */
  unreachable: number[];
  untrackedTuples: number[];
  untrackedDicts: number[];
  /** Survivors moved to the next generation (or kept in gen 2). */
  survivors: number[];
  finalized: number[];
  resurrected: number[];
  /** The final unreachable set, cleared (or saved with SAVEALL). */
  collected: number[];
  uncollectable: number[];
}

export interface CollectionEvent {
  generation: number;
  collected: number;
  uncollectable: number;
  explicit: boolean;
  /** List lengths when the collection began: one per generation (young to old), then the permanent generation. */
  sizes: number[];
  /** gc.get_count() when the collection began (before reset): one per generation. */
  count: number[];
  /** Simulated clock (allocations so far) at the start. */
  time: number;
  /** Simulated duration of the collection in seconds (a cost model of the work done). */
  elapsed: number;
  trace?: CollectionTrace;
}

export interface HeapListener {
  onCollection?(e: CollectionEvent): void;
}

export interface GcStats {
  collections: number;
  collected: number;
  uncollectable: number;
}

export interface HeapMetrics {
  /** Sum of sys.getsizeof over live objects. */
  liveBytes: number;
  /** Bytes allocated with live objects beyond getsizeof (extraBytes). */
  extraBytes: number;
  /** tracemalloc's current traced bytes (0 unless tracing). */
  tracedBytes: number;
  /** Bytes held by pymalloc arenas plus large (system malloc) blocks: RSS-like. */
  arenaBytes: number;
  arenas: number;
  /** Bytes of pymalloc blocks in use (size-class rounded). */
  blockBytes: number;
  /** 1 - blockBytes / (arenas × 1 MiB): share of arena memory not holding live blocks. */
  fragmentation: number;
  objects: number;
  /** Tracked objects per generation, young to old (as many as the profile's collector has). */
  generations: number[];
  permanent: number;
  /** gc.get_count(), one per generation. */
  counts: number[];
  /** Simulated nanoseconds spent in collections so far (heap.gcWorkNs). */
  gcWorkNs: number;
  /** generations[0..2] and counts[0..2], for the recorder's fixed sample columns (0 when absent). */
  gen0: number;
  gen1: number;
  gen2: number;
  count0: number;
  count1: number;
  count2: number;
}

// Engine-level inspection shapes (inspect.ts): keyed by type id, allocation site and object id.
// The views' shapes (named types, file:line, labelled roots) are python/program.ts's
// ProgramSnapshot, built from DetailedSnapshot by python/snapshot.ts, and common/domain.ts's
// SnapshotRow / RetainerStep, built from stored snapshots by node/snapshots.

/** heap.snapshot(): live objects of one (type, site). */
export interface TypeSiteRow {
  type: number;
  typeName: string;
  site: number;
  count: number;
  bytes: number;
}

/** One step of heap.retainerPath(): an object and the referent slot leading to the next. */
export interface RefPathStep {
  id: number;
  /** Index of the next object in this object's referents (-1 on the last step). */
  refIndex: number;
}

export interface DetailedGroup {
  type: number;
  typeName: string;
  /** Allocation site; -1 for baseline objects. */
  site: number;
  count: number;
  /** getsizeof + extra bytes (what tracemalloc counts). */
  bytes: number;
  /** Objects per place: [untracked, gen0, …, oldest, permanent] (inside a running collection: gen0 slot 1). */
  generations: number[];
}

export interface DetailedGraph {
  /** Object ids, in id order; object i is ids[i]. */
  ids: number[];
  /** Allocation serial of each object (unique for the whole run, unlike ids, which are reused). */
  births: number[];
  /** Index into `groups` of each object. */
  group: number[];
  /** getsizeof + extra bytes of each object. */
  size: number[];
  edgeStart: number[];
  edgeTargets: number[];
  /** References from outside the heap's containers (frames, interpreter-held globals): > 0 marks a root. */
  externalRefs: number[];
}

export interface DetailedSnapshot {
  groups: DetailedGroup[];
  graph: DetailedGraph | null;
  graphOmitted: string | null;
}
