import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../src-main/common/domain';
import {
  checkUserScript,
  defaultRunForm,
  parseDecimal,
  parseWholeNumber,
  editorRunTarget,
  serverFieldError,
  toRunSettings,
  USER_SCRIPT_ID,
  validateRunForm,
  type RunFormValues,
} from './run-form';

const valid: RunFormValues = {
  scenarioId: 'cycles',
  userScript: null,
  profile: '3.11',
  thresholds: ['700', '10', '10'],
  stepBudget: '1,000,000',
  memoryLimitMiB: '',
  snapshotEveryMs: '',
  snapshotAtFullCollection: false,
};

describe('defaultRunForm', () => {
  it("opens on the contract's default settings, for either profile", () => {
    expect(toRunSettings({ ...defaultRunForm(), scenarioId: 'cycles' })).toEqual(defaultRunSettings());
    expect(toRunSettings({ ...defaultRunForm('3.13'), scenarioId: 'cycles' })).toEqual(defaultRunSettings('3.13'));
    expect(validateRunForm({ ...defaultRunForm(), scenarioId: 'cycles' })).toEqual({});
  });
});

describe('parseWholeNumber', () => {
  it('accepts digits with separators and rejects the rest', () => {
    expect(parseWholeNumber(' 1_000 ')).toBe(1000);
    expect(parseWholeNumber('1,234,567')).toBe(1234567);
    expect(parseWholeNumber('-5')).toBe(-5);
    expect(parseWholeNumber('1.5')).toBeNull();
    expect(parseWholeNumber('1e6')).toBeNull();
    expect(parseWholeNumber('')).toBeNull();
  });
});

describe('validateRunForm', () => {
  it('accepts a valid form', () => expect(validateRunForm(valid)).toEqual({}));

  it('names the threshold that is out of range', () => {
    const errors = validateRunForm({ ...valid, thresholds: ['700', '2000000', '-1'] });
    expect(errors).toEqual({
      threshold1: 'Threshold 1 must be between 0 and 1,000,000',
      threshold2: 'Threshold 2 must be between 0 and 1,000,000',
    });
  });

  it('accepts both bounds and rejects non-numbers and blanks', () => {
    expect(validateRunForm({ ...valid, thresholds: ['0', '1000000', '10'] })).toEqual({});
    const errors = validateRunForm({ ...valid, thresholds: ['abc', '', '10'] });
    expect(errors.threshold0).toBe('Threshold 0 must be a whole number between 0 and 1,000,000');
    expect(errors.threshold1).toBe('Threshold 1 is required (a whole number between 0 and 1,000,000)');
  });

  it('checks the step budget, the optional memory limit and the scenario', () => {
    const errors = validateRunForm({ ...valid, scenarioId: '', stepBudget: '10', memoryLimitMiB: '0' });
    expect(errors.scenarioId).toBe('Choose a scenario to run');
    expect(errors.stepBudget).toBe('Step budget must be between 1,000 and 10,000,000,000');
    expect(errors.memoryLimitMiB).toBe('Memory limit (MiB) must be between 1 and 1,048,576');
  });
});

describe('toRunSettings', () => {
  it('converts the text fields to the contract settings', () => {
    expect(toRunSettings({ ...valid, memoryLimitMiB: '64' })).toEqual({
      profile: '3.11',
      thresholds: [700, 10, 10],
      stepBudget: 1_000_000,
      memoryLimitBytes: 64 * 1024 * 1024,
      snapshotEveryMs: null,
    });
    expect(toRunSettings(valid).memoryLimitBytes).toBeNull();
  });
});

describe('serverFieldError', () => {
  it('maps a server field path onto the form and rephrases the message', () => {
    expect(serverFieldError('settings.thresholds.0', 'settings.thresholds.0: must be between 0 and 1,000,000')).toEqual({
      field: 'threshold0',
      message: 'Threshold 0 must be between 0 and 1,000,000',
    });
  });
  it('ignores unknown or missing fields', () => {
    expect(serverFieldError(undefined, 'boom')).toBeNull();
    expect(serverFieldError('settings.nope', 'x')).toBeNull();
  });
});

describe('user scripts', () => {
  const script = { filename: 'server.py', source: 'while True:\n    pass\n' };
  it('runs what is in the editor: a scenario by id while unchanged, else an edited copy', () => {
    const cycles = { id: 'cycles', title: 'Reference cycles', source: 'a = []\na.append(a)\n' };
    expect(editorRunTarget(valid, cycles, cycles.source)).toEqual({ scenarioId: 'cycles' });
    expect(editorRunTarget(valid, cycles, 'a = []\n')).toEqual({ source: 'a = []\n', filename: 'cycles.py', name: 'Reference cycles (edited)' });
    const edited = 'while True:\n    print(1)\n';
    expect(editorRunTarget({ ...valid, scenarioId: USER_SCRIPT_ID, userScript: script }, null, edited)).toEqual({ source: edited, filename: 'server.py' });
  });
  it('requires a file once "your script" is selected', () => {
    expect(validateRunForm({ ...valid, scenarioId: USER_SCRIPT_ID }).scenarioId).toBe('Open a .py file to run');
    expect(validateRunForm({ ...valid, scenarioId: USER_SCRIPT_ID, userScript: script })).toEqual({});
  });
  it('accepts .py files within the size limit only', () => {
    expect(checkUserScript('a.py', 'x = 1')).toBeNull();
    expect(checkUserScript('notes.txt', 'x')).toBe('notes.txt is not a Python file (.py)');
    expect(checkUserScript('big.py', 'x'.repeat(2_000_001))).toContain('too large');
  });
});

describe('automatic snapshots', () => {
  it('sends no interval when the field is empty, and the interval in ms otherwise', () => {
    expect(toRunSettings(valid).snapshotEveryMs).toBeNull();
    expect(toRunSettings(valid).snapshotAtFullCollection).toBeUndefined();
    const on = toRunSettings({ ...valid, snapshotEveryMs: '0.5', snapshotAtFullCollection: true });
    expect(on.snapshotEveryMs).toBe(0.5);
    expect(on.snapshotAtFullCollection).toBe(true);
  });
  it('rejects intervals outside the contract', () => {
    expect(validateRunForm({ ...valid, snapshotEveryMs: '0' }).snapshotEveryMs).toMatch(/between 0.001 and 3,600,000/);
    expect(validateRunForm({ ...valid, snapshotEveryMs: 'often' }).snapshotEveryMs).toBeDefined();
    expect(validateRunForm({ ...valid, snapshotEveryMs: '1,000' })).toEqual({});
  });
  it('parses decimals typed by a person', () => {
    expect(parseDecimal(' 0.25 ')).toBe(0.25);
    expect(parseDecimal('.5')).toBe(0.5);
    expect(parseDecimal('-1')).toBeNull();
    expect(parseDecimal('1e3')).toBeNull();
  });
  it('places a server error on the interval field', () => {
    expect(serverFieldError('settings.snapshotEveryMs', 'settings.snapshotEveryMs: too small')).toEqual({
      field: 'snapshotEveryMs',
      message: 'Snapshot interval too small',
    });
  });
});
