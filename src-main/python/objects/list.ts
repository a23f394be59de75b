// list (listobject.c): items are the object's referents; R.P holds the allocated size.
import { listPreallocateExact, listSize } from '../../sim/sizes';
import type { Runtime, Id, MethodFn, TypeSlots, CompareOp } from '../vm/runtime';
import { Py_EQ, Py_NE } from '../vm/runtime';
import { clinicKeywords, guardSize, intArg, kwGet, normIndex } from '../vm/args';
import { call } from '../vm/call';
import { eq, getIter, iterNext, lengthHint, order, repr, richCompare, toArray, truthy } from './abstract';
import { seqIndex, sliceIndices, sliceRange } from './slice';
import { seqIter } from './iterators';

/** list_extend (listobject.c 3.11): an empty list (ob_item NULL) is preallocated exactly; an
 * iterable other than a list or tuple reserves its length hint (8 when it has none), then the
 * list is cut back to its size. */
export function listExtend(R: Runtime, l: Id, src: Id): void {
  const h = R.heap;
  const t = h.typeOf(src);
  if (t === R.T.list || t === R.T.tuple) {
    const n = h.refLen(src);
    if (n === 0) return;
    const items: Id[] = [];
    for (let i = 0; i < n; i++) items.push(h.getRef(src, i));
    reserveListItems(R, l, n);
    for (const x of items) h.appendRef(l, x);
    return;
  }
  const it = getIter(R, src);
  try {
    reserveListItems(R, l, lengthHint(R, src, 8));
    for (;;) {
      R.step();
      const x = iterNext(R, it);
      if (!x) break;
      if (h.refLen(l) < (R.P[l] as number)) h.appendRef(l, x);
      else R.listAppend(l, x);
      R.decref(x);
    }
  } finally {
    R.decref(it);
  }
  if (h.refLen(l) < (R.P[l] as number)) R.listSetLen(l, h.refLen(l));
}

/** Room for n more items: list_preallocate_exact on an empty list, list_resize otherwise. */
function reserveListItems(R: Runtime, l: Id, n: number): void {
  const h = R.heap;
  if (n <= 0) return;
  if ((R.P[l] as number) === 0 && h.refLen(l) === 0) {
    guardSize(R, n, 8);
    R.P[l] = listPreallocateExact(n);
    h.resize(l, listSize(R.P[l]));
  } else R.listSetLen(l, h.refLen(l) + n);
}

/** PySequence_Fast: a list or tuple itself, else PySequence_List (PyList_New(0) + list_extend). */
export function sequenceFast(R: Runtime, v: Id): Id {
  const t = R.heap.typeOf(v);
  if (t === R.T.list || t === R.T.tuple) return R.incref(v);
  const l = R.alloc(R.T.list, listSize(0), { freelist: true });
  R.P[l] = 0;
  try {
    listExtend(R, l, v);
  } catch (e) {
    R.decref(l);
    throw e;
  }
  return l;
}

export function sortKeyed(R: Runtime, items: Id[], key: Id, reverse: boolean): Id[] {
  let keys: Id[] | null = null;
  if (key && key !== R.NONE) keys = items.map((x) => call(R, key, [x], null));
  const idx = items.map((_, i) => i);
  let error: unknown = null;
  idx.sort((a, b) => {
    if (error) return 0;
    try {
      const x = keys ? keys[a] : items[a];
      const y = keys ? keys[b] : items[b];
      const c = order(R, x, y);
      return reverse ? -c : c;
    } catch (e) {
      error = e;
      return 0;
    }
  });
  if (keys) for (const k of keys) R.decref(k);
  if (error) throw error;
  return idx.map((i) => items[i]);
}

/** Lexicographic comparison of two lists or two tuples (list_richcompare / tuplerichcompare). */
export function seqCompare(R: Runtime, a: Id, b: Id, op: CompareOp): boolean | undefined {
  const h = R.heap;
  if (h.typeOf(b) !== h.typeOf(a)) return undefined;
  const na = h.refLen(a);
  const nb = h.refLen(b);
  if ((op === Py_EQ || op === Py_NE) && na !== nb) return op === Py_NE;
  const n = Math.min(na, nb);
  for (let i = 0; i < n; i++) {
    const x = h.getRef(a, i);
    const y = h.getRef(b, i);
    if (!eq(R, x, y)) {
      if (op === Py_EQ) return false;
      if (op === Py_NE) return true;
      return richCompare(R, x, y, op);
    }
  }
  const c = na - nb;
  switch (op) {
    case 0: return c < 0;
    case 1: return c <= 0;
    case 2: return c === 0;
    case 3: return c !== 0;
    case 4: return c > 0;
    default: return c >= 0;
  }
}

export function seqRepr(R: Runtime, v: Id, depth: number, open: string, close: string): string {
  const h = R.heap;
  const n = h.refLen(v);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(repr(R, h.getRef(v, i), depth + 1));
  return open + parts.join(', ') + close;
}

export function seqContains(R: Runtime, c: Id, item: Id): boolean {
  const h = R.heap;
  const n = h.refLen(c);
  for (let i = 0; i < n; i++) if (eq(R, h.getRef(c, i), item)) return true;
  return false;
}

/** Concatenation of two lists or two tuples. */
export function seqConcat(R: Runtime, a: Id, b: Id): Id {
  const h = R.heap;
  const t = h.typeOf(a);
  if (h.typeOf(b) !== t) return 0;
  const items: Id[] = [];
  for (let i = 0; i < h.refLen(a); i++) items.push(R.incref(h.getRef(a, i)));
  for (let i = 0; i < h.refLen(b); i++) items.push(R.incref(h.getRef(b, i)));
  return t === R.T.list ? R.newList(items, true) : R.newTuple(items);
}

/** Repetition of a list or tuple, either operand order. */
export function seqRepeat(R: Runtime, a: Id, b: Id): Id {
  const h = R.heap;
  const [s, k] = R.isInt(b) ? [a, b] : [b, a];
  const t = h.typeOf(s);
  if ((t !== R.T.list && t !== R.T.tuple) || !R.isInt(k)) return 0;
  const items: Id[] = [];
  const n = h.refLen(s);
  const times = R.P[k] as number;
  guardSize(R, n * Math.max(0, times), 8);
  for (let j = 0; j < times; j++) for (let i = 0; i < n; i++) items.push(R.incref(h.getRef(s, i)));
  return t === R.T.list ? R.newList(items, true) : R.newTuple(items);
}

function listAssSubscript(R: Runtime, o: Id, k: Id, v: Id): void {
  const h = R.heap;
  const n = h.refLen(o);
  if (h.typeOf(k) === R.T.slice) {
    if (!v) {
      const idx = sliceRange(R, k, n).sort((a, b) => b - a);
      const removed = idx.map((i) => h.popRef(o, i));
      R.listSetLen(o, h.refLen(o));
      for (const x of removed) R.decref(x);
      return;
    }
    const [start, stop, step] = sliceIndices(R, k, n);
    if (step !== 1) throw R.err('ValueError', 'extended slice assignment is not supported');
    const items = toArray(R, v);
    const end = Math.max(start, stop);
    for (let i = end - 1; i >= start; i--) h.removeRef(o, i);
    items.forEach((x, j) => {
      h.insertRef(o, start + j, x);
      R.decref(x);
    });
    R.listSetLen(o, h.refLen(o));
    return;
  }
  const i = seqIndex(R, k, n, 'list assignment index out of range');
  if (v) {
    h.setRef(o, i, v);
    return;
  }
  const x = h.popRef(o, i);
  R.listSetLen(o, n - 1);
  R.decref(x);
}

export const listSlots: TypeSlots = {
  tp_name: 'list',
  tp_repr: (R, v, depth) => seqRepr(R, v, depth, '[', ']'),
  tp_hash: (R, v) => {
    throw R.err('TypeError', `unhashable type: '${R.typeName(v)}'`);
  },
  tp_richcompare: seqCompare,
  sq_length: (R, v) => R.heap.refLen(v),
  sq_contains: seqContains,
  tp_iter: (R, v) => seqIter(R, R.T.listiter, R.sz.iterator, v),
  mp_subscript(R, o, k) {
    const h = R.heap;
    if (h.typeOf(k) === R.T.slice) {
      // list_slice: PyList_New(len) then fill
      return R.newList(sliceRange(R, k, h.refLen(o)).map((i) => R.incref(h.getRef(o, i))), true);
    }
    return R.incref(h.getRef(o, seqIndex(R, k, h.refLen(o), 'list index out of range')));
  },
  mp_ass_subscript: listAssSubscript,
  nb_add: seqConcat,
  nb_multiply: seqRepeat,
  nb_inplace_add(R, a, b) {
    listExtend(R, a, b);
    return R.incref(a);
  },
};

export function listMethods(R: Runtime): Map<string, MethodFn> {
  const h = () => R.heap;
  const m = new Map<string, MethodFn>();
  m.set('append', (self, args) => {
    R.listAppend(self, args[0]);
    return R.none();
  });
  m.set('extend', (self, args) => {
    listExtend(R, self, args[0]);
    return R.none();
  });
  m.set('pop', (self, args) => {
    const n = h().refLen(self);
    if (n === 0) throw R.err('IndexError', 'pop from empty list');
    let i = args.length ? intArg(R, args[0]) : n - 1;
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw R.err('IndexError', 'pop index out of range');
    const v = h().popRef(self, i);
    R.listSetLen(self, n - 1);
    return v;
  });
  m.set('insert', (self, args) => {
    const n = h().refLen(self);
    const i = normIndex(intArg(R, args[0]), n, true);
    R.listSetLen(self, n + 1);
    h().insertRef(self, i, args[1]);
    return R.none();
  });
  m.set('remove', (self, args) => {
    const n = h().refLen(self);
    for (let i = 0; i < n; i++) {
      if (eq(R, h().getRef(self, i), args[0])) {
        const v = h().popRef(self, i);
        R.listSetLen(self, n - 1);
        R.decref(v);
        return R.none();
      }
    }
    throw R.err('ValueError', 'list.remove(x): x not in list');
  });
  m.set('clear', (self) => {
    h().clearRefs(self);
    R.P[self] = 0;
    h().resize(self, listSize(0));
    return R.none();
  });
  m.set('index', (self, args) => {
    const n = h().refLen(self);
    for (let i = 0; i < n; i++) if (eq(R, h().getRef(self, i), args[0])) return R.newInt(i);
    throw R.err('ValueError', `${repr(R, args[0])} is not in list`);
  });
  m.set('count', (self, args) => {
    let c = 0;
    for (let i = 0; i < h().refLen(self); i++) if (eq(R, h().getRef(self, i), args[0])) c++;
    return R.newInt(c);
  });
  m.set('copy', (self) => {
    const items = toArray(R, self);
    return R.newList(items, true);
  });
  m.set('reverse', (self) => {
    const items = toArray(R, self);
    items.reverse();
    for (let i = 0; i < items.length; i++) {
      h().setRef(self, i, items[i]);
      R.decref(items[i]);
    }
    return R.none();
  });
  m.set('sort', (self, _args, kw) => {
    clinicKeywords(R, 'list.sort', ['key', 'reverse'], kw);
    const items = toArray(R, self);
    const rev = kwGet(kw, 'reverse');
    const sorted = sortKeyed(R, items, kwGet(kw, 'key'), rev ? truthy(R, rev) : false);
    for (let i = 0; i < sorted.length; i++) h().setRef(self, i, sorted[i]);
    for (const x of items) R.decref(x);
    return R.none();
  });
  return m;
}
