// The seam between the heap and a cycle collector. The heap calls a Collector at the points
// CPython calls into Modules/gcmodule.c (object linked/freed, the eval breaker, gc.collect());
// a collector works on the heap through CollectorHost. One folder per collector kind:
// generational/ (3.11–3.13), and later incremental/ (3.14) beside it.
import type { ObjectStore } from '../store';
import type { CollectionEvent, EngineHooks, GcStats } from '../types';
import type { Weakrefs } from '../weakrefs';

/** What a collector needs of the heap. */
export interface CollectorHost extends ObjectStore {
  readonly hooks: EngineHooks;
  readonly weakrefs: Weakrefs;
  /** Allocations so far (the event's `time`). */
  readonly time: number;
  decref(id: number): void;
  /** tp_clear: drop referents from index `from`. */
  clearRefs(id: number, from?: number): void;
  /** clear_freelists (a full collection). */
  clearFreelists(): void;
  /** A collection finished: account its simulated cost and tell the listeners. */
  collectionDone(e: CollectionEvent | null, elapsedNs: number): void;
  /** Whether anyone listens to collection events (else no event is built). */
  readonly observed: boolean;
}

/** A cycle collector and the `gc` module state it owns. */
export interface Collector {
  readonly kind: string;
  /** Young-to-old generations (the permanent generation excluded). */
  readonly generations: number;
  enabled: boolean;
  /** A collection is running (a nested one does nothing). */
  collecting: boolean;
  debug: number;
  /** gc.get_threshold() (one per generation). */
  readonly threshold: number[];
  /** gc.get_count() (one per generation). */
  readonly count: number[];
  /** gc.get_stats() (one per generation). */
  readonly stats: GcStats[];
  /** gc.garbage when no appendToGarbage hook owns it (strong references). */
  readonly garbage: number[];
  /** Set when gc.callbacks is non-empty: collections then call hooks.onGcCallback. */
  callbacksInstalled: boolean;
  /** Attach a step-by-step trace to the next collection's event. */
  traceNextCollection: boolean;

  /** _PyObject_GC_Link: a GC object was allocated (not from a freelist). May collect. */
  objectLinked(): void;
  /** PyObject_GC_Del: a GC object's memory was released. */
  objectFreed(): void;
  /** Eval-breaker point: run a scheduled collection. Returns what it found (n + m). */
  checkpoint(): number;
  /** gc.collect(generation): with gc.callbacks; 0 when already collecting. */
  collect(generation: number): number;
  /** _PyGC_CollectNoFail: the oldest generation, no callbacks. */
  collectNoFail(): number;
  /** List head of generation i (0 = youngest); `generations` = the permanent generation. */
  head(generation: number): number;
  /** Generation of a tracked object (`generations` = permanent), -1 if untracked or in a temporary list. */
  generationOf(id: number): number;
  freeze(): void;
  unfreeze(): void;
  /** Heap.createBaseline, first half: merge every generation into the oldest; returns its head. */
  beginBaseline(): number;
  /** Heap.createBaseline, second half: long-lived totals from the oldest generation, counts 0. */
  endBaseline(): void;
  /** Consistency problems of the collector's own state (tests). */
  checkInvariants(): string[];
}
