// dict (dictobject.c) and its views: keys and values are referents in entry order (2·i, 2·i+1);
// the key → entry map lives in R.P (DictPayload).
import type { Runtime, Id, MethodFn, TypeSlots, DictPayload, IterPayload } from '../vm/runtime';
import { Py_EQ, Py_NE } from '../vm/runtime';
import { eq, iterate, repr, toArray } from './abstract';
import { attachResultTuple } from './iterators';

export function dictView(R: Runtime, d: Id, mode: number): Id {
  const v = R.alloc(R.T.dictview, R.sz.dictView);
  R.heap.appendRef(v, d);
  R.P[v] = { mode };
  return v;
}

function dictEq(R: Runtime, a: Id, b: Id): boolean {
  const ea = R.dictEntries(a);
  if (ea.length !== (R.P[b] as DictPayload).map.size) return false;
  for (const [k, v] of ea) {
    const w = R.dictLookup(b, k);
    if (!w || !eq(R, v, w)) return false;
  }
  return true;
}

/** A dict iterator (mode 0 keys, 1 values, 2 items) over dict `d`. */
export function dictIter(R: Runtime, d: Id, mode: number): Id {
  const it = R.alloc(mode === 2 ? R.T.dictitemiter : R.T.dictiter, 64);
  const ip: IterPayload = { index: 0, mode };
  R.P[it] = ip;
  R.heap.appendRef(it, d);
  // dictiter_new preallocates the (key, value) result tuple it recycles.
  if (mode === 2) attachResultTuple(R, it, ip, 2);
  return it;
}

export const dictSlots: TypeSlots = {
  tp_name: 'dict',
  tp_repr: (R, v, depth) => '{' + R.dictEntries(v).map(([k, x]) => repr(R, k, depth + 1) + ': ' + repr(R, x, depth + 1)).join(', ') + '}',
  tp_hash: (R, v) => {
    throw R.err('TypeError', `unhashable type: '${R.typeName(v)}'`);
  },
  tp_richcompare(R, a, b, op) {
    if (R.heap.typeOf(b) !== R.T.dict || (op !== Py_EQ && op !== Py_NE)) return undefined;
    return dictEq(R, a, b) === (op === Py_EQ);
  },
  sq_length: (R, v) => (R.P[v] as DictPayload).map.size,
  sq_contains: (R, c, item) => (R.P[c] as DictPayload).map.has(R.hashKey(item)),
  tp_iter: (R, v) => dictIter(R, v, 0),
  mp_subscript(R, o, k) {
    const v = R.dictLookup(o, k);
    if (!v) throw R.errWith('KeyError', k);
    return R.incref(v);
  },
  mp_ass_subscript: (R, o, k, v) => (v ? R.dictSet(o, k, v) : R.dictDel(o, k)),
  nb_or(R, a, b) {
    if (R.heap.typeOf(a) !== R.T.dict || R.heap.typeOf(b) !== R.T.dict) return 0;
    const out = R.newDict(0, false);
    for (const [k, v] of R.dictEntries(a)) R.dictSet(out, k, v);
    for (const [k, v] of R.dictEntries(b)) R.dictSet(out, k, v);
    return out;
  },
};

/** dict_keys / dict_values / dict_items (the view's mode in R.P). */
export const dictViewSlots: TypeSlots = {
  tp_name: 'dict_items',
  sq_length: (R, v) => (R.P[R.heap.getRef(v, 0)] as DictPayload).map.size,
  tp_iter: (R, v) => dictIter(R, R.heap.getRef(v, 0), R.P[v].mode),
};

export function dictMethods(R: Runtime): Map<string, MethodFn> {
  const m = new Map<string, MethodFn>();
  m.set('get', (self, args) => {
    const v = R.dictLookup(self, args[0]);
    return R.incref(v || args[1] || R.NONE);
  });
  m.set('setdefault', (self, args) => {
    const v = R.dictLookup(self, args[0]);
    if (v) return R.incref(v);
    const d = args[1] || R.NONE;
    R.dictSet(self, args[0], d);
    return R.incref(d);
  });
  m.set('pop', (self, args) => {
    const v = R.dictLookup(self, args[0]);
    if (!v) {
      if (args.length > 1) return R.incref(args[1]);
      throw R.errWith('KeyError', args[0]);
    }
    R.incref(v);
    R.dictDel(self, args[0]);
    return v;
  });
  m.set('popitem', (self) => {
    const e = R.dictEntries(self);
    if (!e.length) throw R.err('KeyError', 'popitem(): dictionary is empty');
    const [k, v] = e[e.length - 1];
    const t = R.newTuple([R.incref(k), R.incref(v)]);
    R.dictDel(self, k);
    return t;
  });
  m.set('keys', (self) => dictView(R, self, 0));
  m.set('values', (self) => dictView(R, self, 1));
  m.set('items', (self) => dictView(R, self, 2));
  m.set('update', (self, args, kw) => {
    if (args.length) {
      const src = args[0];
      if (R.heap.typeOf(src) === R.T.dict) for (const [k, v] of R.dictEntries(src)) R.dictSet(self, k, v);
      else for (const pair of iterate(R, src)) {
        const [k, v] = toArray(R, pair);
        R.decref(pair);
        R.dictSet(self, k, v);
        R.decref(k);
        R.decref(v);
      }
    }
    if (kw) for (const [k, v] of kw) {
      const key = R.intern(k);
      R.dictSet(self, key, v);
      R.decref(key);
    }
    return R.none();
  });
  m.set('clear', (self) => {
    const p = R.P[self] as DictPayload;
    R.heap.clearRefs(self);
    p.map.clear();
    p.n = 0;
    p.log2 = 0;
    R.heap.resize(self, 64);
    return R.none();
  });
  m.set('copy', (self) => {
    const d = R.newDict(0, true);
    for (const [k, v] of R.dictEntries(self)) R.dictSet(d, k, v);
    return d;
  });
  return m;
}
