// Module objects (moduleobject.c): attributes are values or lazily computed getters.
import type { Runtime, Id, TypeSlots } from '../vm/runtime';
import { callAttr } from './abstract';

export function makeModule(R: Runtime, name: string, attrs: Map<string, Id | (() => Id)>): Id {
  const m = R.seen(R.heap.alloc(R.T.module, R.sz.module, 0));
  R.P[m] = { name, attrs };
  return m;
}

function moduleGetAttr(R: Runtime, o: Id, name: string): Id {
  const p = R.P[o];
  const v = p.attrs.get(name);
  if (v === undefined) throw R.err('AttributeError', `module '${p.name}' has no attribute '${name}'`);
  if (typeof v === 'function') return v();
  return R.incref(v);
}

export const moduleSlots: TypeSlots = {
  tp_name: 'module',
  tp_repr: (R, v) => `<module '${R.P[v].name}'>`,
  tp_getattro: moduleGetAttr,
  tp_callmethod(R, o, name, args, kw) {
    const v = R.P[o].attrs.get(name);
    if (v !== undefined && typeof v !== 'function' && R.heap.typeOf(v) === R.T.builtin) return R.P[v].fn(args, kw);
    return callAttr(R, o, name, args, kw);
  },
};
