// Starting runs: in a worker thread (the app), or in-process (tests, small tools).
import { Worker } from 'node:worker_threads';
import type { RunProgress, SnapshotInfo } from '../../common/domain';
import { openConnection } from '../db/open';
import type { RunProgramFn } from '../recorder/recorder';
import type { RunEnd, RunJob, WorkerInput, WorkerMessage } from './protocol';
import { errorMessage, recordJob, runEndOf } from './run-job';

export interface RunCallbacks {
  onProgress(progress: RunProgress): void;
  /** A snapshot was stored. */
  onSnapshot?(snapshot: SnapshotInfo): void;
  /** The script printed `text` (in chunks, in order, all of them before onFinished). */
  onOutput?(text: string, stream: 'stdout' | 'stderr'): void;
  /** Exactly once per run. */
  onFinished(end: RunEnd): void;
}

export interface RunHandle {
  /** Asks the run to stop at its next tick, keeping what it recorded. */
  stop(): void;
  /** Asks the run for a snapshot at its next tick. */
  snapshot?(): void;
  /** Ends the run's thread at once (when closing, for a run that does not stop). */
  kill(): void;
  /** Resolves once the run has finished and its callbacks have run. */
  readonly done: Promise<void>;
}

export interface RunLauncher {
  start(job: RunJob, callbacks: RunCallbacks): RunHandle;
}

/** Each run in its own worker thread running `workerFile` (out/main/run-worker.js). */
export function workerLauncher(workerFile: string): RunLauncher {
  return {
    start(job, callbacks) {
      const stopFlag = new SharedArrayBuffer(4);
      const snapshotFlag = new SharedArrayBuffer(4);
      const input: WorkerInput = { job, stopFlag, snapshotFlag };
      const worker = new Worker(workerFile, { workerData: input });
      let finished = false;
      const finish = (end: RunEnd) => {
        if (finished) return;
        finished = true;
        callbacks.onFinished(end);
      };
      const done = new Promise<void>((resolveDone) => {
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'progress') callbacks.onProgress(m.progress);
          else if (m.type === 'snapshot') callbacks.onSnapshot?.(m.snapshot);
          else if (m.type === 'output') callbacks.onOutput?.(m.text, m.stream);
          else {
            const { type: _type, ...end } = m;
            finish(end);
          }
        });
        worker.on('error', (e: unknown) => finish({ status: 'failed', message: `the run worker crashed: ${errorMessage(e)}` }));
        worker.on('exit', (code) => {
          finish({ status: 'failed', message: `the run worker exited unexpectedly (code ${code})` });
          resolveDone();
        });
      });
      return {
        stop: () => {
          Atomics.store(new Int32Array(stopFlag), 0, 1);
        },
        snapshot: () => {
          Atomics.store(new Int32Array(snapshotFlag), 0, 1);
        },
        kill: () => {
          void worker.terminate();
        },
        done,
      };
    },
  };
}

/**
 * Runs on the calling thread, after the current turn (so startRun still returns at once).
 * Only for tests and tools: a long run blocks the thread, and stop() is seen only at ticks.
 */
export function inProcessLauncher(runProgram: RunProgramFn): RunLauncher {
  return {
    start(job, callbacks) {
      let stopRequested = false;
      let snapshotRequested = false;
      const done = new Promise<void>((resolveDone) => {
        setImmediate(() => {
          let end: RunEnd;
          const db = openConnection(job.dbFile);
          try {
            const result = recordJob(db, job, runProgram, {
              shouldStop: () => stopRequested,
              snapshotRequested: () => {
                const asked = snapshotRequested;
                snapshotRequested = false;
                return asked;
              },
              ...(callbacks.onSnapshot ? { onSnapshot: (s: SnapshotInfo) => callbacks.onSnapshot!(s) } : {}),
              ...(callbacks.onOutput ? { onOutput: (text: string, stream: 'stdout' | 'stderr') => callbacks.onOutput!(text, stream) } : {}),
              onProgress: callbacks.onProgress,
            });
            end = runEndOf(result);
          } catch (e) {
            end = { status: 'failed', message: `internal error: ${errorMessage(e)}` };
          } finally {
            db.close();
          }
          callbacks.onFinished(end);
          resolveDone();
        });
      });
      return {
        stop: () => {
          stopRequested = true;
        },
        snapshot: () => {
          snapshotRequested = true;
        },
        kill: () => {
          stopRequested = true;
        },
        done,
      };
    },
  };
}
