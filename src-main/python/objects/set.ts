// set and frozenset (setobject.c): items are referents at their entry index; the key → entry map
// and the table size live in R.P (SetPayload).
import type { Runtime, Id, MethodFn, TypeSlots, SetPayload, DictPayload } from '../vm/runtime';
import { Py_EQ, Py_NE } from '../vm/runtime';
import { binop, iterate, repr } from './abstract';
import { seqIter } from './iterators';

function setEq(R: Runtime, a: Id, b: Id): boolean {
  const pa = R.P[a] as SetPayload;
  const pb = R.P[b] as SetPayload;
  if (pa.map.size !== pb.map.size) return false;
  for (const k of pa.map.keys()) if (!pb.map.has(k)) return false;
  return true;
}

/** set_update_internal: a set or dict argument is merged after one presizing resize
 * (set_merge / the dict branch: (used + n)*2 when (fill + n)*5 >= mask*3); an empty target
 * takes a set's items with set_insert_clean (no further checks); other iterables add one by one. */
export function setUpdate(R: Runtime, s: Id, other: Id): void {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(other);
  if (t === T.set || t === T.frozenset || t === T.dict) {
    const isSet = t !== T.dict;
    const n = isSet ? (R.P[other] as SetPayload).map.size : (R.P[other] as DictPayload).map.size;
    if (other === s || n === 0) return;
    const p = R.P[s] as SetPayload;
    if ((p.fill + n) * 5 >= (p.table - 1) * 3) R.setTableResize(s, (p.map.size + n) * 2);
    if (isSet && p.fill === 0) {
      for (const x of R.setItems(other)) {
        p.map.set(R.hashKey(x), p.n++);
        h.appendRef(s, x);
        p.fill++;
      }
      return;
    }
  }
  for (const x of iterate(R, other)) {
    R.setAdd(s, x);
    R.decref(x);
  }
}

const isSet = (R: Runtime, v: Id): boolean => {
  const t = R.heap.typeOf(v);
  return t === R.T.set || t === R.T.frozenset;
};

/** set | & - ^ set: a new set of the left operand's type. */
function setOp(op: string): (R: Runtime, a: Id, b: Id) => Id {
  return (R, a, b) => {
    if (!isSet(R, a) || !isSet(R, b)) return 0;
    const out = R.newSet(R.heap.typeOf(a) === R.T.frozenset);
    const bp = R.P[b] as SetPayload;
    const ap = R.P[a] as SetPayload;
    if (op === '|') {
      // set_or: set_copy (a merge into an empty set), then a merge of b.
      setUpdate(R, out, a);
      setUpdate(R, out, b);
    } else if (op === '&') {
      for (const x of R.setItems(a)) if (bp.map.has(R.hashKey(x))) R.setAdd(out, x);
    } else if (op === '-') {
      for (const x of R.setItems(a)) if (!bp.map.has(R.hashKey(x))) R.setAdd(out, x);
    } else {
      for (const x of R.setItems(a)) if (!bp.map.has(R.hashKey(x))) R.setAdd(out, x);
      for (const x of R.setItems(b)) if (!ap.map.has(R.hashKey(x))) R.setAdd(out, x);
    }
    return out;
  };
}

function setRepr(R: Runtime, v: Id, depth: number): string {
  const frozen = R.heap.typeOf(v) === R.T.frozenset;
  const items = R.setItems(v);
  if (items.length === 0) return frozen ? 'frozenset()' : 'set()';
  const body = '{' + items.map((x) => repr(R, x, depth + 1)).join(', ') + '}';
  return frozen ? 'frozenset(' + body + ')' : body;
}

export const setSlots: TypeSlots = {
  tp_name: 'set',
  tp_repr: setRepr,
  tp_hash: (R, v) => {
    throw R.err('TypeError', `unhashable type: '${R.typeName(v)}'`);
  },
  tp_richcompare(R, a, b, op) {
    if (!isSet(R, b) || (op !== Py_EQ && op !== Py_NE)) return undefined;
    return setEq(R, a, b) === (op === Py_EQ);
  },
  sq_length: (R, v) => (R.P[v] as SetPayload).map.size,
  sq_contains: (R, c, item) => (R.P[c] as SetPayload).map.has(R.hashKey(item)),
  tp_iter: (R, v) => seqIter(R, R.T.setiter, 64, v),
  nb_or: setOp('|'),
  nb_and: setOp('&'),
  nb_subtract: setOp('-'),
  nb_xor: setOp('^'),
  nb_inplace_or(R, a, b) {
    if (R.heap.typeOf(a) !== R.T.set) return 0;
    setUpdate(R, a, b);
    return R.incref(a);
  },
  nb_inplace_subtract(R, a, b) {
    if (R.heap.typeOf(a) !== R.T.set) return 0;
    for (const x of iterate(R, b)) {
      R.setDiscard(a, x);
      R.decref(x);
    }
    return R.incref(a);
  },
};

export const frozensetSlots: TypeSlots = {
  ...setSlots,
  tp_name: 'frozenset',
  tp_hash: (R, v) => '\u0000f' + [...(R.P[v] as SetPayload).map.keys()].map(String).sort().join('\u0001'),
  nb_inplace_or: undefined,
  nb_inplace_subtract: undefined,
};

export function setMethods(R: Runtime): Map<string, MethodFn> {
  const m = new Map<string, MethodFn>();
  m.set('add', (self, args) => {
    R.setAdd(self, args[0]);
    return R.none();
  });
  m.set('discard', (self, args) => {
    R.setDiscard(self, args[0]);
    return R.none();
  });
  m.set('remove', (self, args) => {
    if (!R.setDiscard(self, args[0])) throw R.errWith('KeyError', args[0]);
    return R.none();
  });
  m.set('pop', (self) => {
    const items = R.setItems(self);
    if (!items.length) throw R.err('KeyError', 'pop from an empty set');
    const v = R.incref(items[0]);
    R.setDiscard(self, v);
    return v;
  });
  m.set('clear', (self) => {
    const p = R.P[self] as SetPayload;
    R.heap.clearRefs(self);
    p.map.clear();
    p.n = 0;
    p.fill = 0;
    p.table = 8;
    R.heap.resize(self, 216);
    return R.none();
  });
  m.set('update', (self, args) => {
    for (const a of args) setUpdate(R, self, a);
    return R.none();
  });
  m.set('union', (self, args) => args.reduce((acc, a) => {
    const r = binop(R, '|', acc, a);
    if (acc !== self) R.decref(acc);
    return r;
  }, self) === self ? binop(R, '|', self, self) : args.reduce((acc, a) => binop(R, '|', acc, a), self));
  m.set('intersection', (self, args) => binop(R, '&', self, args[0]));
  m.set('difference', (self, args) => binop(R, '-', self, args[0]));
  m.set('issubset', (self, args) => {
    const other = R.P[args[0]] as SetPayload;
    for (const k of (R.P[self] as SetPayload).map.keys()) if (!other.map.has(k)) return R.bool(false);
    return R.bool(true);
  });
  m.set('copy', (self) => {
    const s = R.newSet();
    setUpdate(R, s, self);
    return s;
  });
  return m;
}
