// The abstract object layer (CPython's Objects/abstract.c and object.c): every operation on a
// value dispatches through the slot table of its type (R.slots[engineType]), with the fast
// paths CPython's evaluator also takes for two numbers. Type-specific code lives in the type's
// own file; this file knows no type beyond numbers.
// Every function returning an Id returns a NEW reference; arguments are borrowed.
import { NO_SLOTS, PyErr, Py_EQ, Py_GE, Py_GT, Py_LE, Py_LT, Py_NE } from '../vm/runtime';
import type { Runtime, Id, Kw, CompareOp, TypeSlots, BinarySlot, MethodFn, IterPayload } from '../vm/runtime';
import { call } from '../vm/call';
import { isNum, num, numericBinop, numericCompare, numericUnary } from './number';
import { defaultRepr, genericGetAttr } from './object';

export function slotsOf(R: Runtime, v: Id): TypeSlots {
  return R.slots[R.heap.typeOf(v)] ?? NO_SLOTS;
}

// ------------------------------------------------------------------ truth and text

/** PyObject_IsTrue. */
export function truthy(R: Runtime, v: Id): boolean {
  if (v === R.TRUE) return true;
  if (v === R.FALSE || v === R.NONE) return false;
  const t = R.heap.typeOf(v);
  if (t === R.T.int) return R.P[v] !== 0;
  const s = R.slots[t] ?? NO_SLOTS;
  if (s.nb_bool) return s.nb_bool(R, v);
  if (s.sq_length) return s.sq_length(R, v) > 0;
  return true;
}

/** PyObject_Repr. */
export function repr(R: Runtime, v: Id, depth = 0): string {
  if (depth > 20) return '...';
  const s = slotsOf(R, v);
  return s.tp_repr ? s.tp_repr(R, v, depth) : defaultRepr(R, v);
}

/** PyObject_Str. */
export function str(R: Runtime, v: Id): string {
  const s = slotsOf(R, v);
  return s.tp_str ? s.tp_str(R, v) : repr(R, v);
}

/** str() of what a Python-level __str__/__repr__ returned. */
export function callToString(R: Runtime, m: Id, v: Id): string {
  const r = call(R, m, [v], null);
  const s = R.isStr(r) ? (R.P[r] as string) : repr(R, r);
  R.decref(r);
  return s;
}

// ------------------------------------------------------------------ numbers (PyNumber_*)

const NB_SLOT: Record<string, keyof TypeSlots> = {
  '+': 'nb_add', '-': 'nb_subtract', '*': 'nb_multiply', '%': 'nb_remainder', '/': 'nb_true_divide', '//': 'nb_floor_divide',
  '**': 'nb_power', '@': 'nb_matrix_multiply', '<<': 'nb_lshift', '>>': 'nb_rshift', '&': 'nb_and', '|': 'nb_or', '^': 'nb_xor',
};
const NB_INPLACE_SLOT: Record<string, keyof TypeSlots> = { '+': 'nb_inplace_add', '-': 'nb_inplace_subtract', '|': 'nb_inplace_or' };

function unsupportedOperand(R: Runtime, op: string, a: Id, b: Id): PyErr {
  return R.err('TypeError', `unsupported operand type(s) for ${op}: '${R.typeName(a)}' and '${R.typeName(b)}'`);
}

/** binary_op1: the left operand's slot, then the right one's (each may answer NotImplemented). */
export function binop(R: Runtime, op: string, a: Id, b: Id): Id {
  if (isNum(R, a) && isNum(R, b)) {
    const r = numericBinop(R, op, a, b);
    if (r) return r;
  }
  const name = NB_SLOT[op];
  if (name) {
    const sa = slotsOf(R, a);
    const fa = sa[name] as BinarySlot | undefined;
    if (fa) {
      const r = fa(R, a, b);
      if (r) return r;
    }
    const sb = slotsOf(R, b);
    const fb = sb[name] as BinarySlot | undefined;
    if (fb && sb !== sa) {
      const r = fb(R, a, b);
      if (r) return r;
    }
  }
  throw unsupportedOperand(R, op, a, b);
}

/** In-place operators: the type's nb_inplace_* slot when it has one, else the binary operator. */
export function inplace(R: Runtime, op: string, a: Id, b: Id): Id {
  const name = NB_INPLACE_SLOT[op];
  if (name) {
    const f = slotsOf(R, a)[name] as BinarySlot | undefined;
    if (f) {
      const r = f(R, a, b);
      if (r) return r;
    }
  }
  return binop(R, op, a, b);
}

export function unary(R: Runtime, op: string, a: Id): Id {
  if (op === 'not') return R.bool(!truthy(R, a));
  if (isNum(R, a)) {
    const r = numericUnary(R, op, a);
    if (r) return r;
  }
  const s = slotsOf(R, a);
  const f = op === '-' ? s.nb_negative : op === '+' ? s.nb_positive : op === '~' ? s.nb_invert : undefined;
  if (f) return f(R, a);
  throw R.err('TypeError', `bad operand type for unary ${op}: '${R.typeName(a)}'`);
}

// ------------------------------------------------------------------ comparison

const SWAPPED: CompareOp[] = [Py_GT, Py_GE, Py_EQ, Py_NE, Py_LT, Py_LE];
const OP_TEXT = ['<', '<=', '==', '!=', '>', '>='];

/** do_richcompare: the left type's tp_richcompare, then the right one's with the operator
 * swapped; == and != fall back to identity, the orderings raise TypeError. */
export function richCompare(R: Runtime, a: Id, b: Id, op: CompareOp): boolean {
  if (isNum(R, a) && isNum(R, b)) return numericCompare(num(R, a), num(R, b), op);
  const sa = slotsOf(R, a);
  if (sa.tp_richcompare) {
    const r = sa.tp_richcompare(R, a, b, op);
    if (r !== undefined) return r;
  }
  const sb = slotsOf(R, b);
  if (sb.tp_richcompare && sb !== sa) {
    const r = sb.tp_richcompare(R, b, a, SWAPPED[op]);
    if (r !== undefined) return r;
  }
  if (op === Py_EQ) return a === b;
  if (op === Py_NE) return a !== b;
  throw R.err('TypeError', `'${OP_TEXT[op]}' not supported between instances of '${R.typeName(a)}' and '${R.typeName(b)}'`);
}

/** PyObject_RichCompareBool(a, b, Py_EQ): identity implies equality. */
export function eq(R: Runtime, a: Id, b: Id): boolean {
  return a === b || richCompare(R, a, b, Py_EQ);
}

/** Three-way order for sorting, min and max: a < b, else a == b. */
export function order(R: Runtime, a: Id, b: Id): number {
  if (isNum(R, a) && isNum(R, b)) {
    const x = num(R, a);
    const y = num(R, b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (richCompare(R, a, b, Py_LT)) return -1;
  return eq(R, a, b) ? 0 : 1;
}

/** PySequence_Contains: sq_contains, else a search by iteration. */
export function contains(R: Runtime, container: Id, item: Id): boolean {
  const s = slotsOf(R, container);
  if (s.sq_contains) return s.sq_contains(R, container, item);
  return iterSearch(R, container, item);
}

/** _PySequence_IterSearch: iterate and compare. */
export function iterSearch(R: Runtime, container: Id, item: Id): boolean {
  for (const x of iterate(R, container)) {
    const found = eq(R, x, item);
    R.decref(x);
    if (found) return true;
  }
  return false;
}

export function compare(R: Runtime, op: string, a: Id, b: Id): boolean {
  switch (op) {
    case '==': return eq(R, a, b);
    case '!=': return a !== b && richCompare(R, a, b, Py_NE);
    case '<': return richCompare(R, a, b, Py_LT);
    case '<=': return richCompare(R, a, b, Py_LE);
    case '>': return richCompare(R, a, b, Py_GT);
    case '>=': return richCompare(R, a, b, Py_GE);
    case 'is': return a === b;
    case 'is not': return a !== b;
    case 'in': return contains(R, b, a);
    case 'not in': return !contains(R, b, a);
  }
  throw R.err('SystemError', 'bad comparison ' + op);
}

// ------------------------------------------------------------------ sizes and items

/** PyObject_Size. */
export function len(R: Runtime, v: Id): number {
  const s = slotsOf(R, v);
  if (s.sq_length) return s.sq_length(R, v);
  throw R.err('TypeError', `object of type '${R.typeName(v)}' has no len()`);
}

/** PyObject_GetItem. */
export function getItem(R: Runtime, o: Id, k: Id): Id {
  const s = slotsOf(R, o);
  if (s.mp_subscript) return s.mp_subscript(R, o, k);
  throw R.err('TypeError', `'${R.typeName(o)}' object is not subscriptable`);
}

/** PyObject_SetItem. */
export function setItem(R: Runtime, o: Id, k: Id, v: Id): void {
  const s = slotsOf(R, o);
  if (s.mp_ass_subscript) return s.mp_ass_subscript(R, o, k, v);
  throw R.err('TypeError', `'${R.typeName(o)}' object does not support item assignment`);
}

/** PyObject_DelItem. */
export function delItem(R: Runtime, o: Id, k: Id): void {
  const s = slotsOf(R, o);
  if (s.mp_ass_subscript) return s.mp_ass_subscript(R, o, k, 0);
  throw R.err('TypeError', `'${R.typeName(o)}' object does not support item deletion`);
}

// ------------------------------------------------------------------ attributes and calls

/** PyObject_GetAttr. */
export function getAttr(R: Runtime, o: Id, name: string): Id {
  const s = slotsOf(R, o);
  return s.tp_getattro ? s.tp_getattro(R, o, name) : genericGetAttr(R, o, name);
}

/** The method of a builtin type (list.append, dict.get…), for call-site caches; none for types
 * that resolve their methods themselves (instances, modules, super). */
export function builtinMethodOf(R: Runtime, t: number, name: string): MethodFn | undefined {
  if ((R.slots[t] ?? NO_SLOTS).tp_callmethod) return undefined;
  return R.typeMethods.get(t)?.get(name);
}

/** LOAD_METHOD + CALL: no bound method object for a plain method call. */
export function callMethod(R: Runtime, o: Id, name: string, args: Id[], kw: Kw): Id {
  const t = R.heap.typeOf(o);
  const s = R.slots[t] ?? NO_SLOTS;
  if (s.tp_callmethod) return s.tp_callmethod(R, o, name, args, kw);
  const fn = R.typeMethods.get(t)?.get(name);
  if (fn) return fn(o, args, kw);
  return callAttr(R, o, name, args, kw);
}

/** getattr then call, releasing the bound attribute. */
export function callAttr(R: Runtime, o: Id, name: string, args: Id[], kw: Kw): Id {
  const m = getAttr(R, o, name);
  try {
    return call(R, m, args, kw);
  } finally {
    R.decref(m);
  }
}

// ------------------------------------------------------------------ iteration

/** PyObject_GetIter (GET_ITER): a new iterator object. */
export function getIter(R: Runtime, v: Id): Id {
  const s = slotsOf(R, v);
  if (s.tp_iter) return s.tp_iter(R, v);
  throw R.err('TypeError', `'${R.typeName(v)}' object is not iterable`);
}

/** tp_iternext: a new reference, or 0 when exhausted (no StopIteration is allocated). */
export function iterNext(R: Runtime, it: Id): Id {
  const t = R.heap.typeOf(it);
  // The evaluator's specializations (FOR_ITER_RANGE, FOR_ITER_LIST): the same steps as the
  // iterators' tp_iternext, without the dispatch.
  if (t === R.T.rangeiter) {
    const p = R.P[it] as IterPayload;
    const i = p.index;
    if (p.step! > 0 ? i >= p.stop! : i <= p.stop!) return 0;
    p.index = i + p.step!;
    return R.newInt(i);
  }
  if (t === R.T.listiter) {
    const h = R.heap;
    if (h.refLen(it) === 0) return 0;
    const p = R.P[it] as IterPayload;
    const seq = h.getRef(it, 0);
    if (p.index < h.refLen(seq)) return R.incref(h.getRef(seq, p.index++));
    h.clearRefs(it);
    return 0;
  }
  const s = R.slots[t] ?? NO_SLOTS;
  if (s.tp_iternext) return s.tp_iternext(R, it);
  throw R.err('TypeError', `'${R.typeName(it)}' object is not an iterator`);
}

/** Iterate in JS: yields new references the consumer must decref. */
export function* iterate(R: Runtime, v: Id): Generator<Id> {
  const it = getIter(R, v);
  try {
    for (;;) {
      R.step();
      const x = iterNext(R, it);
      if (!x) return;
      yield x;
    }
  } finally {
    R.decref(it);
  }
}

/** Materialize an iterable as new references. */
export function toArray(R: Runtime, v: Id): Id[] {
  const h = R.heap;
  const t = h.typeOf(v);
  if (t === R.T.list || t === R.T.tuple) {
    const n = h.refLen(v);
    const out = new Array<Id>(n);
    for (let i = 0; i < n; i++) out[i] = R.incref(h.getRef(v, i));
    return out;
  }
  const out: Id[] = [];
  for (const x of iterate(R, v)) out.push(x);
  return out;
}

/** PyObject_LengthHint: len() when the object has one, else __length_hint__ of the builtin
 * iterators that define it, else the default. */
export function lengthHint(R: Runtime, v: Id, dflt: number): number {
  const s = slotsOf(R, v);
  if (s.length_hint) return s.length_hint(R, v) ?? dflt;
  if (s.sq_length) return s.sq_length(R, v);
  return dflt;
}
