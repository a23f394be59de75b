// The parts of compound statements that both modes share (statements.ts builds the plain
// form, gstatements.ts the resumable one, from these same parts): loop heads, exception
// handlers, `finally` outcomes and the context manager protocol.
import * as O from '../vm/ops';
import { PyErr } from '../vm/runtime';
import type { Frame, Id, Runtime } from '../vm/runtime';
import { callMethod, getAttr } from '../objects/abstract';
import type { Del, Expr, GStmt, Store } from './context';
import { NORMAL } from './context';

/** An eval-breaker point (calls, loop iterations): runs a collection an allocation scheduled,
 * on profiles that collect there (3.12+); 3.11 collects inside the allocation instead. */
export function evalBreaker(R: Runtime): void {
  if (R.spec.collectAt === 'eval-breaker') R.heap.checkpoint();
}

/** A `while` iteration: the line, a budget tick and the eval breaker (3.12+; a no-op on 3.11). */
export function whileHead(f: Frame, line: number): void {
  const R = f.rt;
  f.line = line;
  if (++R.steps >= R.nextTick) R.tickCheck();
  evalBreaker(R);
}

/** A `for` iteration: the line and the eval breaker (the body's statements tick). */
export function forHead(f: Frame, line: number): void {
  f.line = line;
  evalBreaker(f.rt);
}

export interface Handler {
  type: Expr | null;
  name: Store | null;
  unbind: Del | null;
}

export function handlerMatches(f: Frame, typeExpr: Expr | null, exc: Id): boolean {
  const R = f.rt;
  if (!typeExpr) return true;
  const t = typeExpr(f);
  try {
    if (R.heap.typeOf(t) === R.T.tuple) {
      for (let i = 0; i < R.heap.refLen(t); i++) {
        const k = R.classInfo(R.heap.getRef(t, i));
        if (k && R.isInstanceOf(exc, k)) return true;
      }
      return false;
    }
    const k = R.classInfo(t);
    if (!k) throw R.err('TypeError', 'catching classes that do not inherit from BaseException is not allowed');
    return R.isInstanceOf(exc, k);
  } finally {
    R.decref(t);
  }
}

/** The handler index for an exception leaving a try body; rethrows when none matches. */
export function findHandler(f: Frame, handlers: Handler[], e: unknown): number {
  if (!(e instanceof PyErr) || handlers.length === 0) throw e;
  O.addTraceback(f.rt, e, f);
  for (let i = 0; i < handlers.length; i++) if (handlerMatches(f, handlers[i].type, e.exc)) return i;
  throw e;
}

/** Entering `except ... as name:` (the exception is being handled: bare raise, __context__). */
export function enterHandler(f: Frame, h: Handler, exc: Id): void {
  (f.handling ??= []).push(exc);
  if (h.name) h.name(f, f.rt.incref(exc));
}

/** An exception escaping a handler gets the handled one as __context__. */
export function chainContext(f: Frame, e2: unknown, exc: Id): void {
  const R = f.rt;
  if (e2 instanceof PyErr && e2.exc !== exc && !R.getInstanceAttr(e2.exc, '__context__')) R.setAttr(e2.exc, '__context__', exc);
}

/** Leaving a handler however it ends: `del name` (the traceback and frames go with it), release. */
export function leaveHandler(f: Frame, h: Handler, exc: Id): void {
  f.handling!.pop();
  if (h.unbind) h.unbind(f);
  f.rt.decref(exc);
}

/** After `finally:` ran: its own return/break wins (dropping a pending exception), else the body's outcome. */
export function afterFinally(f: Frame, finCode: number, code: number, failed: boolean, err: unknown): number {
  if (finCode !== NORMAL) {
    if (failed && err instanceof PyErr) f.rt.decref(err.exc);
    return finCode;
  }
  if (failed) throw err;
  return code;
}

/** A generator closed while suspended runs its `finally:` block; it may not yield again. */
export function runWhileClosing(f: Frame, g: GStmt): void {
  const it = g(f);
  const r = it.next();
  if (!r.done) {
    f.rt.decref(r.value);
    it.return(NORMAL);
    throw f.rt.err('RuntimeError', 'generator ignored GeneratorExit');
  }
}

/** `with`: __enter__ (its value to the target), and the bound __exit__ kept for later. */
export function enterWith(f: Frame, mgr: Id, as: Store | null): Id {
  const R = f.rt;
  let exit: Id;
  try {
    const enter = callMethod(R, mgr, '__enter__', [], null);
    exit = getAttr(R, mgr, '__exit__');
    if (as) as(f, enter);
    else R.decref(enter);
  } finally {
    R.decref(mgr);
  }
  return exit;
}

/** __exit__(type, value, tb) for an exception leaving the body; true when it suppresses it. */
export function exitWithError(f: Frame, exit: Id, e: unknown): boolean {
  const R = f.rt;
  if (!(e instanceof PyErr)) {
    R.decref(exit);
    return false;
  }
  O.addTraceback(R, e, f);
  const tb = R.getInstanceAttr(e.exc, '__traceback__') || R.NONE;
  const r = O.call(R, exit, [R.classOf(e.exc).id, e.exc, tb], null);
  R.decref(exit);
  const suppress = O.truthy(R, r);
  R.decref(r);
  if (suppress) R.decref(e.exc);
  return suppress;
}

export function exitWithNone(f: Frame, exit: Id): void {
  const R = f.rt;
  const r = O.call(R, exit, [R.NONE, R.NONE, R.NONE], null);
  R.decref(exit);
  R.decref(r);
}
