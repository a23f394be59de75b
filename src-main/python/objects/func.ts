// Functions, bound methods, builtin functions and methods, staticmethod/classmethod/property
// (funcobject.c, classobject.c, methodobject.c, descrobject.c).
import type { Runtime, Id, ClassInfo, FuncPayload, BuiltinFn, TypeSlots } from '../vm/runtime';
import { call, callPython } from '../vm/call';
import { addr, genericGetAttr } from './object';

export function boundMethod(R: Runtime, fn: Id, self: Id): Id {
  const m = R.alloc(R.T.method, R.sz.boundMethod);
  R.heap.appendRef(m, fn);
  R.heap.appendRef(m, self);
  return m;
}

/** Descriptor binding of a class attribute read through an instance. */
export function bindClassAttr(R: Runtime, v: Id, self: Id, cls: ClassInfo): Id {
  const t = R.heap.typeOf(v);
  if (t === R.T.function) return boundMethod(R, v, self);
  if (t === R.T.staticmethod) return R.incref(R.heap.getRef(v, 0));
  if (t === R.T.classmethod) return boundMethod(R, R.heap.getRef(v, 0), cls.id);
  if (t === R.T.property) {
    const getter = R.heap.getRef(v, 0);
    return call(R, getter, [self], null);
  }
  return R.incref(v);
}

export function builtinFn(R: Runtime, name: string, fn: BuiltinFn): Id {
  const id = R.seen(R.heap.alloc(R.T.builtin, R.sz.builtinMethod, 0));
  R.P[id] = { kind: 'builtin', name, fn };
  return id;
}

export const functionSlots: TypeSlots = {
  tp_name: 'function',
  tp_repr: (R, v) => `<function ${(R.P[v] as FuncPayload).code.qualname} at 0x${addr(v)}>`,
  tp_call: (R, fn, args, kw) => callPython(R, fn, args, kw, 0),
  tp_getattro(R, o, name) {
    const p = R.P[o] as FuncPayload;
    if (name === '__name__') return R.newStr(p.name);
    if (name === '__qualname__') return R.newStr(p.code.qualname);
    return genericGetAttr(R, o, name);
  },
};

export const methodSlots: TypeSlots = {
  tp_name: 'method',
  tp_call: (R, m, args, kw) => callPython(R, R.heap.getRef(m, 0), args, kw, R.heap.getRef(m, 1)),
};

export const builtinSlots: TypeSlots = {
  tp_name: 'builtin_function_or_method',
  tp_repr: (R, v) => `<built-in function ${R.P[v].name}>`,
  tp_call: (R, fn, args, kw) => R.P[fn].fn(args, kw),
};

export const boundBuiltinSlots: TypeSlots = {
  tp_name: 'builtin_function_or_method',
  tp_call: (R, fn, args, kw) => R.P[fn].fn(R.heap.getRef(fn, 0), args, kw),
};
