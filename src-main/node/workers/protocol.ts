// Messages between the main thread and a run worker.
import type { Reply } from '../../common/contract';
import type { RunFailureInfo, RunOutput, RunProgress, RunSettings, SessionStatus, SnapshotInfo } from '../../common/domain';

export interface RunJob {
  dbFile: string;
  sessionId: number;
  source: string;
  filename: string;
  settings: RunSettings;
  tickEvery?: number;
}

export interface WorkerInput {
  job: RunJob;
  /** An Int32Array over it: element 0 becomes 1 when the user asks to stop. */
  stopFlag: SharedArrayBuffer;
  /** An Int32Array over it: element 0 is raised when the user asks for a snapshot; the run resets it as it takes one. */
  snapshotFlag?: SharedArrayBuffer;
}

/** `failure` only when the script failed (not for a stop, nor for a crash of the run itself). */
export type RunEnd = { status: Exclude<SessionStatus, 'running' | 'interrupted'>; message: string | null; failure?: RunFailureInfo };

export type WorkerMessage =
  | { type: 'progress'; progress: RunProgress }
  | { type: 'snapshot'; snapshot: SnapshotInfo }
  | { type: 'output'; stream: RunOutput['stream']; text: string }
  | ({ type: 'finished' } & RunEnd);

// ---- The snapshot-analysis worker: one long-lived thread answering requests in turn.

export interface AnalysisInput {
  /** The database it reads from its own connection. */
  dbFile: string;
}

export type AnalysisRequest =
  | { id: number; method: 'retainers'; args: RetainersQuery }
  | { id: number; method: 'leakSuspects'; args: { sessionId: number } };

export type AnalysisReply = { id: number } & Reply<unknown>;

/** getRetainers' arguments once parsed. */
export interface RetainersQuery {
  snapshotId: number;
  type?: string;
  filename?: string;
  line?: number;
  limit: number;
}
