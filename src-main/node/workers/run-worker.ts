// Entry of the run worker thread (out/main/run-worker.js): one run, recorded from this
// thread's own database connection.
import { parentPort, workerData } from 'node:worker_threads';
import { runProgram } from '../../python';
import type { WorkerInput, WorkerMessage } from './protocol';
import { runJob } from './run-job';

if (!parentPort) throw new Error('run-worker.js runs only as a worker thread');
const port = parentPort;
runJob(workerData as WorkerInput, (message: WorkerMessage) => port.postMessage(message), runProgram);
