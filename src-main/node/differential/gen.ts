// The generation context of the grammar: the lines written so far, the names in scope and their
// kinds, the classes and helpers the program defines, the seeded random source.
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

export const IND = '    ';

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

  observe(expr: string): void {
    this.emit(`seen.append(${expr})`);
  }
}
