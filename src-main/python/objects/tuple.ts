// tuple (tupleobject.c): items are the object's referents.
import type { Runtime, MethodFn, TypeSlots } from '../vm/runtime';
import { eq } from './abstract';
import { seqIndex, sliceRange } from './slice';
import { seqIter } from './iterators';
import { seqCompare, seqConcat, seqContains, seqRepeat, seqRepr } from './list';

export const tupleSlots: TypeSlots = {
  tp_name: 'tuple',
  tp_repr: (R, v, depth) => seqRepr(R, v, depth, '(', R.heap.refLen(v) === 1 ? ',)' : ')'),
  tp_richcompare: seqCompare,
  sq_length: (R, v) => R.heap.refLen(v),
  sq_contains: seqContains,
  tp_iter: (R, v) => seqIter(R, R.T.tupleiter, R.sz.iterator, v),
  mp_subscript(R, o, k) {
    const h = R.heap;
    if (h.typeOf(k) === R.T.slice) return R.newTuple(sliceRange(R, k, h.refLen(o)).map((i) => R.incref(h.getRef(o, i))));
    return R.incref(h.getRef(o, seqIndex(R, k, h.refLen(o), 'tuple index out of range')));
  },
  nb_add: seqConcat,
  nb_multiply: seqRepeat,
};

export function tupleMethods(R: Runtime): Map<string, MethodFn> {
  const m = new Map<string, MethodFn>();
  m.set('index', (self, args) => {
    for (let i = 0; i < R.heap.refLen(self); i++) if (eq(R, R.heap.getRef(self, i), args[0])) return R.newInt(i);
    throw R.err('ValueError', 'tuple.index(x): x not in tuple');
  });
  m.set('count', (self, args) => {
    let c = 0;
    for (let i = 0; i < R.heap.refLen(self); i++) if (eq(R, R.heap.getRef(self, i), args[0])) c++;
    return R.newInt(c);
  });
  return m;
}
