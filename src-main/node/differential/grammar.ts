// The grammar of generated programs: the Python the simulator supports today, as weighted
// productions. A production writes valid, deterministic Python (no addresses, no hash order of
// strings, no uncaught exception) through the Gen context. New constructs (stdlib modules,
// async, ...) are new entries of PRODUCTIONS or new helper definitions in DEFINITIONS.
import { Rng } from './rng';

export type VarKind = 'int' | 'list' | 'dict' | 'set' | 'tuple' | 'str' | 'obj' | 'tree' | 'gen' | 'acc' | 'ref' | 'float';

export interface Var {
  name: string;
  kind: VarKind;
  cls?: ClassInfo;
  /** Holds only ints, strs and containers of them: its repr has no addresses. */
  pure?: boolean;
}

export type ClassKind = 'plain' | 'slots' | 'del' | 'sub' | 'value' | 'resurrect';

export interface ClassInfo {
  name: string;
  kind: ClassKind;
  /** weakref.ref() accepts its instances. */
  weakrefable: boolean;
}

/** Where a production may appear: at module level, inside a loop body, or both. */
export type Place = 'top' | 'loop';

export interface Production {
  name: string;
  weight: number;
  places: Place[];
  /** Writes the statement(s); returns false when it does not apply here (nothing written). */
  run(g: Gen): boolean;
}

const IND = '    ';

/** The generation context: the lines written so far, the names in scope, the helpers defined. */
export class Gen {
  readonly defs: string[] = [];
  readonly body: string[] = [];
  readonly vars: Var[] = [];
  readonly classes: ClassInfo[] = [];
  readonly helpers = new Set<string>();
  readonly imports = new Set<string>();
  /** Names assigned only inside loop bodies (not readable after the loop). */
  loopVar: string | null = null;
  loopDepth = 0;
  /** The last name bound at each loop depth (what a loop may keep). */
  lastBound: { name: string; depth: number } | null = null;
  private indent = 0;
  private n = 0;

  constructor(readonly rng: Rng) {}

  fresh(prefix: string): string {
    return `${prefix}${++this.n}`;
  }

  emit(line: string): void {
    this.body.push(IND.repeat(this.indent) + line);
  }

  /** A compound statement; an empty body becomes `pass`. */
  block(header: string, inner: () => void): void {
    this.emit(header);
    this.indent++;
    const before = this.body.length;
    inner();
    if (this.body.length === before) this.emit('pass');
    this.indent--;
  }

  /** A definition (class or function) emitted once, before the program body. */
  define(key: string, lines: () => string[]): void {
    if (this.helpers.has(key)) return;
    this.helpers.add(key);
    this.defs.push(...lines(), '');
  }

  use(module: string): void {
    this.imports.add(module);
  }

  /** A module-level variable; inside a loop the name is fresh each time but not kept in scope. */
  bind(prefix: string, kind: VarKind, cls?: ClassInfo, pure = false): string {
    const name = this.fresh(prefix);
    if (this.loopDepth === 0) this.vars.push({ name, kind, cls, pure });
    this.bound(name);
    return name;
  }

  /** Records `name` as just assigned at the current loop depth. */
  bound(name: string): void {
    this.lastBound = { name, depth: this.loopDepth };
  }

  some(kind: VarKind, pred: (v: Var) => boolean = () => true): Var | null {
    const c = this.vars.filter((v) => v.kind === kind && pred(v));
    return c.length ? this.rng.pick(c) : null;
  }

  drop(v: Var): void {
    const i = this.vars.indexOf(v);
    if (i >= 0) this.vars.splice(i, 1);
  }

  /** A small integer expression: the loop variable inside loops, else a literal. */
  small(lo = 1, hi = 9): string {
    return this.loopVar && this.rng.chance(0.6) ? `${this.loopVar} % ${this.rng.int(lo + 1, hi + 1)}` : String(this.rng.int(lo, hi));
  }

  /** A loop size (bigger at module level, where collections must happen). */
  size(): number {
    if (this.loopDepth > 0) return this.rng.pick([0, 1, 2, 3, 5, 8]);
    return this.rng.weighted([
      { weight: 3, value: this.rng.int(1, 20) },
      { weight: 3, value: this.rng.int(20, 300) },
      { weight: 2, value: this.rng.int(300, 1500) },
      { weight: 1, value: this.rng.int(1500, 4000) },
    ]);
  }

  /** An instance class of the program, defining a new one now and then. */
  objClass(pred: (c: ClassInfo) => boolean = () => true): ClassInfo {
    const existing = this.classes.filter((c) => c.kind !== 'value' && pred(c));
    if (existing.length && this.rng.chance(0.75)) return this.rng.pick(existing);
    for (let attempt = 0; attempt < 20; attempt++) {
      const kind = this.rng.weighted<ClassKind>([
        { weight: 4, value: 'plain' },
        { weight: 2, value: 'slots' },
        { weight: 2, value: 'del' },
        { weight: 2, value: 'sub' },
        { weight: 1, value: 'resurrect' },
      ]);
      const c = defineClass(this, kind);
      if (pred(c)) return c;
    }
    return defineClass(this, 'plain');
  }

  observe(expr: string): void {
    this.emit(`seen.append(${expr})`);
  }
}

// ---- Definitions (classes and helper functions) ----

function defineClass(g: Gen, kind: ClassKind): ClassInfo {
  const name = g.fresh(kind === 'value' ? 'Key' : kind === 'slots' ? 'Slot' : 'Obj');
  const weakrefable = kind !== 'slots' || g.rng.chance(0.5);
  const info: ClassInfo = { name, kind, weakrefable };
  const init = [`${IND}def __init__(self, tag):`, `${IND}${IND}self.tag = tag`, `${IND}${IND}self.link = None`, `${IND}${IND}self.items = []`];
  const weight = [`${IND}def weight(self):`, `${IND}${IND}return self.tag * ${g.rng.int(2, 9)} + len(self.items)`];
  let lines: string[];
  switch (kind) {
    case 'plain':
      lines = [`class ${name}:`, ...init, '', ...weight];
      break;
    case 'slots':
      lines = [`class ${name}:`, `${IND}__slots__ = ('tag', 'link', 'items'${weakrefable ? ", '__weakref__'" : ''})`, '', ...init, '', ...weight];
      break;
    case 'del':
      lines = [`class ${name}:`, ...init, '', ...weight, '', `${IND}def __del__(self):`, `${IND}${IND}deleted.append(self.tag)`];
      break;
    case 'resurrect':
      g.define('saved', () => ['saved = []']);
      lines = [`class ${name}:`, ...init, '', ...weight, '', `${IND}def __del__(self):`, `${IND}${IND}deleted.append(self.tag)`, `${IND}${IND}if len(saved) < ${g.rng.int(1, 5)}:`, `${IND}${IND}${IND}saved.append(self)`];
      break;
    case 'sub': {
      const base = g.classes.find((c) => c.kind === 'plain' || c.kind === 'del') ?? defineClass(g, 'plain');
      info.weakrefable = base.weakrefable;
      lines = [
        `class ${name}(${base.name}):`,
        `${IND}def __init__(self, tag):`,
        `${IND}${IND}super().__init__(tag)`,
        `${IND}${IND}self.extra = [tag]`,
        '',
        `${IND}def weight(self):`,
        `${IND}${IND}return super().weight() + len(self.extra)`,
      ];
      break;
    }
    case 'value':
      lines = [
        `class ${name}:`,
        `${IND}def __init__(self, k):`,
        `${IND}${IND}self.k = k`,
        '',
        `${IND}def __eq__(self, other):`,
        `${IND}${IND}return isinstance(other, ${name}) and self.k == other.k`,
        '',
        `${IND}def __hash__(self):`,
        `${IND}${IND}return hash(self.k)`,
        '',
        `${IND}def __repr__(self):`,
        `${IND}${IND}return '${name}(%d)' % self.k`,
      ];
      break;
  }
  g.define(name, () => lines);
  g.classes.push(info);
  return info;
}

/** Helper functions, defined on first use; each returns its name. */
export const DEFINITIONS: Record<string, (g: Gen) => string> = {
  tree(g) {
    g.define('Tree', () => [
      'class Tree:',
      `${IND}def __init__(self, tag, parent=None):`,
      `${IND}${IND}self.tag = tag`,
      `${IND}${IND}self.parent = parent`,
      `${IND}${IND}self.children = []`,
      `${IND}${IND}if parent is not None:`,
      `${IND}${IND}${IND}parent.children.append(self)`,
      '',
      `${IND}def size(self):`,
      `${IND}${IND}return 1 + sum(c.size() for c in self.children)`,
    ]);
    return 'Tree';
  },
  error(g) {
    g.define('AppError', () => ['class AppError(Exception):', `${IND}pass`]);
    return 'AppError';
  },
  check(g) {
    const err = DEFINITIONS.error(g);
    const m = g.rng.int(3, 7);
    g.define('check', () => [
      'def check(x):',
      `${IND}if x % ${m} == 0:`,
      `${IND}${IND}raise ${err}('bad %d' % x)`,
      `${IND}if x % ${m + 1} == 0:`,
      `${IND}${IND}raise ValueError(x)`,
      `${IND}return x * 2`,
    ]);
    return 'check';
  },
  keep_error(g) {
    g.define('keep_error', () => [
      'def keep_error(n):',
      `${IND}items = [n] * 3`,
      `${IND}try:`,
      `${IND}${IND}raise KeyError(n)`,
      `${IND}except KeyError as e:`,
      `${IND}${IND}err = e`,
      `${IND}return err`,
    ]);
    return 'keep_error';
  },
  acc(g) {
    if (g.rng.chance(0.5) || g.helpers.has('make_acc')) {
      g.define('make_acc', () => [
        'def make_acc(start):',
        `${IND}total = start`,
        '',
        `${IND}def add(x):`,
        `${IND}${IND}nonlocal total`,
        `${IND}${IND}total += x`,
        `${IND}${IND}return total`,
        '',
        `${IND}return add`,
      ]);
      return 'make_acc';
    }
    g.define('make_acc', () => ['def make_acc(start):', `${IND}box = [start]`, '', `${IND}def add(x):`, `${IND}${IND}box[0] += x`, `${IND}${IND}return box[0]`, '', `${IND}return add`]);
    return 'make_acc';
  },
  gen(g) {
    const k = g.rng.int(1, 5);
    g.define('numbers', () => ['def numbers(n):', `${IND}for j in range(n):`, `${IND}${IND}yield j * ${k}`]);
    return 'numbers';
  },
  gen_finally(g) {
    g.define('guarded', () => [
      'def guarded(n):',
      `${IND}buf = []`,
      `${IND}try:`,
      `${IND}${IND}for j in range(n):`,
      `${IND}${IND}${IND}buf.append(j)`,
      `${IND}${IND}${IND}yield len(buf)`,
      `${IND}finally:`,
      `${IND}${IND}events.append(len(buf))`,
    ]);
    return 'guarded';
  },
  on_dead(g) {
    g.define('on_dead', () => ['def on_dead(ref):', `${IND}events.append(-1)`]);
    return 'on_dead';
  },
  work(g) {
    const cls = g.objClass();
    g.define('work', () => [
      'def work(n):',
      `${IND}tmp = [${cls.name}(j) for j in range(n)]`,
      `${IND}for a, b in zip(tmp, tmp[1:]):`,
      `${IND}${IND}a.link = b`,
      `${IND}${IND}b.items.append(a)`,
      `${IND}return len(tmp)`,
    ]);
    return 'work';
  },
  depth(g) {
    g.define('depth', () => ['def depth(n):', `${IND}if n <= 0:`, `${IND}${IND}return [0]`, `${IND}inner = depth(n - 1)`, `${IND}return [n, inner]`]);
    return 'depth';
  },
  ctx(g) {
    g.define('Guard', () => [
      'class Guard:',
      `${IND}def __init__(self, tag):`,
      `${IND}${IND}self.tag = tag`,
      '',
      `${IND}def __enter__(self):`,
      `${IND}${IND}events.append(self.tag)`,
      `${IND}${IND}return self`,
      '',
      `${IND}def __exit__(self, kind, value, tb):`,
      `${IND}${IND}events.append(-self.tag)`,
      `${IND}${IND}return kind is ValueError`,
    ]);
    return 'Guard';
  },
};

// ---- Productions ----

function numExpr(g: Gen): string {
  const r = g.rng;
  const a = g.some('int');
  const x = a ? a.name : String(r.int(2, 999));
  return r.weighted([
    { weight: 3, value: `${x} * ${r.int(2, 99)} + ${r.int(0, 50)}` },
    { weight: 2, value: `${x} * ${r.int(3, 999)} % ${r.pick([7, 97, 1000, 65536])}` },
    { weight: 2, value: `${x} // ${r.int(2, 9)} - ${r.int(0, 9)}` },
    { weight: 1, value: `${r.int(2, 9)} ** ${r.int(2, 30)}` },
    { weight: 1, value: `(${x} + ${r.int(1, 9)}) ** 2` },
    { weight: 1, value: `abs(${r.int(-50, -1)} * ${x})` },
    { weight: 1, value: `min(${x}, ${r.int(0, 300)}) + max(${r.int(0, 9)}, ${r.int(0, 9)})` },
  ]);
}

function containerExpr(g: Gen): { expr: string; kind: VarKind; pure?: boolean } {
  const r = g.rng;
  const n = g.loopDepth ? r.int(0, 6) : r.int(0, 60);
  const cls = () => g.objClass().name;
  return r.weighted<{ expr: string; kind: VarKind; pure?: boolean }>([
    { weight: 2, value: { expr: `[${Array.from({ length: r.int(0, 5) }, () => r.int(0, 99)).join(', ')}]`, kind: 'list', pure: true } },
    { weight: 3, value: { expr: `[j * ${r.int(1, 9)} for j in range(${n})]`, kind: 'list', pure: true } },
    { weight: 2, value: { expr: `[[j] for j in range(${n})]`, kind: 'list', pure: true } },
    { weight: 2, value: { expr: `[${cls()}(j) for j in range(${n})]`, kind: 'list' } },
    { weight: 1, value: { expr: `list(range(${n}))`, kind: 'list', pure: true } },
    { weight: 2, value: { expr: `{j: j * ${r.int(1, 9)} for j in range(${n})}`, kind: 'dict' } },
    { weight: 2, value: { expr: `{str(j): [j] for j in range(${n})}`, kind: 'dict' } },
    { weight: 1, value: { expr: `{'id': ${r.int(0, 99)}, 'name': 'n${r.int(0, 99)}', 'tags': [${r.int(0, 9)}]}`, kind: 'dict' } },
    { weight: 1, value: { expr: `dict(a=${r.int(0, 9)}, b=${r.int(0, 9)})`, kind: 'dict' } },
    { weight: 2, value: { expr: `{j % ${r.int(2, 40)} for j in range(${n})}`, kind: 'set' } },
    { weight: 1, value: { expr: `set(range(${n}))`, kind: 'set' } },
    { weight: 2, value: { expr: `(${r.int(0, 9)}, ${r.int(0, 9)}, 'k${r.int(0, 9)}')`, kind: 'tuple', pure: true } },
    { weight: 2, value: { expr: `tuple([j] for j in range(${Math.min(n, 20)}))`, kind: 'tuple', pure: true } },
    { weight: 1, value: { expr: `tuple(range(${n}))`, kind: 'tuple', pure: true } },
    { weight: 1, value: { expr: `((${r.int(0, 9)}, ${r.int(0, 9)}), (${r.int(0, 9)},))`, kind: 'tuple', pure: true } },
  ]);
}

function valueExpr(g: Gen): string {
  const r = g.rng;
  const l = g.some('list');
  const d = g.some('dict');
  const s = g.some('set');
  const i = g.some('int');
  const st = g.some('str');
  const opts: { weight: number; value: string }[] = [
    { weight: 2, value: numExpr(g) },
    { weight: 1, value: `${r.int(2, 9)} ** ${r.int(40, 120)}` },
    { weight: 1, value: `${r.int(10 ** 9, 2 * 10 ** 9)}${r.int(10 ** 8, 10 ** 9 - 1)} % ${r.pick([97, 1009, 65537])}` },
    { weight: 1, value: `${r.int(1, 999)} / ${r.int(3, 17)}` },
    { weight: 1, value: `round(${r.int(1, 999)} / ${r.int(3, 17)}, ${r.int(0, 4)})` },
    { weight: 1, value: `'%d-%s' % (${r.int(0, 99)}, 'x')` },
    { weight: 1, value: `'{}:{}'.format(${r.int(0, 9)}, ${r.int(0, 9)})` },
  ];
  if (i) {
    opts.push({ weight: 2, value: `f"${i.name}={${i.name}}"` });
    opts.push({ weight: 1, value: `f"{${i.name}:>8}|{${i.name}:<4}|"` });
    opts.push({ weight: 1, value: `f"{${i.name} / ${r.int(3, 9)}:.3f}"` });
    opts.push({ weight: 1, value: `f"{${i.name}:#x} {${i.name}:05d}"` });
    opts.push({ weight: 1, value: `divmod(${i.name}, ${r.int(2, 9)})` });
  }
  const pl = g.some('list', (v) => !!v.pure) ?? g.some('tuple', (v) => !!v.pure);
  if (l) opts.push({ weight: 2, value: `len(${l.name})` });
  if (pl) opts.push({ weight: 1, value: `repr(${pl.name}[:${r.int(1, 4)}])` }, { weight: 1, value: `${pl.name}[-${r.int(1, 3)}:]` });
  if (d) opts.push({ weight: 1, value: `sorted(str(k) for k in ${d.name})[:${r.int(1, 5)}]` }, { weight: 1, value: `len(${d.name})` });
  if (s) opts.push({ weight: 1, value: `sorted(${s.name})[:${r.int(1, 5)}]` });
  if (st) opts.push({ weight: 1, value: `${st.name}[:${r.int(1, 12)}]` }, { weight: 1, value: `${st.name}.upper()[:6] + str(len(${st.name}))` });
  return r.weighted(opts);
}

export const PRODUCTIONS: Production[] = [
  {
    name: 'int-assign',
    weight: 3,
    places: ['top'],
    run(g) {
      const e = numExpr(g);
      g.emit(`${g.bind('n', 'int')} = ${e}`);
      return true;
    },
  },
  {
    name: 'container',
    weight: 6,
    places: ['top', 'loop'],
    run(g) {
      const { expr, kind, pure } = containerExpr(g);
      g.emit(`${g.bind(kind === 'list' ? 'xs' : kind === 'dict' ? 'd' : kind === 'set' ? 's' : 't', kind, undefined, pure)} = ${expr}`);
      return true;
    },
  },
  {
    name: 'string',
    weight: 2,
    places: ['top'],
    run(g) {
      const r = g.rng;
      const n = r.int(1, 30);
      g.emit(`${g.bind('text', 'str')} = ${r.pick([`'-'.join(str(j) for j in range(${n}))`, `' '.join(['w%d' % j for j in range(${n})])`, `'ab' * ${n}`, `str(${r.int(0, 99999)}).zfill(8)`])}`);
      return true;
    },
  },
  {
    name: 'mutate',
    weight: 5,
    places: ['top', 'loop'],
    run(g) {
      const r = g.rng;
      const l = g.some('list');
      const d = g.some('dict');
      const s = g.some('set');
      const opts: string[] = [];
      if (l) {
        opts.push(`${l.name}.append(${g.small()})`, `${l.name}.append([${g.small()}])`, `${l.name}.extend(range(${r.int(0, 5)}))`, `${l.name}.insert(0, (${g.small()}, ${r.int(0, 9)}))`, `${l.name}.reverse()`);
        opts.push(`if ${l.name}:\n${IND}${l.name}.pop()`);
      }
      if (d) opts.push(`${d.name}[${g.small()}] = [${r.int(0, 9)}]`, `${d.name}.setdefault('k${r.int(0, 9)}', []).append(${g.small()})`, `${d.name}.pop(${r.int(0, 9)}, None)`, `${d.name}.update({${r.int(0, 9)}: ${r.int(0, 9)}})`);
      if (s) opts.push(`${s.name}.add(${g.small()})`, `${s.name}.discard(${r.int(0, 9)})`);
      if (!opts.length) return false;
      for (const line of r.pick(opts).split('\n')) g.emit(line);
      return true;
    },
  },
  {
    name: 'object',
    weight: 5,
    places: ['top', 'loop'],
    run(g) {
      const c = g.objClass();
      const o = g.bind('o', 'obj', c);
      g.emit(`${o} = ${c.name}(${g.small()})`);
      if (g.rng.chance(0.5)) g.emit(`${o}.items.append(${g.rng.pick(['[1, 2]', `{'k': ${g.small()}}`, `(${g.small()}, [])`, 'None'])})`);
      return true;
    },
  },
  {
    name: 'cycle-pair',
    weight: 5,
    places: ['top', 'loop'],
    run(g) {
      const c1 = g.objClass();
      const c2 = g.rng.chance(0.5) ? c1 : g.objClass();
      const a = g.fresh('a');
      const b = g.fresh('b');
      g.emit(`${a} = ${c1.name}(${g.small()})`);
      g.emit(`${b} = ${c2.name}(${g.small()})`);
      g.emit(`${a}.link = ${b}`);
      g.emit(`${b}.${g.rng.pick(['link = ' + a, 'items.append(' + a + ')'])}`);
      g.bound(a);
      if (g.loopDepth === 0) {
        if (g.rng.chance(0.6)) g.emit(`del ${a}, ${b}`);
        else {
          g.vars.push({ name: a, kind: 'obj', cls: c1 }, { name: b, kind: 'obj', cls: c2 });
        }
      }
      return true;
    },
  },
  {
    name: 'self-cycle',
    weight: 3,
    places: ['top', 'loop'],
    run(g) {
      const x = g.fresh('me');
      const c = g.objClass();
      const form = g.rng.pick([
        [`${x} = [${g.small()}]`, `${x}.append(${x})`],
        [`${x} = {'n': ${g.small()}}`, `${x}['self'] = ${x}`],
        [`${x} = ${c.name}(${g.small()})`, `${x}.link = ${x}`],
      ]);
      for (const l of form) g.emit(l);
      g.bound(x);
      if (g.loopDepth === 0 && g.rng.chance(0.7)) g.emit(`del ${x}`);
      return true;
    },
  },
  {
    name: 'tree',
    weight: 2,
    places: ['top'],
    run(g) {
      const T = DEFINITIONS.tree(g);
      const root = g.bind('root', 'tree');
      g.emit(`${root} = ${T}(0)`);
      const n = g.rng.int(1, 60);
      if (g.rng.chance(0.5)) {
        g.block(`for j in range(${n}):`, () => {
          g.emit(`child = ${T}(j, ${root})`);
          g.emit(`${T}(j + 1000, child)`);
        });
      } else {
        g.emit(`node = ${root}`);
        g.block(`for j in range(${n}):`, () => g.emit(`node = ${T}(j, node)`));
      }
      g.observe(`${root}.size()`);
      return true;
    },
  },
  {
    name: 'drop',
    weight: 4,
    places: ['top'],
    run(g) {
      const v = g.vars.length ? g.rng.pick(g.vars) : null;
      if (!v) return false;
      g.emit(g.rng.chance(0.6) ? `del ${v.name}` : `${v.name} = None`);
      g.drop(v);
      return true;
    },
  },
  {
    name: 'method',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const o = g.some('obj');
      if (!o) return false;
      g.observe(`${o.name}.weight()`);
      return true;
    },
  },
  {
    name: 'closure',
    weight: 3,
    places: ['top'],
    run(g) {
      const mk = DEFINITIONS.acc(g);
      const f = g.bind('acc', 'acc');
      g.emit(`${f} = ${mk}(${g.rng.int(0, 9)})`);
      const n = g.rng.int(1, 40);
      g.block(`for j in range(${n}):`, () => g.emit(`${f}(j)`));
      g.observe(`${f}(0)`);
      return true;
    },
  },
  {
    name: 'closure-call',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const f = g.some('acc');
      if (!f) return false;
      g.emit(`${f.name}(${g.small()})`);
      return true;
    },
  },
  {
    name: 'lambdas',
    weight: 1,
    places: ['top'],
    run(g) {
      const fs = g.fresh('fs');
      g.emit(`${fs} = [lambda j=j: j * ${g.rng.int(2, 5)} for j in range(${g.rng.int(1, 30)})]`);
      g.observe(`sum(f() for f in ${fs})`);
      return true;
    },
  },
  {
    name: 'generator',
    weight: 4,
    places: ['top', 'loop'],
    run(g) {
      const r = g.rng;
      const fin = r.chance(0.4);
      const fn = fin ? DEFINITIONS.gen_finally(g) : DEFINITIONS.gen(g);
      const n = g.loopDepth ? g.small(1, 6) : String(r.int(1, 200));
      const it = g.fresh('it');
      g.emit(`${it} = ${fn}(${n})`);
      const form = r.int(0, 3);
      if (form === 0) g.observe(`sum(${it})`);
      else if (form === 1) g.observe(`next(${it}, -1)`);
      else if (form === 2) {
        g.block(`for v in ${it}:`, () => g.block(`if v > ${r.int(0, 20)}:`, () => g.emit('break')));
      } else g.observe(`list(${it})[-1:]`);
      if (g.loopDepth === 0) {
        if (r.chance(0.5)) g.emit(`del ${it}`);
        else g.vars.push({ name: it, kind: 'gen' });
      }
      return true;
    },
  },
  {
    name: 'genexpr',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const l = g.some('list', () => true);
      const src = l && g.rng.chance(0.3) ? `len(${l.name})` : String(g.rng.int(0, 300));
      g.observe(`sum(j * j for j in range(${src}) if j % ${g.rng.int(2, 5)})`);
      return true;
    },
  },
  {
    name: 'try-except',
    weight: 4,
    places: ['top', 'loop'],
    run(g) {
      const r = g.rng;
      const check = DEFINITIONS.check(g);
      const err = DEFINITIONS.error(g);
      const x = g.loopVar ?? String(r.int(0, 30));
      const form = r.int(0, 3);
      g.block('try:', () => g.observe(`${check}(${x})`));
      if (form === 0) {
        g.block(`except ${err} as e:`, () => g.observe('str(e)'));
        g.block('except ValueError:', () => g.observe("'value'"));
      } else if (form === 1) {
        g.block(`except (${err}, ValueError) as e:`, () => g.observe('len(e.args)'));
      } else if (form === 2) {
        g.block('except Exception as e:', () => g.observe('type(e).__name__'));
        g.block('finally:', () => g.emit('events.append(0)'));
      } else {
        g.block(`except ${err}:`, () => g.emit('events.append(1)'));
        g.block('except ValueError as e:', () => g.observe('e.args[0]'));
        g.block('else:', () => g.emit('events.append(2)'));
      }
      return true;
    },
  },
  {
    name: 'keep-error',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const fn = DEFINITIONS.keep_error(g);
      const e = g.fresh('err');
      g.emit(`${e} = ${fn}(${g.small()})`);
      g.observe(`${e}.args[0]`);
      if (g.loopDepth === 0 && g.rng.chance(0.5)) g.emit(`del ${e}`);
      return true;
    },
  },
  {
    name: 'builtin-errors',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const r = g.rng;
      const [body, exc] = r.pick([
        [`{}[${g.small()}]`, 'KeyError'],
        [`[][${g.small()}]`, 'IndexError'],
        [`int('x${r.int(0, 9)}')`, 'ValueError'],
        [`${g.small()} // 0`, 'ZeroDivisionError'],
        [`None.missing`, 'AttributeError'],
      ]);
      g.block('try:', () => g.emit(`${body}`));
      g.block(`except ${exc} as e:`, () => g.observe(r.chance(0.5) ? 'type(e).__name__' : 'len(e.args)'));
      return true;
    },
  },
  {
    name: 'with',
    weight: 1,
    places: ['top', 'loop'],
    run(g) {
      const G = DEFINITIONS.ctx(g);
      g.block(`with ${G}(${g.rng.int(1, 9)}) as guard:`, () => {
        g.observe('guard.tag');
        if (g.rng.chance(0.5)) g.emit(`raise ValueError(${g.small()})`);
      });
      return true;
    },
  },
  {
    name: 'weakref',
    weight: 3,
    places: ['top', 'loop'],
    run(g) {
      g.use('weakref');
      const c = g.objClass((k) => k.weakrefable);
      const cb = g.rng.chance(0.6) ? DEFINITIONS.on_dead(g) : null;
      const o = g.fresh('target');
      const ref = g.fresh('ref');
      g.emit(`${o} = ${c.name}(${g.small()})`);
      if (g.rng.chance(0.4)) g.emit(`${o}.link = ${o}`);
      g.emit(`${ref} = weakref.ref(${o}${cb ? ', ' + cb : ''})`);
      g.observe(`${ref}() is ${o}`);
      g.emit(`del ${o}`);
      g.observe(`${ref}() is None`);
      if (g.loopDepth === 0) g.vars.push({ name: ref, kind: 'ref' });
      return true;
    },
  },
  {
    name: 'weakref-check',
    weight: 1,
    places: ['top'],
    run(g) {
      const r = g.some('ref');
      if (!r) return false;
      g.observe(`${r.name}() is None`);
      return true;
    },
  },
  {
    name: 'gc-collect',
    weight: 4,
    places: ['top', 'loop'],
    run(g) {
      g.use('gc');
      const gen = g.rng.pick(['', '', '0', '1', '2']);
      if (g.loopVar) g.block(`if ${g.loopVar} % ${g.rng.int(50, 500)} == 0:`, () => g.observe(`gc.collect(${gen})`));
      else g.observe(`gc.collect(${gen})`);
      return true;
    },
  },
  {
    name: 'gc-count',
    weight: 2,
    places: ['top'],
    run(g) {
      g.use('gc');
      g.observe(g.rng.pick(['gc.get_count()', 'gc.isenabled()', 'gc.get_threshold()']));
      return true;
    },
  },
  {
    name: 'gc-tracked',
    weight: 2,
    places: ['top'],
    run(g) {
      g.use('gc');
      const kinds: VarKind[] = ['list', 'dict', 'tuple', 'set', 'obj', 'str', 'int'];
      const v = g.some(g.rng.pick(kinds));
      if (!v) return false;
      g.observe(`gc.is_tracked(${v.name})`);
      return true;
    },
  },
  {
    name: 'gc-disable',
    weight: 2,
    places: ['top'],
    run(g) {
      g.use('gc');
      g.emit('gc.disable()');
      const loop = PRODUCTIONS.find((p) => p.name === 'loop')!;
      loop.run(g);
      if (g.rng.chance(0.8)) g.emit('gc.enable()');
      return true;
    },
  },
  {
    name: 'gc-threshold',
    weight: 1,
    places: ['top'],
    run(g) {
      g.use('gc');
      const [a, b, c] = g.rng.pick([
        [100, 5, 5],
        [50, 2, 2],
        [700, 10, 10],
        [2000, 10, 10],
        [300, 3, 20],
      ]);
      g.emit(`gc.set_threshold(${a}, ${b}, ${c})`);
      return true;
    },
  },
  {
    name: 'getsizeof',
    weight: 2,
    places: ['top'],
    run(g) {
      g.use('sys');
      const sized = g.vars.filter((x) => x.kind !== 'gen' && x.kind !== 'acc' && x.kind !== 'ref');
      const v = sized.length && g.rng.chance(0.7) ? g.rng.pick(sized) : undefined;
      g.observe(`sys.getsizeof(${v ? v.name : g.rng.pick(['[]', '{}', '()', "''", '0', '1.5', `'x' * ${g.rng.int(1, 40)}`, `2 ** ${g.rng.int(10, 100)}`])})`);
      return true;
    },
  },
  {
    name: 'print',
    weight: 4,
    places: ['top'],
    run(g) {
      const a = valueExpr(g);
      g.emit(g.rng.chance(0.3) ? `print(${a}, ${valueExpr(g)})` : `print(${a})`);
      return true;
    },
  },
  {
    name: 'call-work',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const fn = DEFINITIONS.work(g);
      g.observe(`${fn}(${g.loopVar ? g.small(2, 12) : g.rng.int(2, 80)})`);
      return true;
    },
  },
  {
    name: 'recursion',
    weight: 1,
    places: ['top'],
    run(g) {
      const fn = DEFINITIONS.depth(g);
      g.observe(`len(${fn}(${g.rng.int(1, 50)}))`);
      return true;
    },
  },
  {
    name: 'value-keys',
    weight: 1,
    places: ['top'],
    run(g) {
      const K = g.classes.find((c) => c.kind === 'value') ?? defineClass(g, 'value');
      const n = g.rng.int(1, 40);
      const s = g.bind('keys', 'set');
      g.emit(`${s} = {${K.name}(j % ${g.rng.int(1, 9)}) for j in range(${n})}`);
      g.observe(`len(${s})`);
      g.observe(`${K.name}(1) in ${s}`);
      g.drop(g.vars[g.vars.length - 1]);
      return true;
    },
  },
  {
    name: 'loop',
    weight: 6,
    places: ['top', 'loop'],
    run(g) {
      if (g.loopDepth >= 2) return false;
      const r = g.rng;
      const n = g.size();
      const outer = g.loopVar;
      const v = g.loopDepth === 0 ? 'i' : 'k';
      const keep = g.loopDepth === 0 && r.chance(0.5) ? g.bind('keep', 'list') : null;
      const total = g.loopDepth === 0 && r.chance(0.4) ? g.bind('total', 'int') : null;
      if (keep) g.emit(`${keep} = []`);
      if (total) g.emit(`${total} = 0`);
      const header = r.chance(0.85) || g.loopDepth ? `for ${v} in range(${n}):` : null;
      if (!header) g.emit(`${v} = 0`);
      g.block(header ?? `while ${v} < ${n}:`, () => {
        g.loopDepth++;
        g.loopVar = v;
        const count = r.int(1, 4);
        g.lastBound = null;
        for (let j = 0; j < count; j++) statement(g, 'loop');
        const lb = g.lastBound as { name: string; depth: number } | null;
        const last = lb?.depth === g.loopDepth ? lb.name : null;
        if (keep && last && r.chance(0.7)) g.block(`if ${v} % ${r.int(1, 20)} == 0:`, () => g.emit(`${keep}.append(${last})`));
        else if (keep) g.emit(`${keep}.append(${v})`);
        if (total) g.emit(`${total} += ${v} % ${r.int(2, 9)}`);
        if (!header) g.emit(`${v} += 1`);
        g.loopDepth--;
        g.loopVar = outer;
      });
      if (keep) g.observe(`len(${keep})`);
      return true;
    },
  },
];

/** One statement drawn from the productions allowed at `place`. */
export function statement(g: Gen, place: Place): void {
  const allowed = PRODUCTIONS.filter((p) => p.places.includes(place) && (place === 'top' || p.name !== 'loop' || g.loopDepth < 2));
  for (let attempt = 0; attempt < 30; attempt++) {
    const p = g.rng.weighted(allowed.map((x) => ({ weight: x.weight, value: x })));
    if (p.run(g)) return;
  }
  g.emit('pass');
}
