// AppApi, implemented once: Electron IPC, the browser twin and the CLI all sit on this.
import { basename } from 'node:path';
import {
  API_METHODS,
  AppError,
  parseArgs,
  toReply,
  type ApiMethod,
  type AppApi,
  type AppEvent,
  type AppEventName,
  type AppEvents,
  type ArgsOf,
  type Reply,
} from '../common/contract';
import type {
  AppInfo,
  GcEvent,
  LeakSuspectsResult,
  RetainersResult,
  ScenarioInfo,
  SeriesData,
  SessionDetail,
  SessionSummary,
  SnapshotComparePage,
  SnapshotInfo,
  SnapshotPage,
  SourceCheck,
  SourceLines,
} from '../common/domain';
import { checkSyntax } from '../python';
import type { Store } from './db/store';
import { listScenarios } from './scenarios';
import { SnapshotQueries } from './snapshots/queries';
import { inProcessAnalysis, type SnapshotAnalysis } from './workers/analysis';
import type { RunHandle, RunLauncher } from './workers/launcher';

export interface ServiceOptions {
  store: Store;
  /** The database file runs write to from their own connections. */
  dbFile: string;
  dataDir: string;
  scenariosDir: string;
  launcher: RunLauncher;
  version: string;
  desktop: boolean;
  /** Runs at the same time; more are refused as a conflict. */
  maxConcurrentRuns?: number;
  tickEvery?: number;
  /** Where retainer and leak-suspect analysis runs; default in-process (the app gives a worker). */
  analysis?: SnapshotAnalysis;
}

export class Service implements AppApi {
  private readonly listeners = new Set<(event: AppEvent) => void>();
  private readonly runs = new Map<number, RunHandle>();
  private readonly snapshots: SnapshotQueries;
  private readonly analysis: SnapshotAnalysis;

  constructor(private readonly o: ServiceOptions) {
    this.snapshots = new SnapshotQueries(o.store.db);
    this.analysis = o.analysis ?? inProcessAnalysis(this.snapshots);
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<K extends AppEventName>(name: K, payload: AppEvents[K]): void {
    const event = { name, payload } as AppEvent;
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // One broken listener (a closed window, a dropped stream) must not stop the others.
      }
    }
  }

  async appInfo(args: ArgsOf<'appInfo'>): Promise<AppInfo> {
    parseArgs('appInfo', args);
    return { version: this.o.version, dataDir: this.o.dataDir, desktop: this.o.desktop };
  }

  async listSessions(args: ArgsOf<'listSessions'>): Promise<SessionSummary[]> {
    const a = parseArgs('listSessions', args);
    this.markOrphansInterrupted();
    return this.o.store.listSessions(a.search);
  }

  /** Runs whose recording process is gone (a killed CLI, a crashed window) are shown as interrupted at once, not at the next start. */
  private markOrphansInterrupted(): void {
    for (const sessionId of this.o.store.markRunningInterrupted()) this.emit('sessionsChanged', { sessionId, change: 'updated' });
  }

  async getSession(args: ArgsOf<'getSession'>): Promise<SessionDetail> {
    const a = parseArgs('getSession', args);
    this.markOrphansInterrupted();
    return this.o.store.getDetail(a.id) ?? notFound(a.id);
  }

  async renameSession(args: ArgsOf<'renameSession'>): Promise<SessionSummary> {
    const a = parseArgs('renameSession', args);
    if (!this.o.store.renameSession(a.id, a.name)) notFound(a.id);
    this.emit('sessionsChanged', { sessionId: a.id, change: 'updated' });
    return this.o.store.getSummary(a.id)!;
  }

  async deleteSession(args: ArgsOf<'deleteSession'>): Promise<void> {
    const a = parseArgs('deleteSession', args);
    if (this.runs.has(a.id)) throw new AppError('conflict', `session ${a.id} is still running; stop it first`, 'id');
    // Another process (the CLI, another window) may be recording it: refused while its owner lives.
    const owner = this.o.store.recordingOwner(a.id);
    if (owner) throw new AppError('conflict', `session ${a.id} is being recorded by another process (pid ${owner.pid}); stop that run first`, 'id');
    if (!this.o.store.deleteSession(a.id)) notFound(a.id);
    this.emit('sessionsChanged', { sessionId: a.id, change: 'deleted' });
  }

  async listScenarios(args: ArgsOf<'listScenarios'>): Promise<ScenarioInfo[]> {
    parseArgs('listScenarios', args);
    return listScenarios(this.o.scenariosDir);
  }

  async startRun(args: ArgsOf<'startRun'>): Promise<{ sessionId: number }> {
    const a = parseArgs('startRun', args);
    let source: string;
    let filename: string;
    let scenario: string;
    let name: string;
    if (a.scenarioId !== undefined) {
      const found = listScenarios(this.o.scenariosDir).find((s) => s.id === a.scenarioId);
      if (!found) throw new AppError('not-found', `no built-in scenario "${a.scenarioId}"`, 'scenarioId');
      source = found.source;
      filename = `${found.id}.py`;
      scenario = found.id;
      name = a.name ?? found.title;
    } else {
      if (a.filename === undefined) throw new AppError('invalid-argument', 'filename: required with source', 'filename');
      source = a.source!;
      filename = a.filename;
      scenario = basename(a.filename);
      name = a.name ?? scenario;
    }
    const limit = this.o.maxConcurrentRuns ?? 4;
    if (this.runs.size >= limit) throw new AppError('conflict', `${limit} runs are already in progress; stop one first`);

    const sessionId = this.o.store.createSession({ name, scenario, source, settings: a.settings });
    this.emit('sessionsChanged', { sessionId, change: 'created' });
    const handle = this.o.launcher.start(
      { dbFile: this.o.dbFile, sessionId, source, filename, settings: a.settings, ...(this.o.tickEvery ? { tickEvery: this.o.tickEvery } : {}) },
      {
        onProgress: (progress) => this.emit('runProgress', progress),
        onSnapshot: (snapshot) => this.emit('snapshotTaken', snapshot),
        onOutput: (text, stream) => this.emit('runOutput', { sessionId, stream, text }),
        onFinished: (end) => {
          this.runs.delete(sessionId);
          // A worker that died before finishing its own bookkeeping leaves the row 'running'.
          // Writing that may fail too (a full disk): it must never throw out of this callback.
          try {
            const row = this.o.store.getSummary(sessionId);
            if (row?.status === 'running') {
              const detail = this.o.store.getDetail(sessionId)!;
              this.o.store.finishSession(sessionId, {
                status: end.status,
                message: end.message,
                output: detail.output,
                durationNs: detail.durationNs,
                peakLiveBytes: detail.peakLiveBytes,
                gcTotals: detail.gcTotals,
              });
            }
          } catch {
            try {
              this.o.store.failSession(sessionId, end.message ?? 'the run failed');
            } catch {
              // Left 'running' with this process as owner: shown as interrupted once it exits.
            }
          }
          this.emit('runFinished', { sessionId, status: end.status, message: end.message, ...(end.failure ? { failure: end.failure } : {}) });
          this.emit('sessionsChanged', { sessionId, change: 'updated' });
        },
      },
    );
    this.runs.set(sessionId, handle);
    return { sessionId };
  }

  async stopRun(args: ArgsOf<'stopRun'>): Promise<void> {
    const a = parseArgs('stopRun', args);
    const run = this.runs.get(a.sessionId);
    if (run) {
      run.stop();
      return;
    }
    if (!this.o.store.getSummary(a.sessionId)) notFound(a.sessionId);
    // Already finished: stopping is a no-op.
  }

  async getSeries(args: ArgsOf<'getSeries'>): Promise<SeriesData> {
    const a = parseArgs('getSeries', args);
    if (a.from !== undefined && a.to !== undefined && a.from > a.to) throw new AppError('invalid-argument', 'to: must not be before from', 'to');
    if (!this.o.store.getSummary(a.sessionId)) notFound(a.sessionId);
    return this.o.store.getSeries(a.sessionId, a.buckets, a.from, a.to);
  }

  async getGcEvents(args: ArgsOf<'getGcEvents'>): Promise<GcEvent[]> {
    const a = parseArgs('getGcEvents', args);
    if (!this.o.store.getSummary(a.sessionId)) notFound(a.sessionId);
    return this.o.store.getGcEvents(a.sessionId, a.limit, a.from, a.to);
  }

  async takeSnapshot(args: ArgsOf<'takeSnapshot'>): Promise<void> {
    const a = parseArgs('takeSnapshot', args);
    const run = this.runs.get(a.sessionId);
    if (!run) {
      if (!this.o.store.getSummary(a.sessionId)) notFound(a.sessionId, 'sessionId');
      throw new AppError('conflict', `session ${a.sessionId} is not running; snapshots are taken during a run`, 'sessionId');
    }
    if (!run.snapshot) throw new AppError('unavailable', 'this run cannot take snapshots on request', 'sessionId');
    run.snapshot();
  }

  async listSnapshots(args: ArgsOf<'listSnapshots'>): Promise<SnapshotInfo[]> {
    const a = parseArgs('listSnapshots', args);
    if (!this.o.store.getSummary(a.sessionId)) notFound(a.sessionId, 'sessionId');
    return this.snapshots.list(a.sessionId);
  }

  async getSnapshot(args: ArgsOf<'getSnapshot'>): Promise<SnapshotPage> {
    return this.snapshots.getSnapshot(parseArgs('getSnapshot', args));
  }

  async compareSnapshots(args: ArgsOf<'compareSnapshots'>): Promise<SnapshotComparePage> {
    return this.snapshots.compare(parseArgs('compareSnapshots', args));
  }

  async getRetainers(args: ArgsOf<'getRetainers'>): Promise<RetainersResult> {
    return this.analysis.retainers(parseArgs('getRetainers', args));
  }

  async getLeakSuspects(args: ArgsOf<'getLeakSuspects'>): Promise<LeakSuspectsResult> {
    const a = parseArgs('getLeakSuspects', args);
    if (!this.o.store.getSummary(a.sessionId)) notFound(a.sessionId, 'sessionId');
    return this.analysis.leakSuspects(a.sessionId);
  }

  async getSourceLines(args: ArgsOf<'getSourceLines'>): Promise<SourceLines> {
    const a = parseArgs('getSourceLines', args);
    if (!this.o.store.getSummary(a.sessionId)) notFound(a.sessionId, 'sessionId');
    return this.snapshots.sourceLines(a.sessionId, a.snapshotId, a.baseId);
  }

  async checkSource(args: ArgsOf<'checkSource'>): Promise<SourceCheck> {
    const a = parseArgs('checkSource', args);
    const failure = checkSyntax(a.source, a.filename);
    if (!failure) return { failure: null };
    const loc = failure.location;
    return { failure: { kind: failure.kind, message: failure.message, location: loc ? { filename: loc.filename, line: loc.line, col: loc.col } : null } };
  }

  /** Ids of the runs in progress. */
  activeRuns(): number[] {
    return [...this.runs.keys()];
  }

  /** Stops every run (see stopAll) and ends the analysis worker. */
  async close(timeoutMs = 5000): Promise<void> {
    await this.stopAll(timeoutMs);
    await this.analysis.close();
  }

  /** Stops every run, waits up to `timeoutMs` for them to finish, then ends those still going. */
  async stopAll(timeoutMs = 5000): Promise<void> {
    const pending = [...this.runs.values()];
    for (const r of pending) r.stop();
    const allDone = Promise.all(pending.map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      allDone.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      for (const r of pending) r.kill();
      await allDone;
    }
  }
}

function notFound(id: number, field = 'id'): never {
  throw new AppError('not-found', `no session ${id}`, field);
}

export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && (API_METHODS as string[]).includes(method);
}

/** One call from a transport: an unknown method or bad arguments become a typed error reply. */
export function dispatch(service: AppApi, method: unknown, args: unknown): Promise<Reply<unknown>> {
  return toReply(() => {
    if (!isApiMethod(method)) throw new AppError('invalid-argument', `unknown method ${JSON.stringify(method)}`, 'method');
    return (service[method] as (a: unknown) => Promise<unknown>).call(service, args ?? {});
  });
}
