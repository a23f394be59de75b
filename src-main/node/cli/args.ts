// Command-line parsing for `pygc-lab` and the browser twin's `serve.js`: pure functions.
import { runSettingsSchema } from '../../common/contract';
import { DEFAULT_PROFILE, DEFAULT_STEP_BUDGET, DEFAULT_THRESHOLDS, defaultRunSettings, PROFILES, type Profile, type RunSettings } from '../../common/domain';

/** A bad command line: print the message and exit with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const CLI_HELP = `Usage: pygc-lab run FILE.py [options]

Runs a Python script in PyGC Lab's simulator of CPython's memory manager, prints what
the script prints, and records the run as a session you can open in the app.

Options:
  --profile ${PROFILES.join('|')}     CPython version to simulate (default ${DEFAULT_PROFILE})
  --threshold A,B,C       gc thresholds (default ${PROFILES.map((p) => `${DEFAULT_THRESHOLDS[p].join(',')} on ${p}`).join('; ')})
  --db FILE               record into this database file instead of the app's
  --name NAME             session name (default: the script's file name)
  --step-budget N         stop a runaway script after N interpreter steps (default ${DEFAULT_STEP_BUDGET.toLocaleString('en-US')})
  --memory-limit BYTES    simulated memory limit, e.g. 268435456, 256M or 1G (default: none)
  -h, --help              show this help

Exit status, as Python's: 0 on success; 1 for an uncaught exception (traceback on
stderr), the step budget or the memory limit; 2 for a syntax error or an unsupported
construct (FILE:LINE:COL on stderr) and for a bad command line.

The app's database is pygc-lab.sqlite in your data folder (~/.local/share/pygc-lab on
Linux); PYGC_LAB_DATA=DIR chooses another folder.
`;

export type CliCommand = { kind: 'help' } | { kind: 'run'; file: string; settings: RunSettings; dbFile: string | null; name: string | null };

export function parseCliArgs(argv: readonly string[]): CliCommand {
  if (argv.length === 0) throw new UsageError('missing command: try `pygc-lab run FILE.py`');
  if (argv.includes('-h') || argv.includes('--help')) return { kind: 'help' };
  const [command, ...rest] = argv;
  if (command !== 'run') throw new UsageError(`unknown command '${command}': the command is \`run\``);
  const { flags, positional } = splitFlags(rest, ['--profile', '--threshold', '--db', '--name', '--step-budget', '--memory-limit']);
  if (positional.length === 0) throw new UsageError('missing the script to run: pygc-lab run FILE.py');
  if (positional.length > 1) throw new UsageError(`one script at a time (got ${positional.join(', ')})`);

  const profileFlag = flags.get('--profile') ?? DEFAULT_PROFILE;
  if (!(PROFILES as readonly string[]).includes(profileFlag)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')} (got '${profileFlag}')`);
  const profile = profileFlag as Profile;

  const defaults = defaultRunSettings(profile);
  let thresholds = defaults.thresholds;
  const thresholdFlag = flags.get('--threshold');
  if (thresholdFlag !== undefined) {
    const parts = thresholdFlag.split(',').map((p) => p.trim());
    if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--threshold takes three whole numbers A,B,C (got '${thresholdFlag}')`);
    thresholds = parts.map(Number) as [number, number, number];
  }
  const budgetFlag = flags.get('--step-budget');
  const stepBudget = budgetFlag === undefined ? defaults.stepBudget : wholeNumber('--step-budget', budgetFlag);
  const limitFlag = flags.get('--memory-limit');
  const memoryLimitBytes = limitFlag === undefined ? defaults.memoryLimitBytes : byteSize(limitFlag);

  const parsed = runSettingsSchema.safeParse({ ...defaults, thresholds, stepBudget, memoryLimitBytes });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = { thresholds: '--threshold', stepBudget: '--step-budget', memoryLimitBytes: '--memory-limit' }[String(issue.path[0])] ?? String(issue.path[0]);
    throw new UsageError(`${flag}: ${issue.message}`);
  }
  return { kind: 'run', file: positional[0]!, settings: parsed.data, dbFile: flags.get('--db') ?? null, name: flags.get('--name') ?? null };
}

export type ServeCommand = { kind: 'help' } | { kind: 'serve'; port: number; dataDir: string | null };

export const SERVE_HELP = `Usage: node out/main/serve.js [--port N] [--data DIR]

Starts PyGC Lab's browser twin on http://127.0.0.1:PORT/ (a free port unless --port).
  --port N      port to listen on (0-65535; default: any free port)
  --data DIR    data folder holding pygc-lab.sqlite (default: PYGC_LAB_DATA or the user's data folder)
`;

export function parseServeArgs(argv: readonly string[]): ServeCommand {
  if (argv.includes('-h') || argv.includes('--help')) return { kind: 'help' };
  const { flags, positional } = splitFlags(argv, ['--port', '--data']);
  if (positional.length) throw new UsageError(`unexpected argument '${positional[0]}'`);
  const portFlag = flags.get('--port');
  const port = portFlag === undefined ? 0 : wholeNumber('--port', portFlag);
  if (port > 65535) throw new UsageError(`--port must be between 0 and 65535 (got ${portFlag})`);
  return { kind: 'serve', port, dataDir: flags.get('--data') ?? null };
}

function splitFlags(argv: readonly string[], known: readonly string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!known.includes(name)) throw new UsageError(`unknown option ${name}`);
    if (flags.has(name)) throw new UsageError(`${name} given twice`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
      i++;
    }
    flags.set(name, value);
  }
  return { flags, positional };
}

function wholeNumber(flag: string, value: string): number {
  const v = value.replace(/_/g, '');
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} takes a whole number (got '${value}')`);
  return Number(v);
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

function byteSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(value.trim().replace(/_/g, ''));
  if (!m) throw new UsageError(`--memory-limit takes bytes, e.g. 268435456, 256M or 1G (got '${value}')`);
  return Math.round(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!);
}
