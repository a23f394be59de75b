// Assignment and del targets: STORE_* and UNPACK_SEQUENCE / UNPACK_EX. A store consumes the value.
import * as O from '../vm/ops';
import { delItem, setItem } from '../objects/abstract';
import type * as A from '../parse/ast';
import type { Frame, Id } from '../vm/runtime';
import type { C, Del, Expr, Store } from './context';
import { subscript } from './expressions';
import { deleteName, storeName } from './names';

export function compileTarget(c: C, e: A.Expr): Store {
  switch (e.type) {
    case 'Name': return storeName(c, e.id);
    case 'Tuple':
    case 'List': return unpackTarget(c, e.elts, e);
    case 'Attribute': {
      const obj = c.expr(e.value);
      const name = e.attr;
      return (f, v) => {
        const R = f.rt;
        let o = 0;
        try {
          o = obj(f);
          R.setAttr(o, name, v);
        } finally {
          R.decref(v);
          if (o) R.decref(o);
        }
      };
    }
    case 'Subscript': {
      const obj = c.expr(e.value);
      const key = subscript(c, e.slice);
      return (f, v) => {
        const R = f.rt;
        let o = 0;
        let k = 0;
        try {
          o = obj(f);
          k = key(f);
          setItem(R, o, k, v);
        } finally {
          R.decref(v);
          if (k) R.decref(k);
          if (o) R.decref(o);
        }
      };
    }
    default:
      throw c.syntax(e, 'cannot assign to expression');
  }
}

function unpackTarget(c: C, elts: A.Expr[], at: A.Pos): Store {
  if (!elts.length) throw c.syntax(at);
  const parts = elts.map((x) => (x.type === 'Starred' ? { store: c.target(x.value), star: true } : { store: c.target(x), star: false }));
  const starAt = parts.findIndex((p) => p.star);
  const n = parts.length;
  return (f, v) => {
    const R = f.rt;
    const items = O.toArray(R, v);
    R.decref(v);
    if (starAt < 0) {
      if (items.length !== n) {
        for (const x of items) R.decref(x);
        throw R.err('ValueError', items.length > n ? `too many values to unpack (expected ${n})` : `not enough values to unpack (expected ${n}, got ${items.length})`);
      }
      for (let i = 0; i < n; i++) parts[i].store(f, items[i]);
      return;
    }
    const after = n - starAt - 1;
    if (items.length < n - 1) {
      for (const x of items) R.decref(x);
      throw R.err('ValueError', `not enough values to unpack (expected at least ${n - 1}, got ${items.length})`);
    }
    for (let i = 0; i < starAt; i++) parts[i].store(f, items[i]);
    const mid = items.slice(starAt, items.length - after);
    parts[starAt].store(f, R.newList(mid, true));
    for (let i = 0; i < after; i++) parts[starAt + 1 + i].store(f, items[items.length - after + i]);
  };
}

/** Evaluates `obj[key]`'s operands in CPython's order, runs `use`, then releases the key and the object. */
export function withObjectAndKey(f: Frame, obj: Expr, key: Expr, use: (o: Id, k: Id) => void): void {
  const R = f.rt;
  const o = obj(f);
  let k: Id;
  try {
    k = key(f);
  } catch (e) {
    R.decref(o);
    throw e;
  }
  try {
    use(o, k);
  } finally {
    R.decref(k);
    R.decref(o);
  }
}

export function compileDelTarget(c: C, e: A.Expr): Del {
  switch (e.type) {
    case 'Name': return deleteName(c, e.id);
    case 'Tuple':
    case 'List': {
      const parts = e.elts.map((x) => c.delTarget(x));
      return (f) => parts.forEach((p) => p(f));
    }
    case 'Attribute': {
      const obj = c.expr(e.value);
      const name = e.attr;
      return (f) => {
        const o = obj(f);
        try {
          f.rt.delAttr(o, name);
        } finally {
          f.rt.decref(o);
        }
      };
    }
    case 'Subscript': {
      const obj = c.expr(e.value);
      const key = subscript(c, e.slice);
      return (f) => withObjectAndKey(f, obj, key, (o, k) => delItem(f.rt, o, k));
    }
    default:
      throw c.syntax(e, 'cannot delete expression');
  }
}
