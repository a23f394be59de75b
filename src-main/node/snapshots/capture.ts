// Taking snapshots during a run and storing them: a script's tracemalloc.take_snapshot(), the
// Snapshot button (a flag checked at each tick, like Stop), every N simulated milliseconds, and
// after each full collection. Used by the recorder.
import type { RunSettings, SnapshotInfo, SnapshotReason } from '../../common/domain';
import type { ProgramSnapshot, ProgramState, SnapshotCapable, SnapshotOptions } from '../../python/program';
import type { Db } from '../db/open';
import { MAX_GRAPH_OBJECTS, SnapshotStore } from './store';

/**
 * The hook a front end calls for tracemalloc.take_snapshot(). Not in RunHooks yet: it may pass
 * the snapshot it took, or a state to take one from.
 */
export interface SnapshotHooks {
  onSnapshot?(snapshotOrState: ProgramSnapshot | (ProgramState & SnapshotCapable), state?: ProgramState): void;
}

export function canSnapshot(state: ProgramState): state is ProgramState & SnapshotCapable {
  return 'snapshot' in state && typeof (state as Partial<SnapshotCapable>).snapshot === 'function';
}

function isProgramSnapshot(x: unknown): x is ProgramSnapshot {
  return typeof x === 'object' && x !== null && Array.isArray((x as ProgramSnapshot).groups);
}

export interface CaptureOptions {
  db: Db;
  sessionId: number;
  /** The file name the script runs under (the Source view's lines). */
  filename: string;
  settings: RunSettings;
  maxGraphObjects?: number;
  onStored?: (info: SnapshotInfo) => void;
}

export class SnapshotCapture {
  private readonly store: SnapshotStore;
  private readonly everyNs: number | null;
  private nextAutoNs: number;
  private readonly options: SnapshotOptions;
  taken = 0;
  /** Requests that arrived while the front end could not take a snapshot. */
  dropped = 0;

  constructor(private readonly o: CaptureOptions) {
    this.store = new SnapshotStore(o.db);
    this.everyNs = o.settings.snapshotEveryMs ? o.settings.snapshotEveryMs * 1e6 : null;
    this.nextAutoNs = this.everyNs ?? Infinity;
    this.options = { maxGraphObjects: o.maxGraphObjects ?? MAX_GRAPH_OBJECTS };
  }

  /** Takes and stores a snapshot now; false when the front end cannot take one. */
  take(state: ProgramState, reason: SnapshotReason): boolean {
    if (!canSnapshot(state)) {
      this.dropped++;
      return false;
    }
    this.save(state.snapshot(reason, this.options));
    return true;
  }

  save(snapshot: ProgramSnapshot): void {
    const id = this.store.insert(this.o.sessionId, snapshot, this.o.filename, this.options.maxGraphObjects);
    this.taken++;
    if (this.o.onStored) this.o.onStored(this.store.info(id)!);
  }

  /** At each tick: the automatic snapshot, once per `snapshotEveryMs` of simulated time. */
  tick(state: ProgramState): void {
    if (state.timeNs < this.nextAutoNs) return;
    const every = this.everyNs!;
    this.nextAutoNs = (Math.floor(state.timeNs / every) + 1) * every;
    this.take(state, 'auto');
  }

  /** After a collection: a snapshot after each full one, when the settings ask for it. */
  collected(generation: number, state: ProgramState): void {
    if (generation === 2 && this.o.settings.snapshotAtFullCollection) this.take(state, 'full-collection');
  }

  /** The front end's onSnapshot (tracemalloc.take_snapshot()). */
  fromScript(snapshotOrState: ProgramSnapshot | ProgramState, state?: ProgramState): void {
    if (isProgramSnapshot(snapshotOrState)) this.save(snapshotOrState);
    else this.take(state ?? snapshotOrState, 'script');
  }
}
