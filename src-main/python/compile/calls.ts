// Calls: CALL with positional, keyword, *args and **kwargs arguments; `obj.m(...)` without a
// bound method (LOAD_METHOD); super(). A plain call is an eval-breaker point (3.12+). Method calls
// are not yet: CPython 3.13 checks at the callee's RESUME and after C calls, and checking before
// them here moves collections (worker_recycling@3.13 stops matching), so that waits for a model
// of RESUME in vm/call.ts.
import * as O from '../vm/ops';
import { builtinMethodOf, callMethod } from '../objects/abstract';
import { superLookup } from '../objects/super';
import type * as A from '../parse/ast';
import { evalBreaker } from './control';
import type { Frame, Runtime, Id, Kw, MethodFn } from '../vm/runtime';
import type { ArgSpec, C, Expr } from './context';

export function argSpec(c: C, call: A.Call): ArgSpec {
  const spec: ArgSpec = { pos: [], kw: [], starstar: [], simple: true };
  for (const a of call.args) {
    if (a.type === 'Starred') {
      spec.pos.push({ expr: c.expr(a.value), star: true });
      spec.simple = false;
    } else spec.pos.push({ expr: c.expr(a), star: false });
  }
  for (const k of call.keywords) {
    if (k.arg === null) {
      spec.starstar.push(c.expr(k.value));
      spec.simple = false;
    } else spec.kw.push({ name: k.arg, expr: c.expr(k.value) });
  }
  return spec;
}

/** Evaluates arguments: new references in `args` and `kw` values, released by the caller. */
export function evalArgs(f: Frame, spec: ArgSpec): { args: Id[]; kw: Kw } {
  const R = f.rt;
  const args: Id[] = [];
  let kw: Kw = null;
  try {
    for (const p of spec.pos) {
      const v = p.expr(f);
      if (p.star) {
        const items = O.toArray(R, v);
        R.decref(v);
        for (const x of items) args.push(x);
      } else args.push(v);
    }
    if (spec.kw.length || spec.starstar.length) {
      kw = new Map();
      for (const k of spec.kw) kw.set(k.name, k.expr(f));
      for (const ss of spec.starstar) {
        const d = ss(f);
        for (const [k, v] of R.dictEntries(d)) kw.set(R.P[k] as string, R.incref(v));
        R.decref(d);
      }
    }
  } catch (e) {
    for (const a of args) R.decref(a);
    if (kw) for (const v of kw.values()) R.decref(v);
    throw e;
  }
  return { args, kw };
}

export function releaseArgs(R: Runtime, args: Id[], kw: Kw): void {
  for (let i = 0; i < args.length; i++) R.heap.decref(args[i]);
  if (kw) for (const v of kw.values()) R.heap.decref(v);
}

export function compileCall(c: C, e: A.Call): Expr {
  const callee = e.func;
  // super().method(...)
  if (callee.type === 'Name' && callee.id === 'super' && e.args.length === 0 && e.keywords.length === 0) {
    if (!c.classStack.length && !c.code?.qualname.includes('.')) throw c.unsupported(e, 'super() outside a method');
    const code = c.code;
    return (f) => superLookup(f.rt, f, code, 0);
  }
  const spec = argSpec(c, e);
  if (callee.type === 'Attribute') {
    const obj = c.expr(callee.value);
    const name = callee.attr;
    if (spec.simple && spec.kw.length === 0 && spec.pos.length <= 3) {
      const pos = spec.pos.map((p) => p.expr);
      const k = pos.length;
      // A one-entry cache of the builtin method seen at this call site (list.append…).
      let cachedType = -1;
      let cachedFn: MethodFn | undefined;
      return (f) => {
        const R = f.rt;
        const o = obj(f);
        const args = new Array<Id>(k);
        let i = 0;
        try {
          for (; i < k; i++) args[i] = pos[i](f);
          const t = R.heap.typeOf(o);
          if (t === cachedType) return cachedFn!(o, args, null);
          const fn = builtinMethodOf(R, t, name);
          if (fn) {
            cachedType = t;
            cachedFn = fn;
            return fn(o, args, null);
          }
          return callMethod(R, o, name, args, null);
        } finally {
          for (let j = 0; j < i; j++) R.heap.decref(args[j]);
          R.heap.decref(o);
        }
      };
    }
    return (f) => {
      const R = f.rt;
      const o = obj(f);
      let a: { args: Id[]; kw: Kw } | null = null;
      try {
        a = evalArgs(f, spec);
        return callMethod(R, o, name, a.args, a.kw);
      } finally {
        if (a) releaseArgs(R, a.args, a.kw);
        R.heap.decref(o);
      }
    };
  }
  const fn = c.expr(callee);
  const pos = spec.pos.map((p) => p.expr);
  if (spec.simple && spec.kw.length === 0 && pos.length <= 3) {
    const k = pos.length;
    return (f) => {
      const R = f.rt;
      const cl = fn(f);
      const args = new Array<Id>(k);
      let i = 0;
      try {
        for (; i < k; i++) args[i] = pos[i](f);
        evalBreaker(R);
        return O.call(R, cl, args, null);
      } finally {
        for (let j = 0; j < i; j++) R.heap.decref(args[j]);
        R.heap.decref(cl);
      }
    };
  }
  return (f) => {
    const R = f.rt;
    const cl = fn(f);
    let a: { args: Id[]; kw: Kw } | null = null;
    try {
      a = evalArgs(f, spec);
      evalBreaker(R);
      return O.call(R, cl, a.args, a.kw);
    } finally {
      if (a) releaseArgs(R, a.args, a.kw);
      R.heap.decref(cl);
    }
  };
}
