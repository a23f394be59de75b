// Symbol tables over our AST: which names are local, global, cell (captured) or free in each
// scope, computed once before compiling (CPython's Python/symtable.c, simplified).
import { CompileError } from '../errors';
import type * as A from './ast';

export type ScopeKind = 'module' | 'function' | 'class';

/** The AST node that opens a scope. */
export type ScopeNode = A.Module | A.FunctionDef | A.AsyncFunctionDef | A.Lambda | A.ClassDef | A.ListComp | A.SetComp | A.DictComp | A.GeneratorExp;

export class Scope {
  assigned = new Set<string>();
  globals = new Set<string>();
  nonlocals = new Set<string>();
  used = new Set<string>();
  children: Scope[] = [];
  params: string[] = [];
  /** Locals captured by an inner scope. */
  cells = new Set<string>();
  /** Names resolved through the closure, in order of first need. */
  frees: string[] = [];
  isGenerator = false;
  /** `async def` (a coroutine function; with isGenerator, an async generator). */
  isCoroutine = false;
  isComprehension = false;
  /** Uses `super()` or `__class__`: needs the implicit __class__ cell of the enclosing class. */
  hasSuperCall = false;
  /** The first `return value` (an async generator may not have one). */
  returnsValue: A.Return | null = null;
  /** Where each nonlocal was declared (for "no binding" errors). */
  nonlocalAt = new Map<string, A.Pos>();
  /** Contains `yield`/`await` (directly, not in nested scopes): compiled in resumable mode. */
  get isResumable(): boolean {
    return this.isGenerator || this.isCoroutine;
  }
  constructor(
    readonly kind: ScopeKind,
    readonly node: ScopeNode,
    readonly parent: Scope | null,
    readonly name: string,
  ) {}

  isLocal(name: string): boolean {
    return this.kind === 'function' && (this.assigned.has(name) || this.params.includes(name)) && !this.globals.has(name) && !this.nonlocals.has(name);
  }
}

export interface SymbolTable {
  top: Scope;
  /** The scope each scope-opening node opened. */
  scopeOf(node: ScopeNode): Scope;
}

export function buildSymtable(mod: A.Module, filename: string): SymbolTable {
  const b = new Builder(filename);
  const top = b.build(mod);
  return {
    top,
    scopeOf: (node) => {
      const s = b.byNode.get(node);
      if (!s) throw new Error(`no scope for ${node.type} at line ${node.line}`);
      return s;
    },
  };
}

const COMP_NAMES: Record<string, string> = { ListComp: '<listcomp>', SetComp: '<setcomp>', DictComp: '<dictcomp>', GeneratorExp: '<genexpr>' };
const COMP_WORDS: Record<string, string> = { ListComp: 'list comprehension', SetComp: 'set comprehension', DictComp: 'dict comprehension', GeneratorExp: 'generator expression' };

class Builder {
  readonly byNode = new Map<ScopeNode, Scope>();
  constructor(private readonly filename: string) {}

  private error(at: A.Pos, msg: string): CompileError {
    const loc = { filename: this.filename, line: at.line, col: at.col + 1 };
    return new CompileError('syntax', `SyntaxError: ${msg} at ${loc.filename}:${loc.line}:${loc.col}`, loc);
  }

  build(mod: A.Module): Scope {
    const s = new Scope('module', mod, null, '<module>');
    this.byNode.set(mod, s);
    this.stmts(mod.body, s);
    this.resolve(s);
    return s;
  }

  private open(kind: ScopeKind, node: ScopeNode, parent: Scope, name: string): Scope {
    const s = new Scope(kind, node, parent, name);
    parent.children.push(s);
    this.byNode.set(node, s);
    return s;
  }

  private stmts(body: A.Stmt[], s: Scope): void {
    for (const st of body) this.stmt(st, s);
  }

  private exprs(es: (A.Expr | null)[], s: Scope): void {
    for (const e of es) if (e) this.expr(e, s);
  }

  /** Marks the names bound by an assignment (or del) target. */
  private target(e: A.Expr, s: Scope): void {
    switch (e.type) {
      case 'Name':
        s.assigned.add(e.id);
        return;
      case 'Tuple':
      case 'List':
        for (const x of e.elts) this.target(x, s);
        return;
      case 'Starred':
        this.target(e.value, s);
        return;
      default:
        this.expr(e, s);
    }
  }

  private bind(name: string, s: Scope): void {
    s.assigned.add(name);
  }

  private args(a: A.Arguments, fn: Scope, outer: Scope): void {
    // defaults and annotations are evaluated in the enclosing scope
    this.exprs(a.defaults, outer);
    this.exprs(a.kwDefaults, outer);
    const all = [...a.posonlyargs, ...a.args, ...(a.vararg ? [a.vararg] : []), ...a.kwonlyargs, ...(a.kwarg ? [a.kwarg] : [])];
    for (const p of all) {
      fn.params.push(p.arg);
      if (p.annotation) this.expr(p.annotation, outer);
    }
  }

  private stmt(st: A.Stmt, s: Scope): void {
    switch (st.type) {
      case 'FunctionDef':
      case 'AsyncFunctionDef': {
        this.exprs(st.decorators, s);
        this.bind(st.name, s);
        const fn = this.open('function', st, s, st.name);
        fn.isCoroutine = st.type === 'AsyncFunctionDef';
        this.args(st.args, fn, s);
        if (st.returns) this.expr(st.returns, s);
        this.stmts(st.body, fn);
        return;
      }
      case 'ClassDef': {
        this.exprs(st.decorators, s);
        this.bind(st.name, s);
        this.exprs(st.bases, s);
        for (const k of st.keywords) this.expr(k.value, s);
        const cls = this.open('class', st, s, st.name);
        this.stmts(st.body, cls);
        return;
      }
      case 'Return':
        if (st.value) {
          this.expr(st.value, s);
          if (s.isCoroutine && s.isGenerator) throw this.error(st, "'return' with value in async generator");
          s.returnsValue ??= st;
        }
        return;
      case 'Delete':
        for (const t of st.targets) this.target(t, s);
        return;
      case 'Assign':
        this.expr(st.value, s);
        for (const t of st.targets) this.target(t, s);
        return;
      case 'AugAssign':
        this.expr(st.value, s);
        this.target(st.target, s);
        if (st.target.type === 'Name') s.used.add(st.target.id);
        return;
      case 'AnnAssign':
        if (st.value) this.expr(st.value, s);
        if (st.target.type === 'Name') {
          if (st.value) this.target(st.target, s);
          // a bare `x: int` in a function still makes x local
          else if (s.kind === 'function') s.assigned.add(st.target.id);
        } else this.target(st.target, s);
        if (s.kind !== 'function') this.expr(st.annotation, s);
        return;
      case 'For':
      case 'AsyncFor':
        this.expr(st.iter, s);
        this.target(st.target, s);
        this.stmts(st.body, s);
        this.stmts(st.orelse, s);
        return;
      case 'While':
      case 'If':
        this.expr(st.test, s);
        this.stmts(st.body, s);
        this.stmts(st.orelse, s);
        return;
      case 'With':
      case 'AsyncWith':
        for (const it of st.items) {
          this.expr(it.contextExpr, s);
          if (it.optionalVars) this.target(it.optionalVars, s);
        }
        this.stmts(st.body, s);
        return;
      case 'Match':
        this.expr(st.subject, s);
        for (const c of st.cases) {
          this.pattern(c.pattern, s);
          if (c.guard) this.expr(c.guard, s);
          this.stmts(c.body, s);
        }
        return;
      case 'Raise':
        this.exprs([st.exc, st.cause], s);
        return;
      case 'Try':
      case 'TryStar':
        this.stmts(st.body, s);
        for (const h of st.handlers) {
          if (h.excType) this.expr(h.excType, s);
          if (h.name) this.bind(h.name, s);
          this.stmts(h.body, s);
        }
        this.stmts(st.orelse, s);
        this.stmts(st.finalbody, s);
        return;
      case 'Assert':
        this.exprs([st.test, st.msg], s);
        return;
      case 'Import':
        for (const a of st.names) this.bind(a.asname ?? a.name.split('.')[0], s);
        return;
      case 'ImportFrom':
        for (const a of st.names) if (a.name !== '*') this.bind(a.asname ?? a.name, s);
        return;
      case 'Global':
      case 'Nonlocal': {
        const word = st.type === 'Global' ? 'global' : 'nonlocal';
        if (st.type === 'Nonlocal' && s.kind === 'module') throw this.error(st, 'nonlocal declaration not allowed at module level');
        for (const n of st.names) {
          if (s.params.includes(n)) throw this.error(st, `name '${n}' is parameter and ${word}`);
          if (s.assigned.has(n)) throw this.error(st, `name '${n}' is assigned to before ${word} declaration`);
          if (s.used.has(n)) throw this.error(st, `name '${n}' is used prior to ${word} declaration`);
          (st.type === 'Global' ? s.globals : s.nonlocals).add(n);
          if (st.type === 'Nonlocal' && !s.nonlocalAt.has(n)) s.nonlocalAt.set(n, st);
        }
        return;
      }
      case 'Expr':
        this.expr(st.value, s);
        return;
      case 'Pass':
      case 'Break':
      case 'Continue':
        return;
    }
  }

  private pattern(p: A.Pattern, s: Scope): void {
    switch (p.type) {
      case 'MatchValue':
        this.expr(p.value, s);
        return;
      case 'MatchSingleton':
        return;
      case 'MatchSequence':
      case 'MatchOr':
        for (const x of p.patterns) this.pattern(x, s);
        return;
      case 'MatchMapping':
        this.exprs(p.keys, s);
        for (const x of p.patterns) this.pattern(x, s);
        if (p.rest) this.bind(p.rest, s);
        return;
      case 'MatchClass':
        this.expr(p.cls, s);
        for (const x of [...p.patterns, ...p.kwdPatterns]) this.pattern(x, s);
        return;
      case 'MatchStar':
        if (p.name) this.bind(p.name, s);
        return;
      case 'MatchAs':
        if (p.pattern) this.pattern(p.pattern, s);
        if (p.name) this.bind(p.name, s);
        return;
    }
  }

  private comprehension(e: A.ListComp | A.SetComp | A.DictComp | A.GeneratorExp, s: Scope): void {
    const comp = this.open('function', e, s, COMP_NAMES[e.type]);
    // The first iterable is evaluated in the enclosing scope.
    this.expr(e.generators[0].iter, s);
    comp.params.push('.0');
    comp.isComprehension = true;
    if (e.type === 'GeneratorExp') comp.isGenerator = true;
    e.generators.forEach((g, i) => {
      this.target(g.target, comp);
      if (i > 0) this.expr(g.iter, comp);
      this.exprs(g.ifs, comp);
    });
    if (e.type === 'DictComp') this.exprs([e.key, e.value], comp);
    else this.expr(e.elt, comp);
  }

  private expr(e: A.Expr, s: Scope): void {
    switch (e.type) {
      case 'Name':
        if (e.ctx === 'Load') {
          s.used.add(e.id);
          if (e.id === '__class__') s.hasSuperCall = true;
        } else s.assigned.add(e.id);
        return;
      case 'Constant':
        return;
      case 'BoolOp':
        this.exprs(e.values, s);
        return;
      case 'NamedExpr': {
        this.expr(e.value, s);
        // PEP 572: the target binds in the nearest enclosing non-comprehension scope
        const id = e.target.id;
        let t = s;
        while (t.isComprehension) t = t.parent!;
        if (t !== s) {
          if (t.kind === 'class') throw this.error(e, 'assignment expression within a comprehension cannot be used in a class body');
          for (let c: Scope = s; c !== t; c = c.parent!) (t.kind === 'module' ? c.globals : c.nonlocals).add(id);
        }
        t.assigned.add(id);
        return;
      }
      case 'BinOp':
        this.expr(e.left, s);
        this.expr(e.right, s);
        return;
      case 'UnaryOp':
        this.expr(e.operand, s);
        return;
      case 'Lambda': {
        const fn = this.open('function', e, s, '<lambda>');
        this.args(e.args, fn, s);
        this.expr(e.body, fn);
        return;
      }
      case 'IfExp':
        this.exprs([e.test, e.body, e.orelse], s);
        return;
      case 'Dict':
        this.exprs(e.keys, s);
        this.exprs(e.values, s);
        return;
      case 'Set':
      case 'List':
      case 'Tuple':
        this.exprs(e.elts, s);
        return;
      case 'ListComp':
      case 'SetComp':
      case 'DictComp':
      case 'GeneratorExp':
        this.comprehension(e, s);
        return;
      case 'Await':
        this.expr(e.value, s);
        return;
      case 'Yield':
      case 'YieldFrom':
        if (s.isComprehension) throw this.error(e, `'yield' inside ${COMP_WORDS[(s.node as A.Expr).type]}`);
        s.isGenerator = true;
        if (s.isCoroutine && s.returnsValue) throw this.error(s.returnsValue, "'return' with value in async generator");
        if (e.value) this.expr(e.value, s);
        return;
      case 'Compare':
        this.expr(e.left, s);
        this.exprs(e.comparators, s);
        return;
      case 'Call':
        if (e.func.type === 'Name' && e.func.id === 'super') s.hasSuperCall = true;
        this.expr(e.func, s);
        this.exprs(e.args, s);
        for (const k of e.keywords) this.expr(k.value, s);
        return;
      case 'FormattedValue':
        this.expr(e.value, s);
        if (e.formatSpec) this.expr(e.formatSpec, s);
        return;
      case 'JoinedStr':
        this.exprs(e.values, s);
        return;
      case 'Attribute':
        this.expr(e.value, s);
        return;
      case 'Subscript':
        this.expr(e.value, s);
        this.expr(e.slice, s);
        return;
      case 'Starred':
        this.expr(e.value, s);
        return;
      case 'Slice':
        this.exprs([e.lower, e.upper, e.step], s);
        return;
    }
  }

  /** Resolve free variables (bottom-up) and mark captured locals as cells. */
  private resolve(s: Scope): void {
    for (const c of s.children) this.resolve(c);
    if (s.kind === 'module') return;
    const wanted = new Set<string>();
    for (const n of s.used) if (!s.isLocal(n) && !s.globals.has(n) && !(s.kind === 'class' && s.assigned.has(n))) wanted.add(n);
    for (const n of s.nonlocals) wanted.add(n);
    for (const c of s.children) for (const f of c.frees) if (!s.isLocal(f) || s.kind === 'class') wanted.add(f);
    for (const name of wanted) {
      // Class scopes are skipped: their names are not visible to nested functions.
      let found = false;
      for (let q = s.parent; q && q.kind !== 'module'; q = q.parent) {
        if (q.kind === 'class') continue;
        if (q.isLocal(name) || (q.nonlocals.has(name) && q !== s)) {
          found = true;
          break;
        }
        if (q.globals.has(name)) break;
      }
      if (!found && s.nonlocals.has(name)) throw this.error(s.nonlocalAt.get(name) ?? s.node, `no binding for nonlocal '${name}' found`);
      if (found && !s.frees.includes(name)) s.frees.push(name);
    }
    for (const c of s.children) for (const f of c.frees) if (s.isLocal(f) && s.kind === 'function') s.cells.add(f);
  }
}
