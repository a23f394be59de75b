// What a run worker does, kept apart from worker_threads so it can be tested in-process.
import { openConnection, type Db } from '../db/open';
import { Store } from '../db/store';
import { record, type RecordOptions, type RecordResult, type RunProgramFn } from '../recorder/recorder';
import type { RunEnd, RunJob, WorkerInput, WorkerMessage } from './protocol';

/** How a run is steered and observed while it records (the worker and the in-process launcher differ only in these). */
export type RunJobHooks = Pick<RecordOptions, 'shouldStop' | 'snapshotRequested' | 'onSnapshot' | 'onProgress' | 'onOutput'>;

/** How a recorded run ended, as the launcher reports it: the failure without its traceback (that is in the output). */
export function runEndOf(result: RecordResult): RunEnd {
  const f = result.status === 'failed' ? result.failure : null;
  if (!f) return { status: result.status, message: result.message };
  const location = f.location ? { filename: f.location.filename, line: f.location.line, col: f.location.col } : null;
  return { status: result.status, message: result.message, failure: { kind: f.kind, message: f.message, location } };
}

/** Output is posted in chunks: at each progress report, before a snapshot or the end, or past this many characters. */
const OUTPUT_CHUNK = 64 * 1024;

/** Records one job into the open connection `db` (the caller opens and closes it). */
export function recordJob(db: Db, job: RunJob, runProgram: RunProgramFn, hooks: RunJobHooks): RecordResult {
  return record({
    store: new Store(db),
    sessionId: job.sessionId,
    source: job.source,
    filename: job.filename,
    settings: job.settings,
    runProgram,
    ...(job.tickEvery ? { tickEvery: job.tickEvery } : {}),
    ...hooks,
  });
}

export function runJob(input: WorkerInput, post: (message: WorkerMessage) => void, runProgram: RunProgramFn): void {
  const { job } = input;
  const stop = new Int32Array(input.stopFlag);
  const snapshotFlag = input.snapshotFlag ? new Int32Array(input.snapshotFlag) : null;
  let db: Db | undefined;
  let pending: { stream: 'stdout' | 'stderr'; text: string } | null = null;
  const flushOutput = () => {
    if (pending) post({ type: 'output', ...pending });
    pending = null;
  };
  // Whatever goes wrong is reported as a message with its text: an exception thrown out of a
  // worker reaches the main thread through structured cloning, which loses a SqliteError's message.
  try {
    db = openConnection(job.dbFile);
    const result = recordJob(db, job, runProgram, {
      shouldStop: () => Atomics.load(stop, 0) !== 0,
      ...(snapshotFlag ? { snapshotRequested: () => Atomics.exchange(snapshotFlag, 0, 0) !== 0 } : {}),
      onSnapshot: (snapshot) => {
        flushOutput();
        post({ type: 'snapshot', snapshot });
      },
      onProgress: (progress) => {
        flushOutput();
        post({ type: 'progress', progress });
      },
      onOutput: (text, stream) => {
        if (pending && pending.stream !== stream) flushOutput();
        pending = pending ? { stream, text: pending.text + text } : { stream, text };
        if (pending.text.length >= OUTPUT_CHUNK) flushOutput();
      },
    });
    flushOutput();
    post({ type: 'finished', ...runEndOf(result) });
  } catch (e) {
    flushOutput();
    post({ type: 'finished', status: 'failed', message: `internal error: ${errorMessage(e)}` });
  } finally {
    try {
      db?.close();
    } catch {
      // Closing cannot fail in a way the run's outcome should hide.
    }
  }
}

/** The text of anything thrown, never "undefined". */
export function errorMessage(e: unknown): string {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string' && m) return m;
  }
  const text = String(e);
  return text === '[object Object]' ? JSON.stringify(e) ?? text : text;
}
