// The resumable mode (generators; later coroutines). Only a node whose subtree contains
// yield/await gets a generator-closure form; every other node is compiled once, plainly, and
// lifted. Compound forms are built by the combinators here from the same parts as the plain
// ones, so a construct's semantics lives in one place (statements.ts shares its pieces).
import { exprName } from '../parse/lower';
import type * as A from '../parse/ast';
import { evalBreaker } from './control';
import * as O from '../vm/ops';
import { callMethod, getAttr, getItem } from '../objects/abstract';
import type { Frame, Id } from '../vm/runtime';
import type { C, Cond, Expr, GCond, GExpr, GStmt, Stmt } from './context';
import { getIterReleasing } from './comprehensions';
import { storeName } from './names';

// ------------------------------------------------------------------ lifting plain closures

export function liftExpr(e: Expr): GExpr {
  // eslint-disable-next-line require-yield
  return function* (f) {
    return e(f);
  };
}

export function liftCond(t: Cond): GCond {
  // eslint-disable-next-line require-yield
  return function* (f) {
    return t(f);
  };
}

export function liftStmt(s: Stmt): GStmt {
  // eslint-disable-next-line require-yield
  return function* (f) {
    return s(f);
  };
}

// ------------------------------------------------------------------ which nodes are resumable

const cache = new WeakMap<object, boolean>();

/** Whether evaluating this node (not nested scopes' bodies) can suspend: yield, yield from, await. */
export function hasYield(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasYield);
  const hit = cache.get(node);
  if (hit !== undefined) return hit;
  const n = node as { type?: string } & Record<string, unknown>;
  let r: boolean;
  switch (n.type) {
    case 'Yield': case 'YieldFrom': case 'Await':
      r = true;
      break;
    // nested scopes: only what the enclosing scope evaluates
    case 'FunctionDef': case 'AsyncFunctionDef': {
      const d = n as unknown as A.FunctionDef;
      r = hasYield(d.decorators) || hasYield(d.args.defaults) || hasYield(d.args.kwDefaults);
      break;
    }
    case 'ClassDef': {
      const d = n as unknown as A.ClassDef;
      r = hasYield(d.decorators) || hasYield(d.bases) || hasYield(d.keywords);
      break;
    }
    case 'Lambda': {
      const d = n as unknown as A.Lambda;
      r = hasYield(d.args.defaults) || hasYield(d.args.kwDefaults);
      break;
    }
    case 'ListComp': case 'SetComp': case 'DictComp': case 'GeneratorExp':
      r = hasYield((n as unknown as A.ListComp).generators[0].iter);
      break;
    default:
      r = false;
      for (const [k, v] of Object.entries(n)) {
        if (k !== 'type' && v && typeof v === 'object' && hasYield(v)) {
          r = true;
          break;
        }
      }
  }
  cache.set(node, r);
  return r;
}

// ------------------------------------------------------------------ combinators

/** Evaluates operands in order; on an exception (or close) releases those already held. */
function* operands(f: Frame, gs: GExpr[]): Generator<Id, Id[], Id> {
  const vs: Id[] = [];
  let ok = false;
  try {
    for (const g of gs) vs.push(yield* g(f));
    ok = true;
    return vs;
  } finally {
    if (!ok) for (const v of vs) f.rt.decref(v);
  }
}

/** Operands then `apply` (which borrows them); the operands are released afterwards. */
function applying(gs: GExpr[], apply: (f: Frame, vs: Id[]) => Id): GExpr {
  return function* (f) {
    const vs = yield* operands(f, gs);
    try {
      return apply(f, vs);
    } finally {
      for (const v of vs) f.rt.decref(v);
    }
  };
}

/** `yield v`: suspends with v; the value sent back (or None) is the expression's value. */
function yieldValue(value: GExpr | null): GExpr {
  return function* (f) {
    const v = value ? yield* value(f) : f.rt.none();
    const sent = yield v;
    return sent || f.rt.none();
  };
}

/** `yield from it`: re-yields each item (the values sent in are dropped). */
function yieldFrom(src: GExpr): GExpr {
  return function* (f) {
    const R = f.rt;
    const it = getIterReleasing(f, yield* src(f));
    try {
      for (;;) {
        const x = O.iterNext(R, it);
        if (!x) break;
        const sent = yield x;
        if (sent) R.decref(sent);
      }
    } finally {
      R.decref(it);
    }
    return R.none();
  };
}

export function compileGExpr(c: C, e: A.Expr): GExpr {
  if (!hasYield(e)) return liftExpr(c.expr(e));
  switch (e.type) {
    case 'Yield': return yieldValue(e.value ? c.gexpr(e.value) : null);
    case 'YieldFrom': return yieldFrom(c.gexpr(e.value));
    case 'BinOp': {
      const op = e.op;
      return applying([c.gexpr(e.left), c.gexpr(e.right)], (f, [x, y]) => O.binop(f.rt, op, x, y));
    }
    case 'UnaryOp': {
      if (e.op === 'not') {
        const t = c.gcond(e.operand);
        return function* (f) {
          return f.rt.bool(!(yield* t(f)));
        };
      }
      const op = e.op;
      return applying([c.gexpr(e.operand)], (f, [x]) => O.unary(f.rt, op, x));
    }
    case 'Compare':
    case 'BoolOp': {
      if (e.type === 'BoolOp') {
        const vs = e.values.map((v) => c.gexpr(v));
        const isAnd = e.op === 'and';
        return function* (f) {
          for (let i = 0; i < vs.length - 1; i++) {
            const x = yield* vs[i](f);
            if (O.truthy(f.rt, x) !== isAnd) return x;
            f.rt.decref(x);
          }
          return yield* vs[vs.length - 1](f);
        };
      }
      const t = c.gcond(e);
      return function* (f) {
        return f.rt.bool(yield* t(f));
      };
    }
    case 'IfExp': {
      const t = c.gcond(e.test);
      const a = c.gexpr(e.body);
      const b = c.gexpr(e.orelse);
      return function* (f) {
        return (yield* t(f)) ? yield* a(f) : yield* b(f);
      };
    }
    case 'NamedExpr': {
      const value = c.gexpr(e.value);
      const store = storeName(c, e.target.id);
      return function* (f) {
        const v = yield* value(f);
        store(f, f.rt.incref(v));
        return v;
      };
    }
    case 'Attribute': {
      const name = e.attr;
      return applying([c.gexpr(e.value)], (f, [o]) => getAttr(f.rt, o, name));
    }
    case 'Subscript':
      if (e.slice.type === 'Slice' || (e.slice.type === 'Tuple' && !e.slice.parenthesized)) break;
      return applying([c.gexpr(e.value), c.gexpr(e.slice)], (f, [o, k]) => getItem(f.rt, o, k));
    case 'Tuple':
    case 'List': {
      if (e.elts.some((x) => x.type === 'Starred')) break;
      const gs = e.elts.map((x) => c.gexpr(x));
      const isList = e.type === 'List';
      return function* (f) {
        const vs = yield* operands(f, gs);
        return isList ? f.rt.newList(vs, true) : f.rt.newTuple(vs);
      };
    }
    case 'Call': {
      if (e.keywords.length || e.args.some((a) => a.type === 'Starred')) break;
      // LOAD_METHOD when the callee is an attribute: the object, then the arguments
      if (e.func.type === 'Attribute') {
        const name = e.func.attr;
        return applying([c.gexpr(e.func.value), ...e.args.map((a) => c.gexpr(a))], (f, [o, ...args]) => {
          evalBreaker(f.rt);
          return callMethod(f.rt, o, name, args, null);
        });
      }
      return applying([c.gexpr(e.func), ...e.args.map((a) => c.gexpr(a))], (f, [fn, ...args]) => {
        evalBreaker(f.rt);
        return O.call(f.rt, fn, args, null);
      });
    }
  }
  throw c.unsupported(e, `yield inside ${exprName(e)}`);
}

export function compileGCond(c: C, e: A.Expr): GCond {
  if (!hasYield(e)) return liftCond(c.cond(e));
  if (e.type === 'UnaryOp' && e.op === 'not') {
    const t = c.gcond(e.operand);
    return function* (f) {
      return !(yield* t(f));
    };
  }
  if (e.type === 'BoolOp') {
    const parts = e.values.map((v) => c.gcond(v));
    const isAnd = e.op === 'and';
    return function* (f) {
      for (const p of parts) if ((yield* p(f)) !== isAnd) return !isAnd;
      return isAnd;
    };
  }
  if (e.type === 'Compare') {
    const gs = [e.left, ...e.comparators].map((x) => c.gexpr(x));
    const ops = e.ops;
    return function* (f) {
      const R = f.rt;
      let x = yield* gs[0](f);
      try {
        for (let i = 0; i < ops.length; i++) {
          const y = yield* gs[i + 1](f);
          const op = ops[i];
          const ok = op === 'is' ? x === y : op === 'is not' ? x !== y : O.compare(R, op, x, y);
          R.decref(x);
          x = y;
          if (!ok) return false;
        }
        return true;
      } finally {
        R.decref(x);
      }
    };
  }
  const g = c.gexpr(e);
  return function* (f) {
    const v = yield* g(f);
    const b = O.truthy(f.rt, v);
    f.rt.decref(v);
    return b;
  };
}
