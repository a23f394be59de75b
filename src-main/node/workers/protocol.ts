// Messages between the main thread and a run worker.
import type { RunProgress, RunSettings, SessionStatus, SnapshotInfo } from '../../common/domain';

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

export type RunEnd = { status: Exclude<SessionStatus, 'running' | 'interrupted'>; message: string | null };

export type WorkerMessage =
  | { type: 'progress'; progress: RunProgress }
  | { type: 'snapshot'; snapshot: SnapshotInfo }
  | ({ type: 'finished' } & RunEnd);
