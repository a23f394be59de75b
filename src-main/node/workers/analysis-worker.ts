// Entry of the snapshot-analysis worker thread (out/main/analysis-worker.js): answers retainer
// and leak-suspect requests from its own database connection, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { toApiError } from '../../common/contract';
import { openConnection } from '../db/open';
import { SnapshotQueries } from '../snapshots/queries';
import { answer } from './analysis';
import type { AnalysisInput, AnalysisReply, AnalysisRequest } from './protocol';

if (!parentPort) throw new Error('analysis-worker.js runs only as a worker thread');
const port = parentPort;
const queries = new SnapshotQueries(openConnection((workerData as AnalysisInput).dbFile));
port.on('message', (request: AnalysisRequest) => {
  let reply: AnalysisReply;
  try {
    reply = { id: request.id, ok: true, value: answer(queries, request) };
  } catch (e) {
    // An AppError (not-found, unavailable) keeps its kind and field across the thread.
    reply = { id: request.id, ok: false, error: toApiError(e) };
  }
  port.postMessage(reply);
});
