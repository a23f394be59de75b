// object and NoneType: the default repr, addresses, and PyObject_GenericGetAttr for builtin
// types (methods from the type's method table, data attributes from its member table).
import type { Runtime, Id, TypeSlots, MethodFn } from '../vm/runtime';

export function addr(v: Id): string {
  return (0x7f0000000000 + v * 64).toString(16);
}

/** A bound builtin method object (allocated when a method is read as a value). */
export function boundBuiltin(R: Runtime, self: Id, name: string, fn: MethodFn): Id {
  const m = R.alloc(R.T.boundbuiltin, R.sz.builtinMethod);
  R.heap.appendRef(m, self);
  R.P[m] = { kind: 'boundbuiltin', name, fn };
  return m;
}

/** object.__repr__: `<TYPE object at 0xADDR>`. */
export function defaultRepr(R: Runtime, v: Id): string {
  return `<${R.heap.typeName(R.heap.typeOf(v))} object at 0x${addr(v)}>`;
}

/** PyObject_GenericGetAttr for builtin types: __class__, the method table, the member table. */
export function genericGetAttr(R: Runtime, o: Id, name: string): Id {
  const t = R.heap.typeOf(o);
  if (name === '__class__') return R.incref(R.classOf(o).id);
  const fn = R.typeMethods.get(t)?.get(name);
  if (fn) return boundBuiltin(R, o, name, fn);
  const a = R.builtinAttrs.get(t)?.get(name);
  if (a) return a(o);
  throw R.err('AttributeError', `'${R.typeName(o)}' object has no attribute '${name}'`);
}

export const objectSlots: TypeSlots = { tp_name: 'object' };

export const noneSlots: TypeSlots = {
  tp_name: 'NoneType',
  tp_repr: () => 'None',
  tp_hash: () => '\u0000None',
  nb_bool: () => false,
};
