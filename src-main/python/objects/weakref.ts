// Weak references (weakrefobject.c) and WeakValueDictionary (weakref.py's KeyedRef entries).
import type { Runtime, Id, MethodFn, TypeSlots, DictPayload } from '../vm/runtime';
import { genericGetAttr } from './object';
import { dictIter, dictView } from './dict';

export function wvdSet(R: Runtime, o: Id, k: Id, v: Id): void {
  const inner = R.heap.getRef(o, 0);
  // KeyedRef with a callback removing the entry when the value dies.
  const cb = R.alloc(R.T.builtin, 72);
  R.heap.appendRef(cb, inner);
  R.heap.appendRef(cb, k);
  R.P[cb] = {
    kind: 'builtin', name: 'remove', fn: () => {
      const key = R.heap.getRef(cb, 1);
      const d = R.heap.getRef(cb, 0);
      if (key && d && R.dictLookup(d, key)) R.dictDel(d, key);
      return R.none();
    },
  };
  const w = R.seen(R.heap.newWeakref(R.T.weakref, v, cb, R.sz.weakref, R.line));
  R.decref(cb);
  R.dictSet(inner, k, w);
  R.decref(w);
}

export const weakrefSlots: TypeSlots = {
  tp_name: 'weakref.ReferenceType',
  tp_call: (R, w) => R.incref(R.heap.weakrefTarget(w) || R.NONE),
  tp_getattro: (R, o, name) => (name === '__callback__' ? R.incref(R.heap.getRef(o, 0) || R.NONE) : genericGetAttr(R, o, name)),
};

export const weakValueDictSlots: TypeSlots = {
  tp_name: 'WeakValueDictionary',
  sq_length: (R, v) => (R.P[R.heap.getRef(v, 0)] as DictPayload).map.size,
  sq_contains: (R, c, item) => !!R.dictLookup(R.heap.getRef(c, 0), item),
  tp_iter: (R, v) => dictIter(R, R.heap.getRef(v, 0), 0),
  mp_subscript(R, o, k) {
    const w = R.dictLookup(R.heap.getRef(o, 0), k);
    const target = w ? R.heap.weakrefTarget(w) : 0;
    if (!target) throw R.errWith('KeyError', k);
    return R.incref(target);
  },
  mp_ass_subscript: (R, o, k, v) => (v ? wvdSet(R, o, k, v) : R.dictDel(R.heap.getRef(o, 0), k)),
};

export function weakValueDictMethods(R: Runtime): Map<string, MethodFn> {
  return new Map<string, MethodFn>([
    ['get', (self, args) => {
      const w = R.dictLookup(R.heap.getRef(self, 0), args[0]);
      const t = w ? R.heap.weakrefTarget(w) : 0;
      return R.incref(t || args[1] || R.NONE);
    }],
    ['keys', (self) => dictView(R, R.heap.getRef(self, 0), 0)],
  ]);
}
