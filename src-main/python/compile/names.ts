// Names: LOAD/STORE/DELETE_FAST, _DEREF, _NAME and _GLOBAL, chosen once from the symbol table.
import { NULL } from '../../sim';
import type { Frame } from '../vm/runtime';
import type { C, Del, Expr, Store } from './context';

export function loadName(c: C, name: string): Expr {
  const s = c.scope;
  const li = c.localIndex.get(name);
  if (li !== undefined && s.kind === 'function') {
    return (f) => {
      const R = f.rt;
      const v = f.fast[li];
      if (!v) throw R.err('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
      R.heap.incref(v);
      return v;
    };
  }
  const ci = c.cellIndex.get(name);
  if (ci !== undefined) {
    const inClass = s.kind === 'class';
    return (f) => {
      const R = f.rt;
      if (inClass) {
        const v = f.ns!.get(name);
        if (v !== undefined) return R.incref(v);
      }
      const v = R.heap.getRef(f.cells[ci], 0);
      if (!v) throw R.err('NameError', `free variable '${name}' referenced before assignment in enclosing scope`);
      R.heap.incref(v);
      return v;
    };
  }
  if (s.kind === 'class') {
    return (f) => {
      const R = f.rt;
      const v = f.ns!.get(name) ?? f.globals.get(name) ?? R.builtins.get(name);
      if (v === undefined) throw R.err('NameError', `name '${name}' is not defined`);
      return R.incref(v);
    };
  }
  return (f) => {
    const R = f.rt;
    const v = f.globals.get(name) ?? R.builtins.get(name);
    if (v === undefined) throw R.err('NameError', `name '${name}' is not defined`);
    R.heap.incref(v);
    return v;
  };
}

export function storeName(c: C, name: string): Store {
  const s = c.scope;
  const li = c.localIndex.get(name);
  if (li !== undefined && s.kind === 'function') {
    return (f, v) => {
      const old = f.fast[li];
      f.fast[li] = v;
      if (old) f.rt.heap.decref(old);
    };
  }
  const ci = c.cellIndex.get(name);
  if (ci !== undefined && s.kind !== 'class') {
    return (f, v) => {
      const R = f.rt;
      R.heap.setRef(f.cells[ci], 0, v);
      R.heap.decref(v);
    };
  }
  if (s.kind === 'class' && !s.globals.has(name)) {
    return (f, v) => {
      const old = f.ns!.get(name);
      f.ns!.set(name, v);
      if (old) f.rt.decref(old);
    };
  }
  return (f, v) => {
    const R = f.rt;
    const old = f.globals.get(name);
    if (old === undefined) R.noteGlobalInserted(f.globals.size);
    f.globals.set(name, v);
    if (old) R.decref(old);
  };
}

export function deleteName(c: C, name: string): Del {
  const s = c.scope;
  const li = c.localIndex.get(name);
  if (li !== undefined && s.kind === 'function') {
    return (f) => {
      const R = f.rt;
      const old = f.fast[li];
      if (!old) throw R.err('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
      f.fast[li] = 0;
      R.decref(old);
    };
  }
  const ci = c.cellIndex.get(name);
  if (ci !== undefined && s.kind !== 'class') {
    return (f) => f.rt.heap.setRef(f.cells[ci], 0, NULL);
  }
  const map = (f: Frame) => (s.kind === 'class' && !s.globals.has(name) ? f.ns! : f.globals);
  return (f) => {
    const R = f.rt;
    const m = map(f);
    const old = m.get(name);
    if (old === undefined) throw R.err('NameError', `name '${name}' is not defined`);
    m.delete(name);
    R.decref(old);
  };
}

/** `except E as e:` ends with `del e` (a name the handler already deleted is fine). */
export function unbindName(c: C, name: string): Del {
  const del = deleteName(c, name);
  return (f) => {
    try {
      del(f);
    } catch {
      /* already deleted by the handler */
    }
  };
}
