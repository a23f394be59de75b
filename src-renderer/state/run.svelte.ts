import type { AppApi, AppEvent } from '../../src-main/common/contract';
import { DEFAULT_THRESHOLDS, type Profile, type RunProgress, type ScenarioInfo, type SourceCheckFailure } from '../../src-main/common/domain';
import { errorField, errorMessage } from './errors';
import {
  checkUserScript,
  defaultRunForm,
  editorRunTarget,
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

const userScriptKey = (filename: string, source: string) => `${USER_SCRIPT_ID}\n${filename}\n${source}`;

export class RunState {
  scenarios = $state.raw<ScenarioInfo[]>([]);
  scenariosError = $state<string | null>(null);
  scenariosLoaded = $state(false);
  form = $state<RunFormValues>(defaultRunForm());
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

  /** The editor's text: what Run runs. Follows the selection; edits are kept per scenario or file. */
  editorText = $state('');
  /** The latest checkSource answer and the text it was for. */
  check = $state.raw<{ source: string; failure: SourceCheckFailure | null } | null>(null);
  checkError = $state<string | null>(null);
  /** The check's failure when it is about the text now in the editor. */
  readonly editorFailure = $derived(this.check && this.check.source === this.editorText ? this.check.failure : null);
  readonly editorChecked = $derived(this.check?.source === this.editorText);
  readonly editorEdited = $derived(!!this.selected && this.editorText !== this.selected.source);
  readonly editorFilename = $derived.by(() => {
    const s = this.selected;
    if (!s) return 'script.py';
    return s.id === USER_SCRIPT_ID ? s.title : `${s.id}.py`;
  });
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- edits kept across selections, read only on selection change
  private readonly drafts = new Map<string, string>();
  private editorKey: string | null = null;
  private checkTimer: ReturnType<typeof setTimeout> | null = null;

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
    // Opening a file (again) shows the file as it is on disk, not earlier edits of it.
    const key = userScriptKey(filename, source);
    this.drafts.delete(key);
    if (this.editorKey === key) this.editorKey = null;
    this.form.userScript = { filename, source };
    this.form.scenarioId = USER_SCRIPT_ID;
    this.edited('scenarioId');
  }

  /** Puts the selected scenario's (or file's) text, or its earlier edits, in the editor. */
  syncEditor(): void {
    const s = this.selected;
    const key = s ? (s.id === USER_SCRIPT_ID ? userScriptKey(s.title, s.source) : s.id) : null;
    if (key === this.editorKey) return;
    if (this.editorKey !== null) this.drafts.set(this.editorKey, this.editorText);
    this.editorKey = key;
    this.editorText = key === null ? '' : (this.drafts.get(key) ?? s!.source);
    this.scheduleCheck(0);
  }

  editSource(text: string): void {
    if (text === this.editorText) return;
    this.editorText = text;
    this.startError = null;
    this.scheduleCheck(300);
  }

  /** Back to the scenario's (or file's) own text. */
  revertSource(): void {
    if (this.selected) this.editSource(this.selected.source);
  }

  private scheduleCheck(delayMs: number): void {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => {
      this.checkTimer = null;
      void this.checkNow();
    }, delayMs);
  }

  /** Checks the editor's text (unless already checked) and returns the failure, if any. */
  async checkNow(): Promise<SourceCheckFailure | null> {
    const source = this.editorText;
    if (!this.selected) return null;
    if (this.check?.source === source) return this.check.failure;
    try {
      const { failure } = await this.api.checkSource({ source, filename: this.editorFilename });
      this.checkError = null;
      if (this.editorText === source) this.check = { source, failure };
      return failure;
    } catch (e) {
      this.checkError = `Could not check the script: ${errorMessage(e)}`;
      return null;
    }
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
    try {
      if (await this.checkNow()) return;
      const target = editorRunTarget(this.form, this.selected, this.editorText);
      const title = 'name' in target && target.name ? target.name : (this.selected?.title ?? this.form.scenarioId);
      const { sessionId } = await this.api.startRun({ ...target, settings: toRunSettings(this.form) });
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
