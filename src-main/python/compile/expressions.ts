// Expressions: constants (co_consts), names, operators, comparisons and conditions, displays,
// attributes and subscripts. Each returns a closure producing a NEW reference.
import { exprName } from '../parse/lower';
import type * as A from '../parse/ast';
import * as O from '../vm/ops';
import { getAttr, getItem } from '../objects/abstract';
import { makeSlice } from '../objects/slice';
import type { Runtime, Id } from '../vm/runtime';
import type { C, Cond, Expr } from './context';
import { loadName, storeName } from './names';

/** An int literal's value; ints are JS numbers here, so one past 2**53 is refused at its position. */
function intConstant(c: C, at: A.Pos, literal: unknown): number {
  const n = Number(literal);
  if (!Number.isSafeInteger(n)) throw c.unsupported(at, 'integers beyond ±2**53 (big integers)');
  return n;
}

/** A compile-time constant (numbers, strings, constant tuples), or null. */
export function constValue(c: C, e: A.Expr, listAsTuple = false): Id | null {
  const R = c.R;
  switch (e.type) {
    case 'Constant': {
      const v = e.value;
      switch (v.kind) {
        case 'int': return c.keep(R.newInt(intConstant(c, e, v.value)));
        case 'float': return c.keep(R.newFloat(v.value));
        case 'complex': throw c.unsupported(e, 'complex numbers');
        case 'str': return c.keep(R.intern(v.value));
        case 'bytes': return c.keep(R.newBytes(v.value));
        case 'None': return R.NONE;
        case 'bool': return v.value ? R.TRUE : R.FALSE;
        case 'Ellipsis': return null;
      }
      return null;
    }
    case 'UnaryOp': {
      if (e.op === '-' && e.operand.type === 'Constant' && (e.operand.value.kind === 'int' || e.operand.value.kind === 'float')) {
        const v = e.operand.value.kind === 'int' ? R.newInt(intConstant(c, e.operand, e.operand.value.value)) : R.newFloat(e.operand.value.value);
        const neg = O.unary(R, '-', v);
        R.decref(v);
        return c.keep(neg);
      }
      return null;
    }
    case 'Tuple':
    case 'List': {
      if (e.type === 'List' && !listAsTuple) return null;
      if (e.elts.length === 0) return e.type === 'Tuple' ? R.EMPTY_TUPLE : null;
      const vals: Id[] = [];
      for (const it of e.elts) {
        const v = constValue(c, it);
        if (v === null) return null;
        vals.push(v);
      }
      return c.keep(constTuple(R, vals));
    }
    default:
      return null;
  }
}

function constTuple(R: Runtime, vals: Id[]): Id {
  const t = R.seen(R.heap.alloc(R.T.tuple, 40 + 8 * vals.length, 0, { track: false, nitems: vals.length }));
  for (const v of vals) R.heap.appendRef(t, v);
  return t;
}

export function compileExpr(c: C, e: A.Expr): Expr {
  switch (e.type) {
    case 'Constant': {
      if (e.value.kind === 'Ellipsis') return (f) => f.rt.none();
      const k = constValue(c, e)!;
      return (f) => {
        f.rt.heap.incref(k);
        return k;
      };
    }
    case 'Name': return loadName(c, e.id);
    case 'Tuple':
      if (!e.elts.length) return (f) => f.rt.incref(f.rt.EMPTY_TUPLE);
      return tupleOf(c, e.elts);
    case 'List': return listDisplay(c, e);
    case 'Dict': return dictDisplay(c, e);
    case 'Set': return setDisplay(c, e);
    case 'BinOp': {
      const a = c.expr(e.left);
      const b = c.expr(e.right);
      const op = e.op;
      return (f) => {
        const R = f.rt;
        const x = a(f);
        let y = 0;
        try {
          y = b(f);
          return O.binop(R, op, x, y);
        } finally {
          R.heap.decref(x);
          if (y) R.heap.decref(y);
        }
      };
    }
    case 'BoolOp': {
      const vs = e.values.map((v) => c.expr(v));
      const isAnd = e.op === 'and';
      const last = vs.length - 1;
      return (f) => {
        const R = f.rt;
        for (let i = 0; i < last; i++) {
          const x = vs[i](f);
          if (O.truthy(R, x) !== isAnd) return x;
          R.decref(x);
        }
        return vs[last](f);
      };
    }
    case 'Compare': {
      const cmp = comparison(c, e);
      return (f) => f.rt.bool(cmp(f));
    }
    case 'UnaryOp': {
      if (e.op === 'not') {
        const t = c.cond(e.operand);
        return (f) => f.rt.bool(!t(f));
      }
      const a = c.expr(e.operand);
      const op = e.op;
      return (f) => {
        const R = f.rt;
        const v = a(f);
        try {
          return O.unary(R, op, v);
        } finally {
          R.decref(v);
        }
      };
    }
    case 'IfExp': {
      const a = c.expr(e.body);
      const t = c.cond(e.test);
      const b = c.expr(e.orelse);
      return (f) => (t(f) ? a(f) : b(f));
    }
    case 'NamedExpr': {
      const value = c.expr(e.value);
      const store = storeName(c, e.target.id);
      return (f) => {
        const v = value(f);
        f.rt.incref(v);
        store(f, v);
        return v;
      };
    }
    case 'Attribute': {
      const obj = c.expr(e.value);
      const name = e.attr;
      return (f) => {
        const R = f.rt;
        const o = obj(f);
        try {
          return getAttr(R, o, name);
        } finally {
          R.heap.decref(o);
        }
      };
    }
    case 'Subscript': {
      const obj = c.expr(e.value);
      const key = subscript(c, e.slice);
      return (f) => {
        const R = f.rt;
        const o = obj(f);
        let k = 0;
        try {
          k = key(f);
          return getItem(R, o, k);
        } finally {
          R.heap.decref(o);
          if (k) R.heap.decref(k);
        }
      };
    }
    case 'Slice': return slice(c, e);
    case 'Starred': throw c.syntax(e, "can't use starred expression here");
    case 'Yield':
    case 'YieldFrom':
      throw c.unsupported(e, 'yield expression in this position');
    case 'Await':
      throw c.unsupported(e, 'await');
    default:
      throw c.unsupported(e, exprName(e));
  }
}

/** A subscript's key: an expression or a slice; `a[i, j]` is refused. */
export function subscript(c: C, s: A.Expr): Expr {
  if (s.type === 'Tuple' && !s.parenthesized) throw c.unsupported(s, 'multi-dimensional subscripts');
  return s.type === 'Slice' ? slice(c, s) : c.expr(s);
}

function slice(c: C, s: A.Slice): Expr {
  const a = s.lower ? c.expr(s.lower) : null;
  const b = s.upper ? c.expr(s.upper) : null;
  const d = s.step ? c.expr(s.step) : null;
  return (f) => makeSlice(f.rt, a ? a(f) : 0, b ? b(f) : 0, d ? d(f) : 0);
}

/** `for x in [a, b]` / `x in [a, b]`: CPython turns a list display into a tuple. */
export function iterable(c: C, e: A.Expr): Expr {
  if (e.type === 'List') {
    const k = constValue(c, e, true);
    if (k !== null) return (f) => f.rt.incref(k);
    return tupleOf(c, e.elts);
  }
  return c.expr(e);
}

export function tupleOf(c: C, items: A.Expr[]): Expr {
  if (items.some((i) => i.type === 'Starred')) {
    const parts = starredList(c, items);
    return (f) => f.rt.newTuple(parts(f));
  }
  const es = items.map((i) => c.expr(i));
  const allConst = items.map((i) => constValue(c, i));
  if (allConst.every((k) => k !== null) && items.length > 0) {
    const t = c.keep(constTuple(c.R, allConst as Id[]));
    return (f) => f.rt.incref(t);
  }
  const k = es.length;
  return (f) => {
    const vs = new Array<Id>(k);
    let i = 0;
    try {
      for (; i < k; i++) vs[i] = es[i](f);
    } catch (e) {
      for (let j = 0; j < i; j++) f.rt.decref(vs[j]);
      throw e;
    }
    return f.rt.newTuple(vs);
  };
}

/** Items of a display with `*x` unpacking, flattened into new references. */
export function starredList(c: C, items: A.Expr[]): (f: Parameters<Expr>[0]) => Id[] {
  const parts = items.map((i) => (i.type === 'Starred' ? { e: c.expr(i.value), star: true } : { e: c.expr(i), star: false }));
  return (f) => {
    const R = f.rt;
    const out: Id[] = [];
    for (const p of parts) {
      const v = p.e(f);
      if (p.star) {
        for (const x of O.toArray(R, v)) out.push(x);
        R.decref(v);
      } else out.push(v);
    }
    return out;
  };
}

/** [a, *b, c]: BUILD_LIST of the items before the first star, then LIST_EXTEND for each
 * starred item and LIST_APPEND for the others (so the list grows as list_extend/app1 do). */
function starredListDisplay(c: C, items: A.Expr[]): Expr {
  const parts = items.map((i) => (i.type === 'Starred' ? { e: c.expr(i.value), star: true } : { e: c.expr(i), star: false }));
  const lead = parts.findIndex((p) => p.star);
  return (f) => {
    const R = f.rt;
    const first: Id[] = [];
    try {
      for (let i = 0; i < lead; i++) first.push(parts[i].e(f));
    } catch (e) {
      for (const v of first) R.decref(v);
      throw e;
    }
    const l = R.newList(first, true);
    try {
      for (let i = lead; i < parts.length; i++) {
        const v = parts[i].e(f);
        try {
          if (parts[i].star) O.listExtend(R, l, v);
          else R.listAppend(l, v);
        } finally {
          R.decref(v);
        }
      }
    } catch (e) {
      R.decref(l);
      throw e;
    }
    return l;
  };
}

function listDisplay(c: C, e: A.List): Expr {
  const items = e.elts;
  if (items.some((i) => i.type === 'Starred')) return starredListDisplay(c, items);
  const constTuple = items.length >= 3 ? constValue(c, e, true) : null;
  if (constTuple !== null) {
    // BUILD_LIST 0 + LIST_EXTEND of a constant tuple: list_preallocate_exact (rounded to even).
    const k = items.length;
    return (f) => {
      const R = f.rt;
      const l = R.newList([], true);
      const h = R.heap;
      R.P[l] = (k + 1) & ~1;
      h.resize(l, 56 + 8 * R.P[l]);
      for (let i = 0; i < k; i++) h.appendRef(l, h.getRef(constTuple, i));
      return l;
    };
  }
  const es = items.map((i) => c.expr(i));
  const k = es.length;
  return (f) => {
    const R = f.rt;
    const vs = new Array<Id>(k);
    let i = 0;
    try {
      for (; i < k; i++) vs[i] = es[i](f);
    } catch (err) {
      for (let j = 0; j < i; j++) R.decref(vs[j]);
      throw err;
    }
    return R.newList(vs, true);
  };
}

function dictDisplay(c: C, e: A.Dict): Expr {
  const entries = e.keys.map((k, i) => ({ k: k ? c.expr(k) : null, v: c.expr(e.values[i]) }));
  const count = entries.length;
  return (f) => {
    const R = f.rt;
    const vals: Id[] = [];
    try {
      for (const en of entries) {
        if (en.k) vals.push(en.k(f));
        vals.push(en.v(f));
      }
    } catch (err) {
      for (const v of vals) R.decref(v);
      throw err;
    }
    const d = R.newDict(count);
    let j = 0;
    try {
      for (const en of entries) {
        if (en.k) {
          R.dictSet(d, vals[j], vals[j + 1]);
          j += 2;
        } else {
          for (const [k, v] of R.dictEntries(vals[j])) R.dictSet(d, k, v);
          j++;
        }
      }
    } finally {
      for (const v of vals) R.decref(v);
    }
    return d;
  };
}

function setDisplay(c: C, e: A.SetExpr): Expr {
  const parts = starredList(c, e.elts);
  return (f) => {
    const R = f.rt;
    const vs = parts(f);
    const s = R.newSet();
    for (const v of vs) {
      R.setAdd(s, v);
      R.decref(v);
    }
    return s;
  };
}

// ------------------------------------------------------------------ conditions

/** A condition evaluated without allocating a bool. */
export function compileCond(c: C, e: A.Expr): Cond {
  if (e.type === 'UnaryOp' && e.op === 'not') {
    const inner = c.cond(e.operand);
    return (f) => !inner(f);
  }
  if (e.type === 'BoolOp') {
    const parts = e.values.map((v) => c.cond(v));
    if (parts.length === 2) {
      const [a, b] = parts;
      return e.op === 'and' ? (f) => a(f) && b(f) : (f) => a(f) || b(f);
    }
    return e.op === 'and' ? (f) => parts.every((p) => p(f)) : (f) => parts.some((p) => p(f));
  }
  if (e.type === 'Compare') return comparison(c, e);
  const x = c.expr(e);
  return (f) => {
    const R = f.rt;
    const v = x(f);
    const b = O.truthy(R, v);
    R.heap.decref(v);
    return b;
  };
}

/** Comparisons, chained ones evaluating each middle operand once. */
export function comparison(c: C, e: A.Compare): Cond {
  const operands = [e.left, ...e.comparators];
  const ops = e.ops;
  const exprs = operands.map((o, i) => (i === 1 && (ops[0] === 'in' || ops[0] === 'not in') && operands.length === 2 ? iterable(c, o) : c.expr(o)));
  if (exprs.length === 2) {
    const [a, b] = exprs;
    const op = ops[0];
    if (op === 'is' || op === 'is not') {
      const want = op === 'is';
      return (f) => {
        const R = f.rt;
        const x = a(f);
        const y = b(f);
        R.heap.decref(x);
        R.heap.decref(y);
        return (x === y) === want;
      };
    }
    return (f) => {
      const R = f.rt;
      const x = a(f);
      let y = 0;
      try {
        y = b(f);
        return O.compare(R, op, x, y);
      } finally {
        R.heap.decref(x);
        if (y) R.heap.decref(y);
      }
    };
  }
  return (f) => {
    const R = f.rt;
    let x = exprs[0](f);
    try {
      for (let i = 0; i < ops.length; i++) {
        const y = exprs[i + 1](f);
        const ok = O.compare(R, ops[i], x, y);
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
