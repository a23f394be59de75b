// The seam between the Python front end and its callers (the recorder worker, the CLI,
// the fidelity harness). A program runs synchronously; the caller observes and stops it
// through hooks, so the interpreter never has to yield.
import type { GcEvent, GcTotals, Sample } from '../common/domain';

export interface SourceLocation {
  filename: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export type FailureKind =
  | 'syntax' // could not be parsed
  | 'unsupported' // parsed, but uses a construct the simulator does not model
  | 'exception' // an uncaught Python exception (assert included)
  | 'step-budget' // ran past settings.stepBudget
  | 'memory-limit' // live bytes passed settings.memoryLimitBytes: a container's OOM kill
  | 'stopped'; // the caller's onTick returned false

export interface RunFailure {
  kind: FailureKind;
  /** One line, e.g. `SyntaxError: invalid syntax at leak.py:3:7` or `ZeroDivisionError: division by zero`. */
  message: string;
  /** For 'exception': a Python-style traceback ending with the message line. */
  traceback: string | null;
  location: SourceLocation | null;
}

export interface RunOutcome {
  status: 'complete' | 'failed' | 'stopped';
  failure: RunFailure | null;
  steps: number;
  timeNs: number;
  gcTotals: GcTotals;
}

/** A live view of a running program, handed to hooks. */
export interface ProgramState {
  readonly steps: number;
  /** Simulated time in ns: deterministic, derived from the work done. */
  readonly timeNs: number;
  sample(): Sample;
  gcTotals(): GcTotals;
}

export interface RunHooks {
  /** Called every `tickEvery` steps (and once at the end). Return false to stop the run. */
  onTick?(state: ProgramState): boolean;
  /** After each collection, automatic or explicit. */
  onCollection?(event: GcEvent, state: ProgramState): void;
  /** print() and tracebacks, in order. */
  onOutput?(text: string, stream: 'stdout' | 'stderr'): void;
  /** The script called tracemalloc.take_snapshot(): the heap at that moment (reason 'script'). */
  onSnapshot?(snapshot: ProgramSnapshot, state: ProgramState): void;
}

export interface RunOptions {
  /** Steps between onTick calls; default 1000. */
  tickEvery?: number;
  /**
   * Reproduce a measured interpreter's start state (the fidelity driver's): `trackedObjects`
   * long-lived objects in generation 2 after a full collection, then `count` as gc.get_count().
   */
  startState?: { trackedObjects: number; count: [number, number, number] };
  /** tracemalloc.start() before the workload (the fidelity `mem` pass). */
  traceMemory?: boolean;
  /** Called once the program has finished (or failed), before the heap is dropped. */
  onFinish?(probe: ProgramProbe): void;
}

/** What a finished program leaves for inspection (fidelity harness, tests). */
export interface ProgramProbe {
  /** A module global converted to JSON (ints, floats, str, bool, None, lists, tuples, dicts); undefined if absent. */
  globalJson(name: string): unknown;
  gcCount(): [number, number, number];
  gcStats(): GcTotals;
  /** Collections in order: [generation, collected, uncollectable, explicit(0|1)]. */
  collections(): [number, number, number, number][];
  tracedPeak(): number;
  tracedCurrent(): number;
  output(): string;
}

// ---- Snapshots (what tracemalloc.take_snapshot(), the Snapshot button and automatic
// snapshots record). Added for the snapshot/comparison/retainer views.

/** Live objects of one (type, allocation line). */
export interface SnapshotGroup {
  type: string;
  filename: string;
  /** 1-based; 0 when the object was not allocated by user code (the baseline, builtins). */
  line: number;
  count: number;
  /** Bytes as tracemalloc would count them (getsizeof + extra allocations such as values arrays). */
  bytes: number;
  /** Objects per place: [untracked, gen0, gen1, gen2, permanent]. */
  generations: [number, number, number, number, number];
}

/**
 * The object graph of a snapshot, compact: object i has group `group[i]`, size `size[i]`, and
 * referents `edgeTargets[edgeStart[i] .. edgeStart[i + 1])` (indexes of objects). It includes
 * untracked containers, which gc.get_referrers cannot see.
 */
export interface SnapshotGraph {
  /**
   * A unique identity per object for the whole run (its allocation serial: engine ids are reused
   * after a free), so two snapshots can tell which objects are new and which were deleted.
   */
  ids?: number[];
  group: number[];
  size: number[];
  edgeStart: number[];
  edgeTargets: number[];
  /** Where references come from outside the heap: module globals, frames, the permanent generation. */
  roots: { index: number; label: string }[];
}

export interface ProgramSnapshot {
  /** Simulated time, ns. */
  t: number;
  reason: 'script' | 'user' | 'auto' | 'full-collection';
  groups: SnapshotGroup[];
  /** null when the heap was larger than `maxGraphObjects`; `graphOmitted` says why. */
  graph: SnapshotGraph | null;
  graphOmitted: string | null;
}

export interface SnapshotOptions {
  /** Keep the object graph only up to this many live objects (default 200,000). */
  maxGraphObjects?: number;
}

/** Implemented by the front end's ProgramState (optional until it is wired). */
export interface SnapshotCapable {
  snapshot(reason: ProgramSnapshot['reason'], options?: SnapshotOptions): ProgramSnapshot;
}
