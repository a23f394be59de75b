// Command-line options of `npm run differential`.
export interface Args {
  python: string;
  count: number;
  seed: number;
  out: string;
  shrinkBudget: number;
  shrinkPerKind: number | null;
  promote: boolean;
  quiet: boolean;
}

export function parseArgs(argv: string[]): Args {
  const a: Args = { python: 'python3.11', count: 100, seed: 1, out: 'reports/differential', shrinkBudget: 150, shrinkPerKind: null, promote: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    const int = () => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new Error(`${k}: not a non-negative integer: ${v}`);
      return Number(v);
    };
    if (k === '--python') a.python = value();
    else if (k === '--count') a.count = int();
    else if (k === '--seed') a.seed = int();
    else if (k === '--out') a.out = value();
    else if (k === '--shrink-budget') a.shrinkBudget = int();
    else if (k === '--shrink-per-kind') a.shrinkPerKind = int();
    else if (k === '--promote') a.promote = true;
    else if (k === '--quiet') a.quiet = true;
    else throw new Error(`unknown option ${k}`);
  }
  return a;
}
