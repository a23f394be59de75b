// Records one run into the store: samples each tick and at each collection, writes them
// in batched transactions, reports throttled progress, and honours a stop request.
// Runs wherever it is called (the run worker, the CLI, tests): the runner is injected.
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import type { GcEvent, RunProgress, RunSettings, Sample, SessionStatus, SnapshotInfo } from '../../common/domain';
import type { ProgramState, RunFailure, RunHooks, RunOptions, RunOutcome } from '../../python/program';
import { EMPTY_GC_TOTALS, type Store } from '../db/store';
import { SnapshotCapture, type SnapshotHooks } from '../snapshots/capture';

export type RunProgramFn = (
  source: string,
  filename: string,
  settings: RunSettings,
  hooks: RunHooks,
  options?: RunOptions,
) => RunOutcome;

/** The one wording of a run stopped on request (its status is 'stopped'). */
export const STOPPED_MESSAGE = 'Stopped on request';
/** Output kept per session; a script printing in a loop must not fill the disk. */
export const OUTPUT_LIMIT = 1_000_000;

export interface RecordOptions {
  store: Store;
  sessionId: number;
  source: string;
  filename: string;
  settings: RunSettings;
  runProgram: RunProgramFn;
  shouldStop?: () => boolean;
  /** Checked at each tick: true takes a snapshot (the Snapshot button). */
  snapshotRequested?: () => boolean;
  /** After each snapshot is stored. */
  onSnapshot?: (info: SnapshotInfo) => void;
  /** Snapshot graphs are kept up to this many objects; default MAX_GRAPH_OBJECTS. */
  maxGraphObjects?: number;
  onProgress?: (progress: RunProgress) => void;
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Steps between samples; default 1000. */
  tickEvery?: number;
  /** Samples buffered before a write; default 5000. */
  batchSize?: number;
  /** Longest time buffered samples wait before a write; default 250 ms. */
  flushEveryMs?: number;
  /** Shortest time between two progress reports, each preceded by a write; default 100 ms (10/s). */
  progressEveryMs?: number;
  now?: () => number;
}

export interface RecordResult {
  status: Exclude<SessionStatus, 'running' | 'interrupted'>;
  message: string | null;
  /** Null when the runner itself threw (a bug, not a Python failure). */
  outcome: RunOutcome | null;
  failure: RunFailure | null;
  output: string;
  samples: number;
  gcEvents: number;
  /** Snapshots stored. */
  snapshots: number;
}

/** Space kept beside the database so that a run ending on a full disk can still record how it ended. */
export const RESERVE_BYTES = 64 * 1024;
const reserveFile = (dbFile: string) => `${dbFile}-reserve`;

function keepReserve(dbFile: string): void {
  if (dbFile === ':memory:' || dbFile === '') return;
  try {
    const file = reserveFile(dbFile);
    if (!existsSync(file)) writeFileSync(file, Buffer.alloc(RESERVE_BYTES), { flag: 'wx' });
  } catch {
    // No room (or another run made it first): nothing to keep.
  }
}

function releaseReserve(dbFile: string): void {
  if (dbFile === ':memory:' || dbFile === '') return;
  try {
    unlinkSync(reserveFile(dbFile));
  } catch {
    // Already given up by another run.
  }
}

export function record(o: RecordOptions): RecordResult {
  keepReserve(o.store.db.name);
  const now = o.now ?? Date.now;
  const batchSize = o.batchSize ?? 5000;
  const flushEveryMs = o.flushEveryMs ?? 250;
  const progressEveryMs = o.progressEveryMs ?? 100;

  let samples: Sample[] = [];
  let events: GcEvent[] = [];
  let sampleTotal = 0;
  let eventTotal = 0;
  let peak = 0;
  let lastLive = 0;
  let lastState: ProgramState | null = null;
  let output = '';
  let outputDirty = false;
  let truncated = false;
  let lastFlush = now();
  let lastProgress = -Infinity;
  let stopRequested = false;
  const snapshots = new SnapshotCapture({
    db: o.store.db,
    sessionId: o.sessionId,
    filename: o.filename,
    settings: o.settings,
    ...(o.maxGraphObjects ? { maxGraphObjects: o.maxGraphObjects } : {}),
    ...(o.onSnapshot ? { onStored: o.onSnapshot } : {}),
  });

  const take = (state: ProgramState) => {
    const s = state.sample();
    if (s.liveBytes > peak) peak = s.liveBytes;
    lastLive = s.liveBytes;
    samples.push(s);
    sampleTotal++;
    lastState = state;
  };

  // A write that fails (a full disk, a read-only file, the session deleted meanwhile) ends the
  // run as failed with what was recorded so far; it never escapes as an exception.
  let storageError: unknown = null;
  const guard = (write: () => void) => {
    if (storageError !== null) return;
    try {
      write();
    } catch (e) {
      storageError = e;
    }
  };

  const flush = () => guard(() => {
    const state = lastState;
    o.store.appendBatch(o.sessionId, samples, events, {
      durationNs: state?.timeNs ?? 0,
      peakLiveBytes: peak,
      gcTotals: state?.gcTotals() ?? EMPTY_GC_TOTALS,
      ...(outputDirty ? { output } : {}),
    });
    samples = [];
    events = [];
    outputDirty = false;
    lastFlush = now();
  });

  const progressDue = () => o.onProgress !== undefined && now() - lastProgress >= progressEveryMs;

  const report = (state: ProgramState) => {
    if (!o.onProgress) return;
    lastProgress = now();
    const totals = state.gcTotals();
    o.onProgress({
      sessionId: o.sessionId,
      steps: state.steps,
      t: state.timeNs,
      liveBytes: lastLive,
      collections: totals.collections[0] + totals.collections[1] + totals.collections[2],
      samples: sampleTotal,
    });
  };

  const maybeFlush = () => {
    if (samples.length + events.length >= batchSize || now() - lastFlush >= flushEveryMs) flush();
  };

  const hooks: RunHooks & SnapshotHooks = {
    onTick(state) {
      if (storageError !== null || stopRequested || o.shouldStop?.()) {
        stopRequested = true;
        return false;
      }
      take(state);
      if (o.snapshotRequested?.()) guard(() => snapshots.take(state, 'user'));
      guard(() => snapshots.tick(state));
      // What a progress report announces is already readable by the UI.
      if (progressDue()) {
        flush();
        report(state);
      } else maybeFlush();
      return true;
    },
    onCollection(event, state) {
      events.push(event);
      eventTotal++;
      take(state);
      guard(() => snapshots.collected(event.generation, state));
      maybeFlush();
    },
    onSnapshot(snapshotOrState, state) {
      guard(() => snapshots.fromScript(snapshotOrState, state));
    },
    onOutput(text, stream) {
      // Once a tick has said stop, the runner's own note on stderr ("stopped by the caller") is
      // not the script's output: the session says how it ended, in one wording.
      if (stream === 'stderr' && (stopRequested || storageError !== null)) return;
      o.onOutput?.(text, stream);
      if (truncated) return;
      if (output.length + text.length > OUTPUT_LIMIT) {
        output += text.slice(0, Math.max(0, OUTPUT_LIMIT - output.length)) + '\n[output truncated]\n';
        truncated = true;
      } else output += text;
      outputDirty = true;
    },
  };

  let outcome: RunOutcome | null = null;
  let status: RecordResult['status'];
  let message: string | null;
  let failure: RunFailure | null = null;
  try {
    outcome = o.runProgram(o.source, o.filename, o.settings, hooks, { tickEvery: o.tickEvery ?? 1000 });
    failure = outcome.failure;
    if (outcome.status === 'complete') {
      status = 'complete';
      message = null;
    } else if (outcome.status === 'stopped' || failure?.kind === 'stopped') {
      status = 'stopped';
      message = STOPPED_MESSAGE;
    } else {
      status = 'failed';
      message = failure?.message ?? 'the run failed';
      if (failure?.traceback && !output.includes(failure.traceback)) hooks.onOutput!(failure.traceback, 'stderr');
    }
  } catch (e) {
    status = 'failed';
    message = `internal error: ${e instanceof Error ? e.message : String(e)}`;
  }

  const finalState = lastState as ProgramState | null;
  flush();
  if (storageError !== null) {
    status = 'failed';
    message = storageFailureMessage(storageError);
    failure = null;
    // On a full disk the closing write needs room: the reserve kept beside the database is
    // given up for it (and taken again when there is space).
    releaseReserve(o.store.db.name);
  }
  if (finalState) report(finalState);
  try {
    o.store.finishSession(o.sessionId, {
      status,
      message,
      output,
      durationNs: outcome?.timeNs ?? finalState?.timeNs ?? 0,
      peakLiveBytes: peak,
      gcTotals: outcome?.gcTotals ?? finalState?.gcTotals() ?? EMPTY_GC_TOTALS,
    });
  } catch {
    // The smallest write that still says how the run ended; if even that fails, the session
    // stays 'running' until its owner (this process) is gone, then shows as interrupted.
    try {
      o.store.failSession(o.sessionId, message ?? status);
    } catch {
      // Nothing more can be written.
    }
  }
  return { status, message, outcome, failure, output, samples: sampleTotal, gcEvents: eventTotal, snapshots: snapshots.taken };
}

/** One line for a write that failed while recording. */
export function storageFailureMessage(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const text = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_FULL' || /disk is full|ENOSPC/i.test(text)) return `disk full while recording: ${text}`;
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'the session was deleted while it was being recorded';
  if (code === 'SQLITE_READONLY' || /readonly/i.test(String(code))) return `the database became read-only while recording: ${text}`;
  return `could not record the run: ${text}`;
}
