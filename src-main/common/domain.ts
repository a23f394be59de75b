// JSON-safe domain types shared by the main process, the renderer and the CLI.

export const PROFILES = ['3.11', '3.13'] as const;
export type Profile = (typeof PROFILES)[number];

/** Default thresholds per profile (CPython's `pycore_runtime_init.h`). */
export const DEFAULT_THRESHOLDS: Record<Profile, [number, number, number]> = {
  '3.11': [700, 10, 10],
  '3.13': [2000, 10, 10],
};

export interface RunSettings {
  profile: Profile;
  thresholds: [number, number, number];
  /** Interpreter steps before a runaway script is stopped. */
  stepBudget: number;
  /** Simulated container memory limit in bytes (live bytes); null = none. */
  memoryLimitBytes: number | null;
  /** Automatic snapshot every N simulated milliseconds; null = off. */
  snapshotEveryMs: number | null;
  /** Also take a snapshot after every full (generation 2) collection; absent = false. */
  snapshotAtFullCollection?: boolean;
}

// ---- Run settings: their one default and their bounds. Every host starts from these (the Run
// form, the CLI and its --help, the first-launch demo) and the contract's schema checks the bounds.

export const DEFAULT_PROFILE: Profile = '3.11';
/**
 * Interpreter steps before a runaway script is stopped. Every built-in scenario needs under 5M;
 * 200M is a guard against an endless loop (about 15 s of one here), not a work limit.
 */
export const DEFAULT_STEP_BUDGET = 200_000_000;

export const RUN_SETTING_LIMITS = {
  threshold: { min: 0, max: 1_000_000 },
  stepBudget: { min: 1_000, max: 10_000_000_000 },
  memoryLimitBytes: { min: 1024, max: 1024 ** 4 },
  snapshotEveryMs: { min: 0.001, max: 3_600_000 },
} as const;

/** The default settings of a run on `profile`: its CPython thresholds, no memory limit, no automatic snapshots. */
export function defaultRunSettings(profile: Profile = DEFAULT_PROFILE): RunSettings {
  return {
    profile,
    thresholds: [...DEFAULT_THRESHOLDS[profile]],
    stepBudget: DEFAULT_STEP_BUDGET,
    memoryLimitBytes: null,
    snapshotEveryMs: null,
    // snapshotAtFullCollection: absent = false
  };
}

/** 'stopped': ended on request; 'interrupted': its process died (what it recorded is kept). */
export type SessionStatus = 'running' | 'complete' | 'stopped' | 'interrupted' | 'failed';

/** Per generation, youngest first: as many entries as the profile's collector has generations. */
export interface GcTotals {
  collections: number[];
  collected: number[];
  uncollectable: number[];
}

export interface SessionSummary {
  id: number;
  name: string;
  /** Scenario id for a built-in scenario, or the file name of a user script. */
  scenario: string;
  status: SessionStatus;
  /** ISO 8601, UTC. */
  createdAt: string;
  profile: Profile;
  sampleCount: number;
  gcEventCount: number;
  peakLiveBytes: number;
  /** Simulated duration in nanoseconds. */
  durationNs: number;
  /** Why a run failed or was stopped early (an exception, the step budget, OOM). */
  message: string | null;
}

export interface SessionDetail extends SessionSummary {
  source: string;
  settings: RunSettings;
  /** What the script printed (stdout and stderr interleaved as they happened). */
  output: string;
  gcTotals: GcTotals;
}

/** One recorded point of memory over time. */
export interface Sample {
  /** Simulated time, ns. */
  t: number;
  /** Bytes of live objects as sys.getsizeof counts them. */
  liveBytes: number;
  /** Bytes held by pymalloc arenas plus large allocations: what RSS would see. */
  arenaBytes: number;
  /** Live objects (tracked or not). */
  objects: number;
  /** Tracked objects per generation. */
  gen0: number;
  gen1: number;
  gen2: number;
  /** gc.get_count()[0] at the sample. */
  count0: number;
}

export const SERIES_METRICS = ['liveBytes', 'arenaBytes', 'objects', 'gen0', 'gen1', 'gen2', 'count0'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

/**
 * A min/max-bucketed series for a time range: each bucket contributes up to two rows
 * (its minimum and its maximum of each metric), so spikes survive downsampling.
 */
export interface SeriesData {
  from: number;
  to: number;
  /** Samples in [from, to] before downsampling. */
  total: number;
  t: number[];
  values: Record<SeriesMetric, number[]>;
}

export interface GcEvent {
  /** 1-based order within the session. */
  seq: number;
  /** Simulated time, ns. */
  t: number;
  /** The generation collected (0 = youngest; a collector has as many as its profile says). */
  generation: number;
  collected: number;
  uncollectable: number;
  explicit: boolean;
  /** List lengths when the collection began: one per generation, youngest first, then the permanent generation. */
  sizes: number[];
}

export interface ScenarioInfo {
  id: string;
  title: string;
  /** One or two sentences: what the scenario teaches. */
  summary: string;
  source: string;
}

export interface RunProgress {
  sessionId: number;
  steps: number;
  t: number;
  liveBytes: number;
  collections: number;
  samples: number;
}

/** Why a run failed, as its runFinished event says (the CLI's exit status follows it). */
export interface RunFailureInfo {
  /**
   * 'exception' (an uncaught Python exception; its traceback is in the output), 'syntax',
   * 'unsupported' (a construct the simulator does not model), 'step-budget', 'memory-limit'.
   */
  kind: 'exception' | 'syntax' | 'unsupported' | 'step-budget' | 'memory-limit' | 'stopped';
  /** One line, e.g. `KeyError: 'x'` or `SyntaxError: invalid syntax at leak.py:3:7`. */
  message: string;
  /** 1-based line and column; null when the failure has no place in the source. */
  location: { filename: string; line: number; col: number } | null;
}

/** What a running script printed since the last such event, in the order it printed it. */
export interface RunOutput {
  sessionId: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  desktop: boolean;
}

/** Electron IPC channels between the preload's `window.api` and the main process. */
export const IPC_CHANNELS = {
  /** invoke(method, args) → Reply */
  call: 'pygc-lab:call',
  /** main → renderer: one AppEvent */
  event: 'pygc-lab:event',
} as const;

// ---- Snapshots (listSnapshots, getSnapshot, compareSnapshots, getRetainers,
// getLeakSuspects, getSourceLines). Objects are grouped by where they were allocated:
// (type, file, line), like tracemalloc's statistics plus the type.

export type SnapshotReason = 'script' | 'user' | 'auto' | 'full-collection';

/** Objects per place: [untracked, gen0, gen1, gen2, permanent]. */
export type GenerationSplit = [number, number, number, number, number];

export interface SnapshotInfo {
  id: number;
  sessionId: number;
  /** 1-based order within the session. */
  seq: number;
  /** Simulated time, ns. */
  t: number;
  /** 'script' = tracemalloc.take_snapshot(), 'user' = the Snapshot button, 'auto' = every N ms, 'full-collection'. */
  reason: SnapshotReason;
  /** Distinct (type, file, line) groups. */
  groups: number;
  count: number;
  bytes: number;
  generations: GenerationSplit;
  /** The object graph was kept: getRetainers works on this snapshot. */
  graphKept: boolean;
  /** Why the graph was not kept (e.g. the heap had more objects than the limit); null when kept. */
  graphOmitted: string | null;
}

/**
 * How rows are grouped: 'type' (type name), 'line' (file:line, tracemalloc's 'lineno'),
 * 'file' (tracemalloc's 'filename'), 'type-line' (type at file:line, the stored grain).
 */
export const SNAPSHOT_GROUP_BY = ['type', 'line', 'file', 'type-line'] as const;
export type SnapshotGroupBy = (typeof SNAPSHOT_GROUP_BY)[number];

export interface SnapshotRow {
  /** null when the grouping leaves it out (e.g. `type` for groupBy 'line'). */
  type: string | null;
  filename: string | null;
  /** 1-based; 0 for objects not allocated by user code. null when grouped out. */
  line: number | null;
  count: number;
  bytes: number;
  generations: GenerationSplit;
}

export interface SnapshotTotals {
  count: number;
  bytes: number;
  generations: GenerationSplit;
}

export interface SnapshotPage {
  snapshot: SnapshotInfo;
  /** Totals of the rows matching the filter (all pages). */
  totals: SnapshotTotals;
  /** Rows matching the filter (all pages); the page is rows[offset .. offset + limit). */
  totalRows: number;
  rows: SnapshotRow[];
}

/**
 * One group of a comparison, as tracemalloc's StatisticDiff (size, size_diff, count, count_diff:
 * the target's values and their change from the base) plus Chrome DevTools' columns.
 */
export interface SnapshotCompareRow {
  type: string | null;
  filename: string | null;
  line: number | null;
  /** In the target snapshot (0 when the group is gone). */
  size: number;
  sizeDiff: number;
  count: number;
  countDiff: number;
  /** DevTools "# New": objects of the target that were not in the base (see CompareResult.identity). */
  newCount: number;
  /** DevTools "# Deleted": objects of the base that are not in the target. */
  deletedCount: number;
}

export interface SnapshotComparePage {
  base: SnapshotInfo;
  target: SnapshotInfo;
  /**
   * 'objects': both snapshots kept graphs with stable engine object ids, so # New and # Deleted
   * count object identities (an object freed and another allocated at the same line shows as one
   * new and one deleted). 'counts': derived from counts per group, new = max(countDiff, 0),
   * deleted = max(-countDiff, 0): a lower bound of the real churn.
   */
  identity: 'objects' | 'counts';
  /** Groups in either snapshot (matching the filter). */
  totalRows: number;
  /** Sums over those groups: target size and count, and their changes. */
  totals: { size: number; sizeDiff: number; count: number; countDiff: number };
  rows: SnapshotCompareRow[];
}

export interface RetainerStep {
  type: string;
  filename: string;
  line: number;
  /** The group of this object has no tracked objects (an untracked container such as an atomic dict or a tuple of atoms): gc.get_referrers() cannot see it. */
  untracked: boolean;
}

export interface RetainerPath {
  /** Where the path starts: a module global, a frame, the permanent generation (as the front end labels it). */
  root: string;
  /** From the root's first object to the retainer just above the group's objects. Empty when the objects are roots themselves. */
  steps: RetainerStep[];
  /** Steps left out of the middle of a long path (steps keeps both ends); 0 for most paths. */
  elidedSteps: number;
  /** Objects of the group reached by this path. */
  count: number;
  /** Their shallow bytes. */
  bytes: number;
  /** Their retained bytes (dominator tree; nested objects of the same group counted once). */
  retainedBytes: number;
}

export interface RetainersResult {
  snapshot: SnapshotInfo;
  /** Objects matching the group. */
  objects: number;
  bytes: number;
  /**
   * What freeing every object of the group would free: the sum of their dominator-tree retained
   * sizes (Cooper–Harvey–Kennedy over the snapshot graph), counting objects nested under another
   * object of the group once.
   */
  retainedBytes: number;
  /** Objects of the group no root reaches: cyclic garbage not yet collected. */
  unreachable: number;
  /** Shortest path from a root for every object, grouped by the sequence of groups along it; most objects first. */
  paths: RetainerPath[];
  /** Distinct paths before the limit. */
  totalPaths: number;
}

/** One group's figures across the session's snapshots, oldest first (0 where absent). */
export interface LeakGroupSeries {
  type: string;
  filename: string;
  line: number;
  counts: number[];
  bytes: number[];
}

export interface LeakSuspect {
  /** The objects that accumulate: their type and the line that allocates them. */
  type: string;
  filename: string;
  line: number;
  /** Objects of that group the holder keeps, per snapshot (oldest first, 0 where absent). */
  counts: number[];
  /**
   * Bytes per snapshot: what the holder retains ('retained': its dominator subtree, untracked
   * objects included), or the group's own bytes ('shallow': the snapshots kept no graphs, or
   * no container holds the growth).
   */
  bytes: number[];
  /** bytes in the last snapshot minus the first. */
  bytesGrowth: number;
  countGrowth: number;
  /** Snapshot-to-snapshot steps in which it grew, out of snapshots.length - 1. */
  growthSteps: number;
  basis: 'retained' | 'shallow';
  /** The container that keeps the objects (its group, and how many of its objects hold some), when a graph shows one. */
  holder: { type: string; filename: string; line: number; count: number } | null;
  /** How the last snapshot reaches the holder (or the objects): the root, then the groups along a shortest path, the holder last. */
  path: { root: string; steps: RetainerStep[]; elidedSteps: number } | null;
  /** What the retained bytes are made of: groups under the holder, most bytes growth first (at most 6). */
  retains: LeakGroupSeries[];
}

export interface LeakSuspectsResult {
  /** The snapshots considered, oldest first (counts[i] belongs to snapshots[i]). */
  snapshots: SnapshotInfo[];
  suspects: LeakSuspect[];
}

export interface SourceLineStat {
  line: number;
  count: number;
  bytes: number;
  /** Against the base snapshot, when one was given (else 0). */
  countDiff: number;
  bytesDiff: number;
}

export interface SourceLines {
  /** The script's file name as allocations record it. */
  filename: string;
  snapshotId: number | null;
  baseId: number | null;
  /** Lines with live objects (or a change against the base), ascending. */
  lines: SourceLineStat[];
}

/** A problem found in a script before running it (for the editor), JSON-safe. */
export interface SourceCheckFailure {
  /** 'syntax' or 'unsupported' (a construct the simulator does not implement). */
  kind: string;
  /** One line, e.g. `SyntaxError: invalid syntax at my.py:3:7`. */
  message: string;
  /** 1-based line and column in `filename`; null when the parser gives no position. */
  location: { filename: string; line: number; col: number } | null;
}

export interface SourceCheck {
  failure: SourceCheckFailure | null;
}
