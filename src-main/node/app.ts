// Opening the app's backend: data folder, database, the service, and the first-launch demo.
import { mkdirSync } from 'node:fs';
import { defaultRunSettings, type RunSettings, type ScenarioInfo } from '../common/domain';
import { openDatabase } from './db/open';
import { databaseFile } from './db/paths';
import { Store } from './db/store';
import { listScenarios } from './scenarios';
import { Service } from './service';
import { workerAnalysis } from './workers/analysis';
import type { RunLauncher } from './workers/launcher';
import { version } from '../../package.json';

export interface AppOptions {
  dataDir: string;
  /** The database file; default pygc-lab.sqlite in dataDir (the CLI's --db chooses another). */
  dbFile?: string;
  /**
   * Mark sessions left 'running' by a previous process as interrupted; default true. The app
   * does; the CLI does not, since the app may be running them right now.
   */
  recoverInterrupted?: boolean;
  scenariosDir: string;
  launcher: RunLauncher;
  desktop: boolean;
  /** Record a demo session when the database was just created; default true. */
  demoOnFirstLaunch?: boolean;
  tickEvery?: number;
  /** The built analysis worker (out/main/analysis-worker.js): snapshot analysis runs there; default in-process. */
  analysisWorkerFile?: string;
}

export interface OpenApp {
  service: Service;
  store: Store;
  dbFile: string;
  /** The demo session recorded on first launch, if any. */
  demoSessionId: number | null;
  close(): Promise<void>;
}

/** What the first-launch demo runs with: the contract's defaults. */
export const DEFAULT_SETTINGS: RunSettings = defaultRunSettings();

/** Opens the backend; throws DatabaseRefusedError (file untouched) for a newer or damaged database. */
export async function openApp(o: AppOptions): Promise<OpenApp> {
  mkdirSync(o.dataDir, { recursive: true });
  const dbFile = o.dbFile ?? databaseFile(o.dataDir);
  const { db, created } = openDatabase(dbFile);
  const store = new Store(db);
  if (o.recoverInterrupted ?? true) store.markRunningInterrupted();
  const service = new Service({
    store,
    dbFile,
    dataDir: o.dataDir,
    scenariosDir: o.scenariosDir,
    launcher: o.launcher,
    version,
    desktop: o.desktop,
    ...(o.tickEvery ? { tickEvery: o.tickEvery } : {}),
    ...(o.analysisWorkerFile ? { analysis: workerAnalysis(o.analysisWorkerFile, dbFile) } : {}),
  });

  let demoSessionId: number | null = null;
  const demo = created && (o.demoOnFirstLaunch ?? true) ? pickDemoScenario(listScenarios(o.scenariosDir)) : undefined;
  if (demo) {
    ({ sessionId: demoSessionId } = await service.startRun({ scenarioId: demo.id, name: `Demo: ${demo.title}`, settings: DEFAULT_SETTINGS }));
  }

  return {
    service,
    store,
    dbFile,
    demoSessionId,
    async close() {
      await service.close();
      // Runs still marked running after this were not finished by this process: others may mark them interrupted.
      store.releaseOwnership();
      db.close();
    },
  };
}

export function pickDemoScenario(scenarios: ScenarioInfo[]): ScenarioInfo | undefined {
  return (
    scenarios.find((s) => /request[-_]loop/.test(s.id)) ??
    scenarios.find((s) => /leak(ing|y)?[-_]cache|cache[-_]lru/.test(s.id)) ??
    scenarios[0]
  );
}
