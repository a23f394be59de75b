// The one contract between the UI (Electron IPC or the browser twin), the CLI and the service.
import { z } from 'zod';
import type {
  AppInfo,
  GcEvent,
  LeakSuspectsResult,
  RetainersResult,
  RunFailureInfo,
  RunOutput,
  RunProgress,
  RunSettings,
  ScenarioInfo,
  SeriesData,
  SessionDetail,
  SessionStatus,
  SessionSummary,
  SnapshotComparePage,
  SnapshotInfo,
  SnapshotPage,
  SourceCheck,
  SourceLines,
} from './domain';
import { PROFILES, RUN_SETTING_LIMITS as L, SNAPSHOT_GROUP_BY } from './domain';

const id = z.number().int().positive();
const between = (min: number, max: number) => `must be between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}`;
const threshold = z.number().int().min(L.threshold.min, between(L.threshold.min, L.threshold.max)).max(L.threshold.max, between(L.threshold.min, L.threshold.max));

export const runSettingsSchema = z.object({
  profile: z.enum(PROFILES),
  thresholds: z.tuple([threshold, threshold, threshold]),
  stepBudget: z.number().int().min(L.stepBudget.min).max(L.stepBudget.max),
  memoryLimitBytes: z.number().int().min(L.memoryLimitBytes.min).max(L.memoryLimitBytes.max).nullable(),
  snapshotEveryMs: z.number().min(L.snapshotEveryMs.min).max(L.snapshotEveryMs.max).nullable(),
  snapshotAtFullCollection: z.boolean().optional(),
}) satisfies z.ZodType<RunSettings>;

export const schemas = {
  appInfo: z.object({}),
  listSessions: z.object({ search: z.string().max(200).optional() }),
  getSession: z.object({ id }),
  renameSession: z.object({ id, name: z.string().trim().min(1, 'must not be empty').max(200) }),
  deleteSession: z.object({ id }),
  listScenarios: z.object({}),
  startRun: z
    .object({
      scenarioId: z.string().min(1).max(100).optional(),
      /** A user script: its source and file name. */
      source: z.string().max(2_000_000).optional(),
      filename: z.string().min(1).max(500).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      settings: runSettingsSchema,
    })
    .refine((a) => (a.scenarioId === undefined) !== (a.source === undefined), {
      message: 'give either scenarioId or source',
      path: ['scenarioId'],
    }),
  stopRun: z.object({ sessionId: id }),
  getSeries: z.object({
    sessionId: id,
    from: z.number().min(0).optional(),
    to: z.number().min(0).optional(),
    buckets: z.number().int().min(1).max(10_000),
  }),
  getGcEvents: z.object({
    sessionId: id,
    from: z.number().min(0).optional(),
    to: z.number().min(0).optional(),
    limit: z.number().int().min(1).max(100_000).default(10_000),
  }),
  takeSnapshot: z.object({ sessionId: id }),
  listSnapshots: z.object({ sessionId: id }),
  getSnapshot: z.object({
    snapshotId: id,
    groupBy: z.enum(SNAPSHOT_GROUP_BY),
    /** Keeps the objects whose type name or file name contains this (case-insensitive), before grouping. */
    filter: z.string().max(200).optional(),
    /** 'bytes' (default) and 'count' sort largest first; 'key' by type, file, line. */
    sort: z.enum(['bytes', 'count', 'key']).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(10_000).default(200),
  }),
  compareSnapshots: z.object({
    baseId: id,
    targetId: id,
    groupBy: z.enum(SNAPSHOT_GROUP_BY),
    /** As getSnapshot's filter, applied to both snapshots. */
    filter: z.string().max(200).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(10_000).default(200),
  }),
  getRetainers: z.object({
    snapshotId: id,
    /** The group: every field given must match (a row of any groupBy can be asked for). */
    type: z.string().min(1).max(500).optional(),
    filename: z.string().min(1).max(1000).optional(),
    line: z.number().int().min(0).optional(),
    /** Paths returned, most objects first. */
    limit: z.number().int().min(1).max(1000).default(20),
  }),
  getLeakSuspects: z.object({ sessionId: id }),
  getSourceLines: z.object({ sessionId: id, snapshotId: id.optional(), baseId: id.optional() }),
  checkSource: z.object({ source: z.string().max(2_000_000), filename: z.string().min(1).max(500) }),
} as const;

export type Schemas = typeof schemas;
export type ArgsOf<K extends keyof Schemas> = z.input<Schemas[K]>;

/** Every call the UI or the CLI can make. */
export interface AppApi {
  appInfo(args: ArgsOf<'appInfo'>): Promise<AppInfo>;
  listSessions(args: ArgsOf<'listSessions'>): Promise<SessionSummary[]>;
  getSession(args: ArgsOf<'getSession'>): Promise<SessionDetail>;
  renameSession(args: ArgsOf<'renameSession'>): Promise<SessionSummary>;
  deleteSession(args: ArgsOf<'deleteSession'>): Promise<void>;
  listScenarios(args: ArgsOf<'listScenarios'>): Promise<ScenarioInfo[]>;
  startRun(args: ArgsOf<'startRun'>): Promise<{ sessionId: number }>;
  stopRun(args: ArgsOf<'stopRun'>): Promise<void>;
  getSeries(args: ArgsOf<'getSeries'>): Promise<SeriesData>;
  getGcEvents(args: ArgsOf<'getGcEvents'>): Promise<GcEvent[]>;

  // ---- Snapshots. Errors: 'not-found' (no such session or snapshot), 'conflict' (takeSnapshot
  // on a session that is not running), 'unavailable' (getRetainers on a snapshot whose graph was
  // not kept: the message gives the stored reason), 'invalid-argument' (bad arguments).

  /**
   * Asks a running session for a snapshot at its next tick (like stopRun, through a flag the run
   * checks); it appears in listSnapshots and a `snapshotTaken` event announces it. Needs a front end
   * that can take snapshots; a request it cannot serve is dropped.
   */
  takeSnapshot(args: ArgsOf<'takeSnapshot'>): Promise<void>;
  /** The session's snapshots, oldest first, with totals and whether the graph was kept. */
  listSnapshots(args: ArgsOf<'listSnapshots'>): Promise<SnapshotInfo[]>;
  /** One snapshot's rows grouped by `groupBy`, filtered, sorted and paged (`totalRows` for a virtual table). */
  getSnapshot(args: ArgsOf<'getSnapshot'>): Promise<SnapshotPage>;
  /**
   * tracemalloc's `target.compare_to(base, key)`: every group of either snapshot with the target's
   * size and count and their diffs, sorted as compare_to sorts (|size_diff|, size, |count_diff|,
   * count, all descending; then the key ascending), paged; plus DevTools' # New / # Deleted (see
   * SnapshotComparePage.identity). The two snapshots may belong to different sessions.
   */
  compareSnapshots(args: ArgsOf<'compareSnapshots'>): Promise<SnapshotComparePage>;
  /** Why the objects of one group are alive: shortest paths from roots, with counts and retained sizes. */
  getRetainers(args: ArgsOf<'getRetainers'>): Promise<RetainersResult>;
  /**
   * Groups (type at file:line) whose count and bytes never decrease across the session's snapshots,
   * grow in at least two steps (so across at least three snapshots), and have tracked objects in
   * generation 2 in the last one; ranked by bytes growth. Untracked-only groups (str, int...) are
   * left out: they never reach generation 2; their containers are the suspects.
   */
  getLeakSuspects(args: ArgsOf<'getLeakSuspects'>): Promise<LeakSuspectsResult>;
  /**
   * Per-line count and bytes of live objects allocated by the session's script (for the Source
   * view's gutter) in `snapshotId` (default: the session's last snapshot), with diffs against
   * `baseId` when given.
   */
  getSourceLines(args: ArgsOf<'getSourceLines'>): Promise<SourceLines>;
  /**
   * For the editor: parses and compiles (does not run) `source`, and returns the first syntax error
   * or unsupported construct with its 1-based line:col, or `{failure: null}` when it would start.
   */
  checkSource(args: ArgsOf<'checkSource'>): Promise<SourceCheck>;
}

export type ApiMethod = keyof AppApi;

// ---- The compiler holds `schemas` and AppApi together (the type-level test is contract.types.test.ts).

/** The argument a one-argument method takes. */
type ArgOf<F> = F extends (args: infer A) => unknown ? A : never;
/** Each assignable to the other, with the same keys (so an optional field on one side only counts too). */
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;

/**
 * Every way a table of zod schemas `S` and an api `Api` disagree, one message per method; `never`
 * when every method has a schema, every schema has a method, and each schema's input is exactly
 * the argument its method takes.
 */
export type ContractMismatch<Api, S> =
  | {
      [K in keyof Api]: K extends keyof S
        ? S[K] extends z.ZodType
          ? SameShape<ArgOf<Api[K]>, z.input<S[K]>> extends true
            ? never
            : `${K & string}: its argument is not its schema's input`
          : `${K & string}: its schema is not a zod schema`
        : `${K & string}: has no schema`;
    }[keyof Api]
  | { [K in keyof S]: K extends keyof Api ? never : `${K & string}: a schema for no AppApi method` }[keyof S];

/** A type-check error naming the method ("does not satisfy the constraint 'never'") whenever they disagree. */
export type Consistent<M extends never> = M;
type _SchemasMatchAppApi = Consistent<ContractMismatch<AppApi, Schemas>>;

/** Every method, in the schemas' order: the same set as AppApi's, as the assertion above holds. */
export const API_METHODS = Object.keys(schemas) as ApiMethod[];

/** Events pushed from the service to every UI. */
export interface AppEvents {
  runProgress: RunProgress;
  /** The run's output as it prints it (batched: at most about a progress interval late). */
  runOutput: RunOutput;
  /** `failure` is there when the run failed with a Python-level reason (not for an internal error). */
  runFinished: { sessionId: number; status: SessionStatus; message: string | null; failure?: RunFailureInfo };
  sessionsChanged: { sessionId: number; change: 'created' | 'updated' | 'deleted' };
  /** A running session stored a snapshot. */
  snapshotTaken: SnapshotInfo;
}
export type AppEventName = keyof AppEvents;
export type AppEvent = { [K in AppEventName]: { name: K; payload: AppEvents[K] } }[AppEventName];

export type ErrorKind = 'invalid-argument' | 'not-found' | 'conflict' | 'unavailable' | 'internal';
export interface ApiError {
  kind: ErrorKind;
  message: string;
  /** The argument field at fault, as a dotted path (e.g. `settings.thresholds.0`). */
  field?: string;
}
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** A typed error a service method throws; the transports turn it into `{ok: false}`. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Parses `args` with the method's schema; throws an AppError naming the first bad field. */
export function parseArgs<K extends ApiMethod>(method: K, args: unknown): z.output<Schemas[K]> {
  const schema = schemas[method];
  if (!schema) throw new AppError('invalid-argument', `unknown method ${String(method)}`);
  const r = schema.safeParse(args ?? {});
  if (r.success) return r.data as z.output<Schemas[K]>;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new AppError('invalid-argument', field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}

export function toReply<T>(run: () => T | Promise<T>): Promise<Reply<T>> {
  return Promise.resolve()
    .then(run)
    .then(
      (value) => ({ ok: true as const, value }),
      (e: unknown) => ({ ok: false as const, error: toApiError(e) }),
    );
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof AppError) return { kind: e.kind, message: e.message, ...(e.field ? { field: e.field } : {}) };
  return { kind: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export function unwrap<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.value;
  throw new AppError(reply.error.kind, reply.error.message, reply.error.field);
}

/**
 * The transport under the UI: the preload exposes one as `window.api` over Electron IPC,
 * and the browser twin's client implements the same over HTTP + Server-Sent Events.
 */
export interface ApiBridge {
  call(method: ApiMethod, args: unknown): Promise<Reply<unknown>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** What AppApi's method `K` resolves to. */
export type ResultOf<K extends ApiMethod> = Awaited<ReturnType<AppApi[K]>>;

/**
 * An AppApi over any bridge: every method is `bridge.call(method, args)`, unwrapped. The reply
 * comes off the wire, so its value is taken as the method's result type (the service produced it);
 * every method is there because API_METHODS is exactly AppApi's methods.
 */
export function createApi(bridge: ApiBridge): AppApi {
  const method =
    <K extends ApiMethod>(m: K) =>
    async (args: ArgsOf<K>): Promise<ResultOf<K>> =>
      unwrap(await bridge.call(m, args ?? {})) as ResultOf<K>;
  const api: Partial<Record<ApiMethod, unknown>> = {};
  for (const m of API_METHODS) api[m] = method(m);
  return api as AppApi;
}

/** The browser twin's HTTP protocol (bound to 127.0.0.1; every request carries the per-start token). */
export const HTTP = {
  /** POST `${callPath}${method}` with the JSON args as body; the reply is a JSON `Reply`. */
  callPath: '/api/call/',
  /** GET: a Server-Sent Events stream of `AppEvent`s (`event: <name>`, `data: <payload JSON>`). */
  eventsPath: '/api/events',
  /** The token header; the events stream takes it as the `token` query parameter instead. */
  tokenHeader: 'x-pygc-token',
  /** The served index.html carries the token in `<meta name="pygc-token" content="…">`. */
  tokenMeta: 'pygc-token',
} as const;
