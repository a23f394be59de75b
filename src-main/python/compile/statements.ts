// Statements (plain form). A compound statement is compiled into parts shared with its
// resumable form (gstatements.ts, only for statements containing yield/await): the loop head
// (line, budget tick, eval breaker), handler entry and exit (bind, then unbind the `as` name and
// release the exception), `finally` outcomes and the context manager protocol (control.ts).
import type * as A from '../parse/ast';
import * as O from '../vm/ops';
import { PyErr } from '../vm/runtime';
import type { Frame, Id } from '../vm/runtime';
import { getAttr, getItem, setItem } from '../objects/abstract';
import { importModule } from '../modules/registry';
import type { C, Stmt } from './context';
import { BREAK, CONTINUE, NORMAL, RETURN } from './context';
import { iterable, subscript } from './expressions';
import { getIterReleasing } from './comprehensions';
import { compileClassDef, compileFunctionDef } from './functions';
import { loadName, storeName, unbindName } from './names';
import { withObjectAndKey } from './targets';
import type { Handler } from './control';
import { afterFinally, chainContext, enterHandler, enterWith, exitWithError, exitWithNone, findHandler, forHead, leaveHandler, whileHead } from './control';

export const COMPOUND = new Set(['FunctionDef', 'AsyncFunctionDef', 'ClassDef', 'If', 'For', 'AsyncFor', 'While', 'Try', 'TryStar', 'With', 'AsyncWith', 'Match']);

/** The line a statement reports (a decorated definition: its first decorator, as CPython's MAKE_FUNCTION does). */
export function lineOf(s: A.Stmt): number {
  if ((s.type === 'FunctionDef' || s.type === 'AsyncFunctionDef' || s.type === 'ClassDef') && s.decorators.length) return s.decorators[0].line;
  return s.line;
}

// ------------------------------------------------------------------ blocks

export function compileBlock(c: C, body: A.Stmt[]): Stmt {
  const stmts = body.map((s) => statement(c, s));
  const n = stmts.length;
  if (n === 0) return () => NORMAL;
  if (n === 1) return stmts[0];
  return (f) => {
    for (let i = 0; i < n; i++) {
      const code = stmts[i](f);
      if (code !== NORMAL) return code;
    }
    return NORMAL;
  };
}

/** Every statement sets the frame's line; a simple one also counts a step (the budget's tick). */
export function statement(c: C, s: A.Stmt): Stmt {
  const inner = statementInner(c, s);
  const line = lineOf(s);
  if (COMPOUND.has(s.type)) {
    return (f) => {
      f.line = line;
      f.rt.line = line;
      return inner(f);
    };
  }
  return (f) => {
    const R = f.rt;
    f.line = line;
    R.line = line;
    if (++R.steps >= R.nextTick) R.tickCheck();
    return inner(f);
  };
}

// ------------------------------------------------------------------ plain statements

function statementInner(c: C, s: A.Stmt): Stmt {
  switch (s.type) {
    case 'Expr': {
      const e = c.expr(s.value);
      return (f) => {
        f.rt.heap.decref(e(f));
        return NORMAL;
      };
    }
    case 'Assign': return assign(c, s);
    case 'AnnAssign': {
      // a bare annotation does nothing at run time
      if (!s.value) return () => NORMAL;
      const target = c.target(s.target);
      const value = c.expr(s.value);
      return (f) => {
        target(f, value(f));
        return NORMAL;
      };
    }
    case 'AugAssign': return augAssign(c, s);
    case 'Pass': return () => NORMAL;
    case 'Break': return () => BREAK;
    case 'Continue': return () => CONTINUE;
    case 'Return': {
      const e = s.value ? c.expr(s.value) : null;
      return (f) => {
        f.ret = e ? e(f) : f.rt.none();
        return RETURN;
      };
    }
    case 'If': {
      const t = c.cond(s.test);
      const b = c.block(s.body);
      if (!s.orelse.length) return (f) => (t(f) ? b(f) : NORMAL);
      const e = c.block(s.orelse);
      return (f) => (t(f) ? b(f) : e(f));
    }
    case 'While': {
      const test = c.cond(s.test);
      const body = c.block(s.body);
      const orelse = s.orelse.length ? c.block(s.orelse) : null;
      const line = s.line;
      return (f) => {
        for (;;) {
          whileHead(f, line);
          if (!test(f)) break;
          const code = body(f);
          if (code === BREAK) return NORMAL;
          if (code === RETURN) return code;
        }
        return orelse ? orelse(f) : NORMAL;
      };
    }
    case 'For': {
      const target = c.target(s.target);
      const iter = iterable(c, s.iter);
      const body = c.block(s.body);
      const orelse = s.orelse.length ? c.block(s.orelse) : null;
      const line = s.line;
      return (f) => {
        const R = f.rt;
        const it = getIterReleasing(f, iter(f));
        try {
          for (;;) {
            forHead(f, line);
            const x = O.iterNext(R, it);
            if (!x) break;
            target(f, x);
            const code = body(f);
            if (code === BREAK) return NORMAL;
            if (code === RETURN) return code;
          }
        } finally {
          R.decref(it);
        }
        return orelse ? orelse(f) : NORMAL;
      };
    }
    case 'FunctionDef':
    case 'AsyncFunctionDef':
      return compileFunctionDef(c, s);
    case 'ClassDef': return compileClassDef(c, s);
    case 'Global':
    case 'Nonlocal':
      return () => NORMAL;
    case 'Delete': {
      const dels = s.targets.map((t) => c.delTarget(t));
      return (f) => {
        for (const d of dels) d(f);
        return NORMAL;
      };
    }
    case 'Raise': return raiseStmt(c, s);
    case 'Try': return tryStmt(c, s);
    case 'Assert': {
      const test = c.cond(s.test);
      const msg = s.msg ? c.expr(s.msg) : null;
      return (f) => {
        const R = f.rt;
        if (!test(f)) {
          const cls = R.builtinClasses.get('AssertionError')!;
          throw new PyErr(R.makeException(cls, msg ? [msg(f)] : []));
        }
        return NORMAL;
      };
    }
    case 'Import':
    case 'ImportFrom':
      return importStmt(c, s);
    case 'With': return withStmt(c, s);
    case 'TryStar': throw c.unsupported(s, 'except*');
    case 'Match': throw c.unsupported(s, 'match statement');
    case 'AsyncFor': throw c.unsupported(s, 'async for');
    case 'AsyncWith': throw c.unsupported(s, 'async with');
  }
}

function assign(c: C, s: A.Assign): Stmt {
  const value = c.expr(s.value);
  if (s.targets.length === 1) {
    const t = s.targets[0];
    const v = s.value;
    // a, b = x, y with up to 3 names: CPython swaps on the stack without building a tuple.
    if (t.type === 'Tuple' && !t.parenthesized && v.type === 'Tuple' && !v.parenthesized && t.elts.length === v.elts.length && t.elts.length <= 3 && !t.elts.some((x) => x.type === 'Starred') && !v.elts.some((x) => x.type === 'Starred')) {
      const values = v.elts.map((x) => c.expr(x));
      const stores = t.elts.map((x) => c.target(x));
      const k = values.length;
      return (f) => {
        const vs = new Array<Id>(k);
        for (let i = 0; i < k; i++) vs[i] = values[i](f);
        for (let i = 0; i < k; i++) stores[i](f, vs[i]);
        return NORMAL;
      };
    }
    const target = c.target(t);
    return (f) => {
      target(f, value(f));
      return NORMAL;
    };
  }
  const targets = s.targets.map((t) => c.target(t));
  return (f) => {
    const R = f.rt;
    const v = value(f);
    for (let i = 0; i < targets.length; i++) {
      R.heap.incref(v);
      targets[i](f, v);
    }
    R.heap.decref(v);
    return NORMAL;
  };
}

/** `target op= value`: load the target's current value, apply the in-place operator, store. */
function augAssign(c: C, s: A.AugAssign): Stmt {
  const t = s.target;
  const op = s.op;
  const value = c.expr(s.value);
  const combine = (f: Frame, a: Id): Id => {
    const R = f.rt;
    let b = 0;
    try {
      b = value(f);
      return O.inplace(R, op, a, b);
    } finally {
      R.decref(a);
      if (b) R.decref(b);
    }
  };
  if (t.type === 'Name') {
    const load = loadName(c, t.id);
    const store = storeName(c, t.id);
    return (f) => {
      store(f, combine(f, load(f)));
      return NORMAL;
    };
  }
  const obj = c.expr(t.value);
  if (t.type === 'Attribute') {
    const name = t.attr;
    return (f) => {
      const R = f.rt;
      const o = obj(f);
      try {
        const r = combine(f, getAttr(R, o, name));
        R.setAttr(o, name, r);
        R.decref(r);
      } finally {
        R.decref(o);
      }
      return NORMAL;
    };
  }
  const key = subscript(c, t.slice);
  return (f) => {
    withObjectAndKey(f, obj, key, (o, k) => {
      const R = f.rt;
      const r = combine(f, getItem(R, o, k));
      setItem(R, o, k, r);
      R.decref(r);
    });
    return NORMAL;
  };
}

function raiseStmt(c: C, s: A.Raise): Stmt {
  const exc = s.exc ? c.expr(s.exc) : null;
  const cause = s.cause ? c.expr(s.cause) : null;
  return (f) => {
    const R = f.rt;
    const cur = f.handling && f.handling.length ? f.handling[f.handling.length - 1] : 0;
    if (!exc) {
      if (!cur) throw R.err('RuntimeError', 'No active exception to reraise');
      const e = new PyErr(R.incref(cur));
      e.lastFrame = f;
      throw e;
    }
    const v = exc(f);
    let inst = v;
    const cls = R.classInfo(v);
    if (cls) {
      if (!cls.isException) {
        R.decref(v);
        throw R.err('TypeError', 'exceptions must derive from BaseException');
      }
      inst = O.call(R, v, [], null);
      R.decref(v);
    } else if (!R.classOf(v).isException) {
      R.decref(v);
      throw R.err('TypeError', 'exceptions must derive from BaseException');
    }
    if (cause) {
      const k = cause(f);
      R.setAttr(inst, '__cause__', k);
      R.decref(k);
    }
    if (cur && cur !== inst) R.setAttr(inst, '__context__', cur);
    throw new PyErr(inst);
  };
}

export function handlersOf(c: C, s: A.Try): Handler[] {
  return s.handlers.map((h) => ({
    type: h.excType ? c.expr(h.excType) : null,
    name: h.name ? storeName(c, h.name) : null,
    unbind: h.name ? unbindName(c, h.name) : null,
  }));
}

function tryStmt(c: C, s: A.Try): Stmt {
  const body = c.block(s.body);
  const handlers = handlersOf(c, s);
  const bodies = s.handlers.map((h) => c.block(h.body));
  const orelse = s.orelse.length ? c.block(s.orelse) : null;
  const fin = s.finalbody.length ? c.block(s.finalbody) : null;
  const run = (f: Frame): number => {
    let code: number;
    try {
      code = body(f);
    } catch (e) {
      const i = findHandler(f, handlers, e);
      const exc = (e as PyErr).exc;
      enterHandler(f, handlers[i], exc);
      try {
        return bodies[i](f);
      } catch (e2) {
        chainContext(f, e2, exc);
        throw e2;
      } finally {
        leaveHandler(f, handlers[i], exc);
      }
    }
    if (code === NORMAL && orelse) return orelse(f);
    return code;
  };
  if (!fin) return run;
  return (f) => {
    let code = NORMAL;
    let failed = false;
    let err: unknown = null;
    try {
      code = run(f);
    } catch (e) {
      failed = true;
      err = e;
    }
    return afterFinally(f, fin(f), code, failed, err);
  };
}

function withStmt(c: C, s: A.With): Stmt {
  const items = s.items.map((it) => ({ ctx: c.expr(it.contextExpr), as: it.optionalVars ? c.target(it.optionalVars) : null }));
  let body = c.block(s.body);
  for (let k = items.length - 1; k >= 0; k--) {
    const inner = body;
    const { ctx, as } = items[k];
    body = (f) => {
      const exit = enterWith(f, ctx(f), as);
      let code: number;
      try {
        code = inner(f);
      } catch (e) {
        if (exitWithError(f, exit, e)) return NORMAL;
        throw e;
      }
      exitWithNone(f, exit);
      return code;
    };
  }
  return body;
}

function importStmt(c: C, s: A.Import | A.ImportFrom): Stmt {
  const R = c.R;
  const where = `${c.filename}:${s.line}`;
  if (s.type === 'ImportFrom') {
    const modName = '.'.repeat(s.level) + (s.module ?? '');
    if (!R.modules.has(modName)) throw c.unsupported(s, `module '${modName}'`);
    if (s.names.some((a) => a.name === '*')) throw c.unsupported(s.names[0], 'from-import *');
    const names = s.names.map((a) => ({ name: a.name, store: storeName(c, a.asname ?? a.name) }));
    return (f) => {
      const m = importModule(f.rt, modName, where);
      try {
        for (const { name, store } of names) store(f, getAttr(f.rt, m, name));
      } finally {
        f.rt.decref(m);
      }
      return NORMAL;
    };
  }
  const parts = s.names.map((a) => {
    if (!R.modules.has(a.name)) throw c.unsupported(a, `module '${a.name}'`);
    return { mod: a.name, store: storeName(c, a.asname ?? a.name.split('.')[0]) };
  });
  return (f) => {
    for (const p of parts) p.store(f, importModule(f.rt, p.mod, where));
    return NORMAL;
  };
}

