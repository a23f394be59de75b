import { describe, expect, it } from 'vitest';
import { DEFAULT_STEP_BUDGET, DEFAULT_THRESHOLDS, defaultRunSettings, PROFILES } from '../../common/domain';
import { CLI_HELP, parseCliArgs, parseServeArgs, UsageError } from './args';

describe('parseCliArgs', () => {
  it('runs a file with the defaults of its profile', () => {
    expect(parseCliArgs(['run', 'leak.py'])).toEqual({
      kind: 'run',
      file: 'leak.py',
      dbFile: null,
      name: null,
      settings: { profile: '3.11', thresholds: [700, 10, 10], stepBudget: DEFAULT_STEP_BUDGET, memoryLimitBytes: null, snapshotEveryMs: null },
    });
    expect(parseCliArgs(['run', 'leak.py'])).toMatchObject({ settings: defaultRunSettings() });
    expect(parseCliArgs(['run', 'a.py', '--profile', '3.13'])).toMatchObject({ settings: { profile: '3.13', thresholds: [2000, 10, 10] } });
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    const c = parseCliArgs(['run', '--threshold', '100,5,5', 'a.py', '--db=/tmp/x.sqlite', '--name', 'Nightly', '--step-budget', '5_000_000', '--memory-limit', '256M']);
    expect(c).toMatchObject({ file: 'a.py', dbFile: '/tmp/x.sqlite', name: 'Nightly', settings: { thresholds: [100, 5, 5], stepBudget: 5_000_000, memoryLimitBytes: 256 * 1024 * 1024 } });
    expect(parseCliArgs(['run', 'a.py', '--memory-limit', '1G'])).toMatchObject({ settings: { memoryLimitBytes: 1024 ** 3 } });
    expect(parseCliArgs(['run', 'a.py', '--memory-limit', '65536'])).toMatchObject({ settings: { memoryLimitBytes: 65536 } });
  });

  it('help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['run', 'x.py', '-h'])).toEqual({ kind: 'help' });
    for (const flag of ['--profile', '--threshold', '--db', '--name', '--step-budget', '--memory-limit']) expect(CLI_HELP).toContain(flag);
  });

  it("shows the contract's defaults in --help", () => {
    expect(CLI_HELP).toContain(`(default ${DEFAULT_STEP_BUDGET.toLocaleString('en-US')})`);
    for (const p of PROFILES) expect(CLI_HELP).toContain(`${DEFAULT_THRESHOLDS[p].join(',')} on ${p}`);
    expect(CLI_HELP).toContain('(default 3.11)');
  });

  it.each([
    [[], /missing command/],
    [['go', 'a.py'], /unknown command 'go'/],
    [['run'], /missing the script/],
    [['run', 'a.py', 'b.py'], /one script at a time/],
    [['run', 'a.py', '--profile', '2.7'], /--profile must be one of 3.11, 3.13/],
    [['run', 'a.py', '--threshold', '1,2'], /--threshold takes three whole numbers/],
    [['run', 'a.py', '--threshold', '1,x,3'], /--threshold takes three whole numbers/],
    [['run', 'a.py', '--threshold', '2000000,1,1'], /--threshold: must be between 0 and 1,000,000/],
    [['run', 'a.py', '--step-budget', 'lots'], /--step-budget takes a whole number/],
    [['run', 'a.py', '--step-budget', '10'], /--step-budget:/],
    [['run', 'a.py', '--memory-limit', 'big'], /--memory-limit takes bytes/],
    [['run', 'a.py', '--frobnicate'], /unknown option --frobnicate/],
    [['run', 'a.py', '--name'], /--name needs a value/],
    [['run', 'a.py', '--db', 'a', '--db', 'b'], /--db given twice/],
  ] as const)('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('parseServeArgs', () => {
  it('port and data folder', () => {
    expect(parseServeArgs([])).toEqual({ kind: 'serve', port: 0, dataDir: null });
    expect(parseServeArgs(['--port', '4000', '--data', '/d'])).toEqual({ kind: 'serve', port: 4000, dataDir: '/d' });
    expect(parseServeArgs(['--help'])).toEqual({ kind: 'help' });
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(/between 0 and 65535/);
    expect(() => parseServeArgs(['--port', 'x'])).toThrow(/whole number/);
    expect(() => parseServeArgs(['extra'])).toThrow(/unexpected argument/);
  });
});
