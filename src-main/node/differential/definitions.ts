// Definitions a program needs, written once before its body: instance classes of several
// kinds (plain, __slots__, __del__, subclass with super(), value keys with __eq__/__hash__,
// resurrecting) and helper functions (closures, generators, raisers, a context manager).
import { IND } from './gen';
import type { Gen } from './gen';
import type { ClassInfo, ClassKind } from './gen';

export function defineClass(g: Gen, kind: ClassKind): ClassInfo {
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
    const cls = objClass(g);
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

/** An instance class of the program, defining a new one now and then. */
export function objClass(g: Gen, pred: (c: ClassInfo) => boolean = () => true): ClassInfo {
  const existing = g.classes.filter((c) => c.kind !== 'value' && pred(c));
  if (existing.length && g.rng.chance(0.75)) return g.rng.pick(existing);
  for (let attempt = 0; attempt < 20; attempt++) {
    const kind = g.rng.weighted<ClassKind>([
      { weight: 4, value: 'plain' },
      { weight: 2, value: 'slots' },
      { weight: 2, value: 'del' },
      { weight: 2, value: 'sub' },
      { weight: 1, value: 'resurrect' },
    ]);
    const c = defineClass(g, kind);
    if (pred(c)) return c;
  }
  return defineClass(g, 'plain');
}
