// The seam between the Python front end and its callers (the recorder worker, the CLI,
// the fidelity harness). A program runs synchronously; the caller observes and stops it
// through hooks, so the interpreter never has to yield.
import type { GcEvent, GcTotals, RunSettings, Sample } from '../common/domain';

export interface SourceLocation {
  filename: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export type FailureKind =
  | 'syntax' // could not be parsed
  | 'unsupported' // parsed, but uses a construct the simulator does not model
  | 'exception' // an uncaught Python exception (assert included)
  | 'step-budget' // ran past settings.stepBudget
  | 'memory-limit' // live bytes passed settings.memoryLimitBytes: a container's OOM kill
  | 'stopped'; // the caller's onTick returned false

export interface RunFailure {
  kind: FailureKind;
  /** One line, e.g. `SyntaxError: invalid syntax at leak.py:3:7` or `ZeroDivisionError: division by zero`. */
  message: string;
  /** For 'exception': a Python-style traceback ending with the message line. */
  traceback: string | null;
  location: SourceLocation | null;
}

export interface RunOutcome {
  status: 'complete' | 'failed' | 'stopped';
  failure: RunFailure | null;
  steps: number;
  timeNs: number;
  gcTotals: GcTotals;
}

/** A live view of a running program, handed to hooks. */
export interface ProgramState {
  readonly steps: number;
  /** Simulated time in ns: deterministic, derived from the work done. */
  readonly timeNs: number;
  sample(): Sample;
  gcTotals(): GcTotals;
}

export interface RunHooks {
  /** Called every `tickEvery` steps (and once at the end). Return false to stop the run. */
  onTick?(state: ProgramState): boolean;
  /** After each collection, automatic or explicit. */
  onCollection?(event: GcEvent, state: ProgramState): void;
  /** print() and tracebacks, in order. */
  onOutput?(text: string, stream: 'stdout' | 'stderr'): void;
}

export interface RunOptions {
  /** Steps between onTick calls; default 1000. */
  tickEvery?: number;
}
