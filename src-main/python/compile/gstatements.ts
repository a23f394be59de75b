// Statements in the resumable mode (generators): only a statement whose subtree contains
// yield/await gets a generator form; the rest are the plain closures, lifted. Each form below is a
// control skeleton over the same parts as the plain one (control.ts, statements.ts).
import type * as A from '../parse/ast';
import * as O from '../vm/ops';
import type { PyErr } from '../vm/runtime';
import type { Frame, Id } from '../vm/runtime';
import type { C, GStmt } from './context';
import { BREAK, NORMAL, RETURN } from './context';
import { iterable } from './expressions';
import { getIterReleasing } from './comprehensions';
import { loadName, storeName } from './names';
import { hasYield, liftStmt } from './resumable';
import { afterFinally, chainContext, enterHandler, enterWith, exitWithError, exitWithNone, findHandler, forHead, leaveHandler, runWhileClosing, whileHead } from './control';
import { COMPOUND, handlersOf, lineOf, statement } from './statements';

export function compileGBlock(c: C, body: A.Stmt[]): GStmt {
  const stmts = body.map((s) => (hasYield(s) ? gstatement(c, s) : liftStmt(statement(c, s))));
  return function* (f) {
    for (const s of stmts) {
      const code = yield* s(f);
      if (code !== NORMAL) return code;
    }
    return NORMAL;
  };
}

function gstatement(c: C, s: A.Stmt): GStmt {
  const inner = gstatementInner(c, s);
  const line = lineOf(s);
  const compound = COMPOUND.has(s.type);
  return function* (f) {
    const R = f.rt;
    f.line = line;
    R.line = line;
    if (!compound && ++R.steps >= R.nextTick) R.tickCheck();
    return yield* inner(f);
  };
}

function gstatementInner(c: C, s: A.Stmt): GStmt {
  switch (s.type) {
    case 'Expr': {
      const e = c.gexpr(s.value);
      return function* (f) {
        f.rt.decref(yield* e(f));
        return NORMAL;
      };
    }
    case 'Assign':
    case 'AnnAssign': {
      const targets = s.type === 'Assign' ? s.targets : [s.target];
      if (hasYield(targets)) break;
      const stores = targets.map((t) => c.target(t));
      const value = c.gexpr(s.value!);
      return function* (f) {
        const v = yield* value(f);
        for (let i = 0; i < stores.length; i++) stores[i](f, i === stores.length - 1 ? v : f.rt.incref(v));
        return NORMAL;
      };
    }
    case 'AugAssign': {
      if (s.target.type !== 'Name') break;
      const load = loadName(c, s.target.id);
      const store = storeName(c, s.target.id);
      const value = c.gexpr(s.value);
      const op = s.op;
      return function* (f) {
        const R = f.rt;
        const a = load(f);
        let b = 0;
        let r: Id;
        try {
          b = yield* value(f);
          r = O.inplace(R, op, a, b);
        } finally {
          R.decref(a);
          if (b) R.decref(b);
        }
        store(f, r);
        return NORMAL;
      };
    }
    case 'Return': {
      const e = c.gexpr(s.value!);
      return function* (f) {
        f.ret = yield* e(f);
        return RETURN;
      };
    }
    case 'If': {
      const t = c.gcond(s.test);
      const b = c.gblock(s.body);
      const e = c.gblock(s.orelse);
      return function* (f) {
        return (yield* t(f)) ? yield* b(f) : yield* e(f);
      };
    }
    case 'While': {
      const test = c.gcond(s.test);
      const body = c.gblock(s.body);
      const orelse = s.orelse.length ? c.gblock(s.orelse) : null;
      const line = s.line;
      return function* (f) {
        for (;;) {
          whileHead(f, line);
          if (!(yield* test(f))) break;
          const code = yield* body(f);
          if (code === BREAK) return NORMAL;
          if (code === RETURN) return code;
        }
        return orelse ? yield* orelse(f) : NORMAL;
      };
    }
    case 'For': {
      if (hasYield(s.target)) break;
      const target = c.target(s.target);
      const iter = hasYield(s.iter) ? c.gexpr(s.iter) : null;
      const plainIter = iter ? null : iterable(c, s.iter);
      const body = c.gblock(s.body);
      const orelse = s.orelse.length ? c.gblock(s.orelse) : null;
      const line = s.line;
      return function* (f) {
        const R = f.rt;
        const it = getIterReleasing(f, iter ? yield* iter(f) : plainIter!(f));
        try {
          for (;;) {
            forHead(f, line);
            const x = O.iterNext(R, it);
            if (!x) break;
            target(f, x);
            const code = yield* body(f);
            if (code === BREAK) return NORMAL;
            if (code === RETURN) return code;
          }
        } finally {
          R.decref(it);
        }
        return orelse ? yield* orelse(f) : NORMAL;
      };
    }
    case 'Try': {
      const body = c.gblock(s.body);
      const handlers = handlersOf(c, s);
      const bodies = s.handlers.map((h) => c.gblock(h.body));
      const orelse = s.orelse.length ? c.gblock(s.orelse) : null;
      const fin = s.finalbody.length ? c.gblock(s.finalbody) : null;
      const run = function* (f: Frame): Generator<Id, number, Id> {
        let code: number;
        try {
          code = yield* body(f);
        } catch (e) {
          const i = findHandler(f, handlers, e);
          const exc = (e as PyErr).exc;
          enterHandler(f, handlers[i], exc);
          try {
            return yield* bodies[i](f);
          } catch (e2) {
            chainContext(f, e2, exc);
            throw e2;
          } finally {
            leaveHandler(f, handlers[i], exc);
          }
        }
        if (code === NORMAL && orelse) return yield* orelse(f);
        return code;
      };
      if (!fin) return run;
      return function* (f) {
        let code = NORMAL;
        let failed = false;
        let err: unknown = null;
        let settled = false;
        try {
          code = yield* run(f);
          settled = true;
        } catch (e) {
          failed = true;
          err = e;
          settled = true;
        } finally {
          if (!settled) runWhileClosing(f, fin);
        }
        return afterFinally(f, yield* fin(f), code, failed, err);
      };
    }
    case 'With': {
      const items = s.items.map((it) => ({ ctx: c.gexpr(it.contextExpr), as: it.optionalVars ? c.target(it.optionalVars) : null }));
      if (hasYield(s.items.map((it) => it.optionalVars))) break;
      let body = c.gblock(s.body);
      for (let k = items.length - 1; k >= 0; k--) {
        const inner = body;
        const { ctx, as } = items[k];
        body = function* (f) {
          const exit = enterWith(f, yield* ctx(f), as);
          let code: number;
          let settled = false;
          try {
            code = yield* inner(f);
            settled = true;
          } catch (e) {
            settled = true;
            if (exitWithError(f, exit, e)) return NORMAL;
            throw e;
          } finally {
            // closed while suspended inside: __exit__ sees GeneratorExit
            if (!settled) {
              const ge = f.rt.err('GeneratorExit');
              if (!exitWithError(f, exit, ge)) f.rt.decref(ge.exc);
            }
          }
          exitWithNone(f, exit);
          return code;
        };
      }
      return body;
    }
  }
  throw c.unsupported(s, `yield inside this ${s.type} statement`);
}
