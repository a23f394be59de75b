// Heavy snapshot analysis (retainer paths with dominators, leak suspects) away from the thread
// that serves AppApi: a 200k-object graph takes long enough to stall every other call. The app
// runs it in one long-lived worker thread (out/main/analysis-worker.js) with its own database
// connection; tests and small tools run it in-process.
import { Worker } from 'node:worker_threads';
import { AppError, unwrap } from '../../common/contract';
import type { LeakSuspectsResult, RetainersResult } from '../../common/domain';
import type { SnapshotQueries } from '../snapshots/queries';
import type { AnalysisInput, AnalysisReply, AnalysisRequest, RetainersQuery } from './protocol';
import { errorMessage } from './run-job';

export interface SnapshotAnalysis {
  retainers(args: RetainersQuery): Promise<RetainersResult>;
  leakSuspects(sessionId: number): Promise<LeakSuspectsResult>;
  /** Ends the worker, failing the requests still waiting. */
  close(): Promise<void>;
}

/** On the calling thread: each call blocks it for as long as the analysis takes. */
export function inProcessAnalysis(queries: SnapshotQueries): SnapshotAnalysis {
  return {
    retainers: async (args) => queries.retainers(args),
    leakSuspects: async (sessionId) => queries.leakSuspects(sessionId),
    close: async () => undefined,
  };
}

/** What an analysis thread does with one request (the worker entry and tests share it). */
export function answer(queries: SnapshotQueries, request: AnalysisRequest): unknown {
  switch (request.method) {
    case 'retainers':
      return queries.retainers(request.args);
    case 'leakSuspects':
      return queries.leakSuspects(request.args.sessionId);
  }
}

type Distribute<R> = R extends AnalysisRequest ? Omit<R, 'id'> : never;

/**
 * One worker thread running `workerFile`, started at the first request and restarted after a
 * crash; requests are answered in turn (the last graph analysed stays cached in the worker).
 */
export function workerAnalysis(workerFile: string, dbFile: string): SnapshotAnalysis {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

  const failAll = (message: string) => {
    for (const p of pending.values()) p.reject(new AppError('internal', message));
    pending.clear();
  };

  const start = (): Worker => {
    const input: AnalysisInput = { dbFile };
    const w = new Worker(workerFile, { workerData: input });
    w.on('message', (reply: AnalysisReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      try {
        p.resolve(unwrap(reply));
      } catch (e) {
        p.reject(e);
      }
    });
    w.on('error', (e: unknown) => {
      if (worker === w) worker = null;
      failAll(`the snapshot analysis worker crashed: ${errorMessage(e)}`);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failAll(`the snapshot analysis worker exited unexpectedly (code ${code})`);
    });
    return w;
  };

  const request = <T>(r: Distribute<AnalysisRequest>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      worker ??= start();
      // Only an idle analysis thread is unref'd: it must not keep a tool or test process alive.
      worker.ref();
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...r, id } as AnalysisRequest);
    });

  return {
    retainers: (args) => request<RetainersResult>({ method: 'retainers', args }),
    leakSuspects: (sessionId) => request<LeakSuspectsResult>({ method: 'leakSuspects', args: { sessionId } }),
    async close() {
      const w = worker;
      worker = null;
      failAll('the service is closing');
      if (w) await w.terminate();
    },
  };
}
