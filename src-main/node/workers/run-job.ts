// What a run worker does, kept apart from worker_threads so it can be tested in-process.
import { openConnection } from '../db/open';
import { Store } from '../db/store';
import { record, type RunProgramFn } from '../recorder/recorder';
import type { WorkerInput, WorkerMessage } from './protocol';

export function runJob(input: WorkerInput, post: (message: WorkerMessage) => void, runProgram: RunProgramFn): void {
  const { job } = input;
  const stop = new Int32Array(input.stopFlag);
  const snapshotFlag = input.snapshotFlag ? new Int32Array(input.snapshotFlag) : null;
  const db = openConnection(job.dbFile);
  try {
    const result = record({
      store: new Store(db),
      sessionId: job.sessionId,
      source: job.source,
      filename: job.filename,
      settings: job.settings,
      runProgram,
      ...(job.tickEvery ? { tickEvery: job.tickEvery } : {}),
      shouldStop: () => Atomics.load(stop, 0) !== 0,
      ...(snapshotFlag ? { snapshotRequested: () => Atomics.exchange(snapshotFlag, 0, 0) !== 0 } : {}),
      onSnapshot: (snapshot) => post({ type: 'snapshot', snapshot }),
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'finished', status: result.status, message: result.message });
  } finally {
    db.close();
  }
}
