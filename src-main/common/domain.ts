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
}

export type SessionStatus = 'running' | 'complete' | 'interrupted' | 'failed';

export interface GcTotals {
  collections: [number, number, number];
  collected: [number, number, number];
  uncollectable: [number, number, number];
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
  generation: 0 | 1 | 2;
  collected: number;
  uncollectable: number;
  explicit: boolean;
  /** Generation list lengths when the collection began (gen0, gen1, gen2, permanent). */
  sizes: [number, number, number, number];
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
