// The Run form: its fields as typed text, validation with messages that name the field,
// and the mapping of a server error's `field` back onto the form.
import { defaultRunSettings, RUN_SETTING_LIMITS as L, type Profile, type RunSettings } from '../../src-main/common/domain';

// The contract's bounds, in the form's units.
export const THRESHOLD_MAX = L.threshold.max;
export const STEP_BUDGET_MIN = L.stepBudget.min;
export const STEP_BUDGET_MAX = L.stepBudget.max;
const MiB = 1024 * 1024;
export const MEMORY_LIMIT_MAX_MIB = L.memoryLimitBytes.max / MiB;
export const SNAPSHOT_EVERY_MIN_MS = L.snapshotEveryMs.min;
export const SNAPSHOT_EVERY_MAX_MS = L.snapshotEveryMs.max;

/** The selection value of "your own script" in the scenario list (no scenario id contains ':'). */
export const USER_SCRIPT_ID = ':file';
/** The contract's limit on a script's source. */
export const MAX_SOURCE_CHARS = 2_000_000;

export interface UserScript {
  filename: string;
  source: string;
}

export type FormField = 'scenarioId' | 'threshold0' | 'threshold1' | 'threshold2' | 'stepBudget' | 'memoryLimitMiB' | 'snapshotEveryMs';
export type FormErrors = Partial<Record<FormField, string>>;

export interface RunFormValues {
  /** A built-in scenario's id, or USER_SCRIPT_ID. */
  scenarioId: string;
  userScript: UserScript | null;
  profile: Profile;
  thresholds: [string, string, string];
  stepBudget: string;
  /** Empty = no limit. */
  memoryLimitMiB: string;
  /** Automatic snapshots every N simulated ms; empty = off. */
  snapshotEveryMs: string;
  snapshotAtFullCollection: boolean;
}

/** A positive decimal typed by a person (`0.5`, `1,000`); null when it is not one. */
export function parseDecimal(text: string): number | null {
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  if (!/^\+?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** An integer typed by a person: digits with optional `,` `_` or space separators and a sign. */
export function parseWholeNumber(text: string): number | null {
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  if (!/^[-+]?\d+$/.test(cleaned)) return null;
  return Number(cleaned);
}

function checkRange(label: string, text: string, min: number, max: number): string | undefined {
  const bounds = `between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}`;
  if (text.trim() === '') return `${label} is required (a whole number ${bounds})`;
  const value = parseWholeNumber(text);
  if (value === null) return `${label} must be a whole number ${bounds}`;
  if (value < min || value > max) return `${label} must be ${bounds}`;
  return undefined;
}

/** The form as it opens: the contract's default settings, as text. */
export function defaultRunForm(profile?: Profile): RunFormValues {
  const d = defaultRunSettings(profile);
  return {
    scenarioId: '',
    userScript: null,
    profile: d.profile,
    thresholds: d.thresholds.map(String) as [string, string, string],
    stepBudget: d.stepBudget.toLocaleString('en-US'),
    memoryLimitMiB: d.memoryLimitBytes === null ? '' : String(d.memoryLimitBytes / MiB),
    snapshotEveryMs: d.snapshotEveryMs === null ? '' : String(d.snapshotEveryMs),
    snapshotAtFullCollection: d.snapshotAtFullCollection ?? false,
  };
}

export function validateRunForm(values: RunFormValues): FormErrors {
  const errors: FormErrors = {};
  if (!values.scenarioId) errors.scenarioId = 'Choose a scenario to run';
  else if (values.scenarioId === USER_SCRIPT_ID && !values.userScript) errors.scenarioId = 'Open a .py file to run';
  values.thresholds.forEach((text, i) => {
    const message = checkRange(`Threshold ${i}`, text, 0, THRESHOLD_MAX);
    if (message) errors[`threshold${i as 0 | 1 | 2}`] = message;
  });
  const budget = checkRange('Step budget', values.stepBudget, STEP_BUDGET_MIN, STEP_BUDGET_MAX);
  if (budget) errors.stepBudget = budget;
  if (values.memoryLimitMiB.trim() !== '') {
    const limit = checkRange('Memory limit (MiB)', values.memoryLimitMiB, 1, MEMORY_LIMIT_MAX_MIB);
    if (limit) errors.memoryLimitMiB = limit;
  }
  if (values.snapshotEveryMs.trim() !== '') {
    const every = parseDecimal(values.snapshotEveryMs);
    if (every === null || every < SNAPSHOT_EVERY_MIN_MS || every > SNAPSHOT_EVERY_MAX_MS) {
      errors.snapshotEveryMs = `Snapshot interval must be a number of ms between ${SNAPSHOT_EVERY_MIN_MS} and ${SNAPSHOT_EVERY_MAX_MS.toLocaleString('en-US')}`;
    }
  }
  return errors;
}

/** The settings to send; call only when `validateRunForm` found nothing. */
export function toRunSettings(values: RunFormValues): RunSettings {
  const limit = values.memoryLimitMiB.trim() === '' ? null : parseWholeNumber(values.memoryLimitMiB)! * MiB;
  return {
    profile: values.profile,
    thresholds: values.thresholds.map((t) => parseWholeNumber(t)!) as [number, number, number],
    stepBudget: parseWholeNumber(values.stepBudget)!,
    memoryLimitBytes: limit,
    snapshotEveryMs: values.snapshotEveryMs.trim() === '' ? null : parseDecimal(values.snapshotEveryMs)!,
    ...(values.snapshotAtFullCollection ? { snapshotAtFullCollection: true } : {}),
  };
}

/**
 * What Run starts for the editor's text: the user's script as edited; a built-in scenario by id
 * while its text is unchanged, else the edited copy as `<id>.py`, named so the session shows it was edited.
 */
export function editorRunTarget(
  values: RunFormValues,
  scenario: { id: string; title: string; source: string } | null,
  text: string,
): { scenarioId: string } | { source: string; filename: string; name?: string } {
  if (values.scenarioId === USER_SCRIPT_ID && values.userScript) return { source: text, filename: values.userScript.filename };
  if (scenario && scenario.id === values.scenarioId && text !== scenario.source) {
    return { source: text, filename: `${scenario.id}.py`, name: `${scenario.title} (edited)` };
  }
  return { scenarioId: values.scenarioId };
}

/** Checks a file the user opened; returns a message when it cannot be run. */
export function checkUserScript(filename: string, source: string): string | null {
  if (!/\.py$/i.test(filename)) return `${filename} is not a Python file (.py)`;
  if (source.length > MAX_SOURCE_CHARS) return `${filename} is too large (more than ${MAX_SOURCE_CHARS.toLocaleString('en-US')} characters)`;
  return null;
}

const SERVER_FIELDS: Record<string, { field: FormField; label: string }> = {
  scenarioId: { field: 'scenarioId', label: 'Scenario' },
  source: { field: 'scenarioId', label: 'Script' },
  filename: { field: 'scenarioId', label: 'Script file name' },
  'settings.thresholds.0': { field: 'threshold0', label: 'Threshold 0' },
  'settings.thresholds.1': { field: 'threshold1', label: 'Threshold 1' },
  'settings.thresholds.2': { field: 'threshold2', label: 'Threshold 2' },
  'settings.stepBudget': { field: 'stepBudget', label: 'Step budget' },
  'settings.memoryLimitBytes': { field: 'memoryLimitMiB', label: 'Memory limit' },
  'settings.snapshotEveryMs': { field: 'snapshotEveryMs', label: 'Snapshot interval' },
};

/**
 * Places a server error on its form field, phrased like the local messages
 * (`settings.thresholds.0: must be …` becomes `Threshold 0 must be …`).
 */
export function serverFieldError(field: string | undefined, message: string): { field: FormField; message: string } | null {
  if (!field) return null;
  const target = SERVER_FIELDS[field];
  if (!target) return null;
  const prefix = `${field}: `;
  const detail = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return { field: target.field, message: `${target.label} ${detail}` };
}
