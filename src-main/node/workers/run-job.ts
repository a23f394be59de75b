// What a run worker does, kept apart from worker_threads so it can be tested in-process.
import { openConnection, type Db } from '../db/open';
import { Store } from '../db/store';
import { record, type RecordOptions, type RecordResult, type RunProgramFn } from '../recorder/recorder';
import type { RunJob, WorkerInput, WorkerMessage } from './protocol';

/** How a run is steered and observed while it records (the worker and the in-process launcher differ only in these). */
export type RunJobHooks = Pick<RecordOptions, 'shouldStop' | 'snapshotRequested' | 'onSnapshot' | 'onProgress'>;

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
  // Whatever goes wrong is reported as a message with its text: an exception thrown out of a
  // worker reaches the main thread through structured cloning, which loses a SqliteError's message.
  try {
    db = openConnection(job.dbFile);
    const result = recordJob(db, job, runProgram, {
      shouldStop: () => Atomics.load(stop, 0) !== 0,
      ...(snapshotFlag ? { snapshotRequested: () => Atomics.exchange(snapshotFlag, 0, 0) !== 0 } : {}),
      onSnapshot: (snapshot) => post({ type: 'snapshot', snapshot }),
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'finished', status: result.status, message: result.message });
  } catch (e) {
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
