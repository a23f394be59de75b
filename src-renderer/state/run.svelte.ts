import type { AppApi, AppEvent } from '../../src-main/common/contract';
import { DEFAULT_THRESHOLDS, type Profile, type RunProgress, type ScenarioInfo } from '../../src-main/common/domain';
import { errorField, errorMessage } from './errors';
import {
  checkUserScript,
  DEFAULT_STEP_BUDGET,
  runTarget,
  serverFieldError,
  USER_SCRIPT_ID,
  toRunSettings,
  validateRunForm,
  type FormErrors,
  type FormField,
  type RunFormValues,
} from './run-form';

export interface ActiveRun {
  sessionId: number;
  scenarioTitle: string;
  progress: RunProgress | null;
  stopping: boolean;
  /** Snapshots stored so far (announced by `snapshotTaken`). */
  snapshots: number;
  snapshotError: string | null;
}

export class RunState {
  scenarios = $state.raw<ScenarioInfo[]>([]);
  scenariosError = $state<string | null>(null);
  scenariosLoaded = $state(false);
  form = $state<RunFormValues>({
    scenarioId: '',
    userScript: null,
    profile: '3.11',
    thresholds: DEFAULT_THRESHOLDS['3.11'].map(String) as [string, string, string],
    stepBudget: DEFAULT_STEP_BUDGET.toLocaleString('en-US'),
    memoryLimitMiB: '',
    snapshotEveryMs: '',
    snapshotAtFullCollection: false,
  });
  touched = $state<Partial<Record<FormField, boolean>>>({});
  submitted = $state(false);
  serverErrors = $state<FormErrors>({});
  startError = $state<string | null>(null);
  starting = $state(false);
  active = $state<ActiveRun | null>(null);

  readonly localErrors = $derived(validateRunForm(this.form));
  readonly selected = $derived.by((): ScenarioInfo | null => {
    const script = this.form.userScript;
    if (this.form.scenarioId === USER_SCRIPT_ID && script) {
      return { id: USER_SCRIPT_ID, title: script.filename, summary: 'Your script', source: script.source };
    }
    return this.scenarios.find((s) => s.id === this.form.scenarioId) ?? null;
  });
  scriptError = $state<string | null>(null);
  readonly visibleErrors = $derived.by(() => {
    const shown: FormErrors = {};
    for (const [field, message] of Object.entries(this.localErrors) as [FormField, string][]) {
      if (this.submitted || this.touched[field]) shown[field] = message;
    }
    return { ...this.serverErrors, ...shown };
  });

  /** Runs that ended before `startRun` answered (a short scenario can finish first). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
  private readonly finishedEarly = new Set<number>();

  constructor(
    private readonly api: AppApi,
    private readonly onRunEnded: (sessionId: number) => void,
  ) {}

  async loadScenarios(): Promise<void> {
    try {
      this.scenarios = await this.api.listScenarios({});
      this.scenariosError = null;
      if (!this.form.scenarioId && this.scenarios.length > 0) this.form.scenarioId = this.scenarios[0]!.id;
    } catch (e) {
      this.scenariosError = errorMessage(e);
    } finally {
      this.scenariosLoaded = true;
    }
  }

  useScript(filename: string, source: string): void {
    const problem = checkUserScript(filename, source);
    this.scriptError = problem;
    if (problem) return;
    this.form.userScript = { filename, source };
    this.form.scenarioId = USER_SCRIPT_ID;
    this.edited('scenarioId');
  }

  setProfile(profile: Profile): void {
    this.form.profile = profile;
    this.form.thresholds = DEFAULT_THRESHOLDS[profile].map(String) as [string, string, string];
    for (const f of ['threshold0', 'threshold1', 'threshold2'] as const) delete this.serverErrors[f];
  }

  edited(field: FormField): void {
    this.touched[field] = true;
    if (this.serverErrors[field]) delete this.serverErrors[field];
    this.startError = null;
  }

  async start(): Promise<void> {
    if (this.active || this.starting) return;
    this.submitted = true;
    this.serverErrors = {};
    this.startError = null;
    if (Object.keys(this.localErrors).length > 0) return;
    this.starting = true;
    const title = this.selected?.title ?? this.form.scenarioId;
    try {
      const { sessionId } = await this.api.startRun({ ...runTarget(this.form), settings: toRunSettings(this.form) });
      this.active = { sessionId, scenarioTitle: title, progress: null, stopping: false, snapshots: 0, snapshotError: null };
      this.submitted = false;
      this.touched = {};
      if (this.finishedEarly.has(sessionId)) this.finish(sessionId);
    } catch (e) {
      const placed = serverFieldError(errorField(e), errorMessage(e));
      if (placed) this.serverErrors = { [placed.field]: placed.message };
      else this.startError = errorMessage(e);
    } finally {
      this.starting = false;
    }
  }

  async stop(): Promise<void> {
    const run = this.active;
    if (!run || run.stopping) return;
    run.stopping = true;
    try {
      await this.api.stopRun({ sessionId: run.sessionId });
    } catch (e) {
      run.stopping = false;
      this.startError = `Could not stop the run: ${errorMessage(e)}`;
    }
  }

  /** Asks the running session for a snapshot at its next tick. */
  async snapshot(): Promise<void> {
    const run = this.active;
    if (!run) return;
    run.snapshotError = null;
    try {
      await this.api.takeSnapshot({ sessionId: run.sessionId });
    } catch (e) {
      run.snapshotError = `Could not take a snapshot: ${errorMessage(e)}`;
    }
  }

  handleEvent(event: AppEvent): void {
    if (event.name === 'snapshotTaken') {
      if (this.active && event.payload.sessionId === this.active.sessionId) this.active.snapshots++;
    } else if (event.name === 'runProgress') {
      if (this.active && event.payload.sessionId === this.active.sessionId) this.active.progress = event.payload;
    } else if (event.name === 'runFinished') {
      if (this.active?.sessionId === event.payload.sessionId) this.finish(event.payload.sessionId);
      else if (this.starting) this.finishedEarly.add(event.payload.sessionId);
    }
  }

  private finish(sessionId: number): void {
    this.finishedEarly.delete(sessionId);
    this.active = null;
    this.onRunEnded(sessionId);
  }
}
