// Functions, lambdas and classes: code objects (CodeInfo) from the symbol table, MAKE_FUNCTION
// with defaults, keyword defaults and the closure tuple, decorators, and class bodies.
import { NULL } from '../../sim';
import * as O from '../vm/ops';
import { buildClass } from '../objects/type';
import type * as A from '../parse/ast';
import type { Scope } from '../parse/symtable';
import type { Frame, CodeInfo, Id, FuncPayload, ParamSpec } from '../vm/runtime';
import type { C, ClassHolder, Expr, Stmt } from './context';
import { NORMAL } from './context';
import { tupleOf } from './expressions';
import { storeName } from './names';

function paramSpec(a: A.Arguments): { spec: ParamSpec; defaults: A.Expr[]; kwDefaults: { name: string; expr: A.Expr }[] } {
  const pos = [...a.posonlyargs, ...a.args].map((p) => p.arg);
  const kwonly = a.kwonlyargs.map((p) => p.arg);
  const names = [...pos, ...kwonly];
  if (a.vararg) names.push(a.vararg.arg);
  if (a.kwarg) names.push(a.kwarg.arg);
  const kwDefaults: { name: string; expr: A.Expr }[] = [];
  a.kwonlyargs.forEach((p, i) => {
    const d = a.kwDefaults[i];
    if (d) kwDefaults.push({ name: p.arg, expr: d });
  });
  return { spec: { names, nPositional: pos.length, nKwOnly: kwonly.length, varargs: !!a.vararg, varkw: !!a.kwarg }, defaults: a.defaults, kwDefaults };
}

/** Builds the CodeInfo of a function-like scope; the body is compiled by `compileBody`. */
export function makeCode(c: C, scope: Scope, name: string, spec: ParamSpec, at: A.Pos, compileBody: (code: CodeInfo) => void): CodeInfo {
  const localNames: string[] = [...spec.names];
  for (const a of scope.assigned) if (!localNames.includes(a) && !scope.globals.has(a) && !scope.nonlocals.has(a)) localNames.push(a);
  c.localIndex = new Map(localNames.map((n, i) => [n, i]));
  c.cellIndex = new Map();
  const cellOfLocal = new Map<number, number>();
  let ci = 0;
  for (const cell of scope.cells) {
    cellOfLocal.set(c.localIndex.get(cell)!, ci);
    c.cellIndex.set(cell, ci++);
  }
  for (const cell of scope.cells) c.localIndex.delete(cell);
  for (const fr of scope.frees) c.cellIndex.set(fr, ci++);
  const parentQual = c.code?.qualname && c.code.qualname !== '<module>' ? c.code.qualname + '.' : '';
  const code: CodeInfo = {
    name, qualname: parentQual + name, filename: c.filename, firstLine: at.line, params: spec,
    nLocals: localNames.length, localNames, cellOfLocal, nCells: scope.cells.size, nFree: scope.frees.length,
    isGenerator: scope.isGenerator, isComprehension: false, run: () => 0,
  };
  c.code = code;
  compileBody(code);
  return code;
}

/** MAKE_FUNCTION's closure: a tuple of the enclosing cells the scope needs. */
export function closureLoader(c: C, scope: Scope): Expr | null {
  if (!scope.frees.length) return null;
  const idx = scope.frees.map((name) => {
    const i = c.cellIndex.get(name);
    if (i === undefined) throw c.unsupported(scope.node, `closure over '${name}'`);
    return i;
  });
  return (f) => f.rt.newTuple(idx.map((i) => f.rt.incref(f.cells[i])));
}

export function makeFunction(f: Frame, code: CodeInfo, defaults: Id, closure: Id, kwDefaults: Map<string, Id> | null, nDefaults: number): Id {
  const R = f.rt;
  const fn = R.alloc(R.T.function, R.sz.function);
  R.heap.appendRef(fn, defaults || NULL);
  R.heap.appendRef(fn, closure || NULL);
  if (kwDefaults) for (const v of kwDefaults.values()) R.heap.appendRef(fn, v);
  const p: FuncPayload = { kind: 'func', code, globals: f.globals, name: code.name, nDefaults, kwDefaults };
  R.P[fn] = p;
  return fn;
}

function functionMaker(c: C, node: A.FunctionDef | A.AsyncFunctionDef | A.Lambda, name: string, bodyOf: (scope: Scope, code: CodeInfo) => void): Expr {
  const { spec, defaults, kwDefaults } = paramSpec(node.args);
  const defaultsExpr = defaults.length ? tupleOf(c, defaults) : null;
  const kwExprs = kwDefaults.map((d) => ({ name: d.name, expr: c.expr(d.expr) }));
  const classHolder = c.scope.kind === 'class' ? c.classStack[c.classStack.length - 1]?.holder : undefined;
  const code = c.enterScope(node, (scope) => makeCode(c, scope, name, spec, node, (cd) => bodyOf(scope, cd)));
  const scope = c.symtable.scopeOf(node);
  let closure = closureLoader(c, scope);
  if (classHolder) (code as CodeInfo & { classHolder?: unknown }).classHolder = classHolder;
  if (classHolder && scope.hasSuperCall) {
    // super() needs the implicit __class__ cell: it joins the function's closure tuple.
    const frees = closure;
    closure = (f) => {
      const R = f.rt;
      const items: Id[] = [];
      if (frees) {
        const t = frees(f);
        for (let i = 0; i < R.heap.refLen(t); i++) items.push(R.incref(R.heap.getRef(t, i)));
        R.decref(t);
      }
      items.push(R.incref(classHolder.cell));
      return R.newTuple(items);
    };
  }
  const nDefaults = defaults.length;
  return (f) => {
    const R = f.rt;
    const d = defaultsExpr ? defaultsExpr(f) : 0;
    let kw: Map<string, Id> | null = null;
    if (kwExprs.length) {
      kw = new Map();
      for (const k of kwExprs) kw.set(k.name, k.expr(f));
    }
    const cl = closure ? closure(f) : 0;
    const fn = makeFunction(f, code, d, cl, kw, nDefaults);
    if (d) R.decref(d);
    if (cl) R.decref(cl);
    if (kw) for (const v of kw.values()) R.decref(v);
    return fn;
  };
}

/** Applies decorators bottom-up, consuming each decorator and the object it wraps. */
function decorate(f: Frame, decs: Id[], obj: Id): Id {
  const R = f.rt;
  for (let i = decs.length - 1; i >= 0; i--) {
    const r = O.call(R, decs[i], [obj], null);
    R.decref(obj);
    R.decref(decs[i]);
    obj = r;
  }
  return obj;
}

export function compileFunctionDef(c: C, n: A.FunctionDef | A.AsyncFunctionDef): Stmt {
  if (n.type === 'AsyncFunctionDef') throw c.unsupported(n, 'async def');
  const decorators = n.decorators.map((d) => c.expr(d));
  const make = functionMaker(c, n, n.name, (scope, code) => c.funcBody(scope, code, n.body));
  const store = storeName(c, n.name);
  return (f) => {
    const decs = decorators.map((d) => d(f));
    store(f, decorate(f, decs, make(f)));
    return NORMAL;
  };
}

export function compileLambda(c: C, n: A.Lambda): Expr {
  return functionMaker(c, n, '<lambda>', (scope, code) => {
    if (scope.isGenerator) throw c.unsupported(n, 'yield in lambda');
    const e = c.expr(n.body);
    code.run = (f) => e(f);
  });
}

export function compileClassDef(c: C, n: A.ClassDef): Stmt {
  const decorators = n.decorators.map((d) => c.expr(d));
  const name = n.name;
  if (n.keywords.length) throw c.unsupported(n, 'class keyword arguments (metaclass)');
  if (n.bases.some((b) => b.type === 'Starred')) throw c.unsupported(n, 'starred base classes');
  const bases = n.bases.map((b) => c.expr(b));
  const holder: ClassHolder = { cls: null, cell: 0 };
  c.classStack.push({ holder });
  let bodyStmt: Stmt;
  try {
    bodyStmt = c.enterScope(n, () => {
      // A class body keeps the enclosing function's locals and cells.
      c.cellIndex = new Map(c.cellIndex);
      c.localIndex = new Map();
      return c.block(n.body);
    });
  } finally {
    c.classStack.pop();
  }
  const scope = c.symtable.scopeOf(n);
  const store = storeName(c, name);
  const qual = (c.code?.qualname && c.code.qualname !== '<module>' ? c.code.qualname + '.' : '') + name;
  const classCode: CodeInfo = {
    name, qualname: qual, filename: c.filename, firstLine: n.line,
    params: { names: [], nPositional: 0, nKwOnly: 0, varargs: false, varkw: false },
    nLocals: 0, localNames: [], cellOfLocal: new Map(), nCells: 0, nFree: 0, isGenerator: false, isComprehension: false,
    run: () => 0,
  };
  const needsClassCell = scope.children.some((s) => s.hasSuperCall);
  return (f) => {
    const R = f.rt;
    const decs = decorators.map((d) => d(f));
    const baseIds = bases.map((b) => b(f));
    let cls: Id;
    if (needsClassCell) {
      holder.cell = R.alloc(R.T.cell, R.sz.cell);
      R.heap.appendRef(holder.cell, NULL);
    }
    try {
      cls = buildClass(R, f, classCode, name, baseIds, (bf) => {
        // The class body shares the enclosing frame's cells (for closures over function locals).
        bf.cells = f.cells;
        bodyStmt(bf);
      }, holder);
    } finally {
      for (const b of baseIds) R.decref(b);
      if (needsClassCell) {
        // __classcell__: the cell now points at the class; the closures keep it alive.
        if (holder.cls) R.heap.setRef(holder.cell, 0, holder.cls.id);
        R.decref(holder.cell);
        holder.cell = 0;
      }
    }
    store(f, decorate(f, decs, cls));
    return NORMAL;
  };
}

// ------------------------------------------------------------------ co_stacksize

/**
 * A rough co_stacksize for frames: nested loops plus the widest call, display or dict (counted
 * as the parser's nodes were: a keyword argument counts three, `*x` two). Sizes generator frames
 * and frame objects, so it stays what it was when measured.
 */
export function stackEstimate(body: A.Stmt[]): number {
  let loops = 0;
  let widest = 0;
  const wide = (n: number) => {
    if (n > widest) widest = n;
  };
  const starCount = (elts: A.Expr[]) => elts.reduce((k, x) => k + (x.type === 'Starred' ? 2 : 1), 0);
  const walk = (x: unknown, depth: number): void => {
    if (Array.isArray(x)) {
      for (const y of x) walk(y, depth);
      return;
    }
    if (!x || typeof x !== 'object') return;
    const n = x as { type?: string } & Record<string, unknown>;
    let d = depth;
    switch (n.type) {
      case 'For': case 'AsyncFor': case 'While':
        d++;
        break;
      case 'Call': {
        const call = n as unknown as A.Call;
        let k = 0;
        for (const a of call.args) {
          if (a.type === 'Starred') k += 2;
          else if (a.type === 'GeneratorExp' && call.args.length === 1 && a.line === call.func.endLine && a.col === call.func.endCol) {
            // f(x for x in y): the comprehension's tokens sat in the argument list
            k += 1;
            for (const g of a.generators) k += (g.isAsync ? 1 : 0) + 3 + (g.target.type === 'Tuple' && !g.target.parenthesized ? g.target.elts.length : 1) + 2 * g.ifs.length;
          } else k += 1;
        }
        for (const kw of call.keywords) k += kw.arg === null ? 2 : 3;
        wide(k);
        break;
      }
      case 'Tuple':
        if ((n as unknown as A.Tuple).parenthesized) wide(starCount((n as unknown as A.Tuple).elts));
        break;
      case 'List': case 'Set':
        wide(starCount((n as unknown as A.List).elts));
        break;
      case 'Dict':
        wide((n as unknown as A.Dict).keys.filter((k) => k !== null).length);
        break;
      case 'FunctionDef': case 'AsyncFunctionDef': case 'ClassDef':
        walk(n.decorators, d);
        return;
      case 'Lambda':
        return;
    }
    if (d > loops) loops = d;
    for (const [k, v] of Object.entries(n)) if (k !== 'type' && v && typeof v === 'object') walk(v, d);
  };
  walk(body, 0);
  const est = loops + widest + 1;
  return loops > 0 ? Math.max(3, est) : est;
}
