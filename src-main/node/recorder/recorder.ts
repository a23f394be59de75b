// Records one run into the store: samples each tick and at each collection, writes them
// in batched transactions, reports throttled progress, and honours a stop request.
// Runs wherever it is called (the run worker, the CLI, tests): the runner is injected.
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

export function record(o: RecordOptions): RecordResult {
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

  const flush = () => {
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
  };

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
      if (stopRequested || o.shouldStop?.()) {
        stopRequested = true;
        return false;
      }
      take(state);
      if (o.snapshotRequested?.()) snapshots.take(state, 'user');
      snapshots.tick(state);
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
      snapshots.collected(event.generation, state);
      maybeFlush();
    },
    onSnapshot(snapshotOrState, state) {
      snapshots.fromScript(snapshotOrState, state);
    },
    onOutput(text, stream) {
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
  if (finalState) report(finalState);
  o.store.finishSession(o.sessionId, {
    status,
    message,
    output,
    durationNs: outcome?.timeNs ?? finalState?.timeNs ?? 0,
    peakLiveBytes: peak,
    gcTotals: outcome?.gcTotals ?? finalState?.gcTotals() ?? EMPTY_GC_TOTALS,
  });
  return { status, message, outcome, failure, output, samples: sampleTotal, gcEvents: eventTotal, snapshots: snapshots.taken };
}
