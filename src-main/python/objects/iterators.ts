// The builtin iterator types (listobject.c's listiterator, tupleiterator, dict and set iterators,
// rangeiterator, str iterator, enumerate, zip, map, filter, reversed): each is its own iterator,
// with tp_iternext reading the sequence it holds as referent 0.
import { NULL } from '../../sim';
import type { Runtime, Id, IterPayload, DictPayload, SetPayload, TypeSlots } from '../vm/runtime';
import { getIter, iterNext } from './abstract';

/** enumerate / zip / dict.items(): reuse the result tuple when nobody else holds it. */
export function recycledPair(R: Runtime, it: Id, p: IterPayload, a: Id, b: Id): Id {
  const res = reusableResult(R, it, p);
  if (res) {
    R.heap.setRef(res, 0, a);
    R.heap.setRef(res, 1, b);
    return retrackResult(R, res);
  }
  return R.newTuple([R.incref(a), R.incref(b)]);
}

/** The constructor's preallocated result tuple (n × None), owned by the iterator as a referent. */
export function attachResultTuple(R: Runtime, it: Id, p: IterPayload, n: number): void {
  const res = R.newTuple(Array.from({ length: n }, () => R.none()));
  p.resultSlot = R.heap.refLen(it);
  R.heap.appendRef(it, res);
  R.decref(res);
}

/** The result tuple when only its iterator holds it (Py_REFCNT(result) == 1), else 0. */
export function reusableResult(R: Runtime, it: Id, p: IterPayload): Id {
  if (p.resultSlot === undefined || p.resultSlot >= R.heap.refLen(it)) return 0;
  const res = R.heap.getRef(it, p.resultSlot);
  return res && R.heap.refcount(res) === 1 ? res : 0;
}

/** A collection may have untracked the reused tuple: CPython re-tracks it before returning it. */
export function retrackResult(R: Runtime, res: Id): Id {
  if (!R.heap.isTracked(res)) R.heap.track(res);
  return R.incref(res);
}

export function makeIterObj(R: Runtime, type: number, size: number, refs: Id[], next: () => Id, p: Partial<IterPayload> = {}): Id {
  const it = R.alloc(type, size);
  for (const r of refs) R.heap.appendRef(it, r);
  R.P[it] = { index: 0, next, ...p };
  return it;
}

export function enumerateObj(R: Runtime, src: Id, start: number): Id {
  const inner = getIter(R, src);
  let i = start;
  const payload: IterPayload = { index: 0 };
  const it = R.alloc(R.T.enumerate, R.sz.enumerate);
  R.heap.appendRef(it, inner);
  R.decref(inner);
  // enum_new preallocates the (index, item) result tuple it recycles.
  attachResultTuple(R, it, payload, 2);
  payload.next = () => {
    const x = iterNext(R, R.heap.getRef(it, 0));
    if (!x) return 0;
    const n = R.newInt(i++);
    const r = recycledPair(R, it, payload, n, x);
    R.decref(n);
    R.decref(x);
    return r;
  };
  R.P[it] = payload;
  return it;
}

/** zip has no vectorcall in 3.11: type_call packs the arguments into a tuple, then zip_new
 * builds the tuple of iterators (ittuple), the recycled result tuple and the zip object. */
export function zipObj(R: Runtime, srcs: Id[]): Id {
  const h = R.heap;
  const argsTuple = R.newTupleOf(srcs);
  try {
    const n = srcs.length;
    const iters = R.newTuple(srcs.map((s) => getIter(R, s)));
    const result = R.newTuple(srcs.map(() => R.none()));
    const it = R.alloc(R.T.zip, 64);
    const payload: IterPayload = { index: 0, resultSlot: 1 };
    h.appendRef(it, iters);
    h.appendRef(it, result);
    R.decref(iters);
    R.decref(result);
    payload.next = () => {
      if (n === 0) return 0;
      const ittuple = h.getRef(it, 0);
      const vals: Id[] = [];
      for (let i = 0; i < n; i++) {
        const x = iterNext(R, h.getRef(ittuple, i));
        if (!x) {
          for (const v of vals) R.decref(v);
          return 0;
        }
        vals.push(x);
      }
      const res = reusableResult(R, it, payload);
      if (res) {
        for (let i = 0; i < n; i++) {
          h.setRef(res, i, vals[i]);
          R.decref(vals[i]);
        }
        return retrackResult(R, res);
      }
      return R.newTuple(vals);
    };
    R.P[it] = payload;
    return it;
  } finally {
    R.decref(argsTuple);
  }
}

/** A new iterator of `type` over the sequence `seq` (held as referent 0). */
export function seqIter(R: Runtime, type: number, size: number, seq: Id, p: IterPayload = { index: 0 }): Id {
  const it = R.alloc(type, size);
  R.P[it] = p;
  R.heap.appendRef(it, seq);
  return it;
}

const self = (R: Runtime, v: Id): Id => R.incref(v);

function seqLengthHint(R: Runtime, v: Id): number {
  const h = R.heap;
  if (h.refLen(v) === 0) return 0;
  return Math.max(0, h.refLen(h.getRef(v, 0)) - (R.P[v] as IterPayload).index);
}

/** list_iterator and tuple_iterator: the sequence is dropped when exhausted. */
export const seqIterSlots: TypeSlots = {
  tp_name: 'list_iterator',
  tp_iter: self,
  tp_iternext(R, it) {
    const h = R.heap;
    if (h.refLen(it) === 0) return 0;
    const p = R.P[it] as IterPayload;
    const seq = h.getRef(it, 0);
    if (p.index < h.refLen(seq)) return R.incref(h.getRef(seq, p.index++));
    h.clearRefs(it);
    return 0;
  },
  length_hint: seqLengthHint,
};

export const reversedSlots: TypeSlots = {
  tp_name: 'list_reverseiterator',
  tp_iter: self,
  tp_iternext(R, it) {
    const h = R.heap;
    if (h.refLen(it) === 0) return 0;
    const p = R.P[it] as IterPayload;
    const seq = h.getRef(it, 0);
    if (p.index >= 0 && p.index < h.refLen(seq)) return R.incref(h.getRef(seq, p.index--));
    h.clearRefs(it);
    return 0;
  },
};

export const rangeIterSlots: TypeSlots = {
  tp_name: 'range_iterator',
  tp_iter: self,
  tp_iternext(R, it) {
    const p = R.P[it] as IterPayload;
    const i = p.index;
    if (p.step! > 0 ? i >= p.stop! : i <= p.stop!) return 0;
    p.index = i + p.step!;
    return R.newInt(i);
  },
  length_hint(R, v) {
    const ip = R.P[v] as IterPayload;
    const n = ip.step! > 0 ? Math.ceil((ip.stop! - ip.index) / ip.step!) : Math.ceil((ip.index - ip.stop!) / -ip.step!);
    return Math.max(0, n);
  },
};

export const strIterSlots: TypeSlots = {
  tp_name: 'str_ascii_iterator',
  tp_iter: self,
  tp_iternext(R, it) {
    const h = R.heap;
    if (h.refLen(it) === 0) return 0;
    const p = R.P[it] as IterPayload;
    const s = R.P[h.getRef(it, 0)] as string;
    if (p.index < s.length) {
      const ch = String.fromCodePoint(s.codePointAt(p.index)!);
      p.index += ch.length;
      return R.newStr(ch);
    }
    return 0;
  },
};

/** dict_keyiterator / dict_valueiterator / dict_itemiterator (mode 0, 1, 2). */
export const dictIterSlots: TypeSlots = {
  tp_name: 'dict_keyiterator',
  tp_iter: self,
  tp_iternext(R, it) {
    const h = R.heap;
    if (h.refLen(it) === 0) return 0;
    const p = R.P[it] as IterPayload;
    const d = h.getRef(it, 0);
    const dp = R.P[d] as DictPayload;
    while (p.index < dp.n) {
      const e = p.index++;
      const k = h.getRef(d, 2 * e);
      if (k === NULL) continue;
      const v = h.getRef(d, 2 * e + 1);
      if (p.mode === 1) return R.incref(v);
      if (p.mode === 2) return recycledPair(R, it, p, k, v);
      return R.incref(k);
    }
    return 0;
  },
};

export const setIterSlots: TypeSlots = {
  tp_name: 'set_iterator',
  tp_iter: self,
  tp_iternext(R, it) {
    const h = R.heap;
    if (h.refLen(it) === 0) return 0;
    const p = R.P[it] as IterPayload;
    const s = h.getRef(it, 0);
    const sp = R.P[s] as SetPayload;
    while (p.index < sp.n) {
      const v = h.getRef(s, p.index++);
      if (v !== NULL) return R.incref(v);
    }
    return 0;
  },
};

/** enumerate, zip, map, filter, callable_iterator: the next step is a closure in the payload. */
export const closureIterSlots: TypeSlots = {
  tp_name: 'iterator',
  tp_iter: self,
  tp_iternext: (R, it) => (R.P[it] as IterPayload).next!(),
};
