// Instances of Python classes: the slot table every user class gets (CPython's slot_tp_* in
// typeobject.c), each slot looking up the class's dunder method along the MRO at call time.
import type { Runtime, Id, Kw, TypeSlots, CompareOp, BinarySlot, ClassInfo } from '../vm/runtime';
import { PyErr, Py_NE } from '../vm/runtime';
import { call, callPython } from '../vm/call';
import { intArg } from '../vm/args';
import { callAttr, callToString, iterSearch, repr, truthy } from './abstract';
import { addr } from './object';
import { bindClassAttr } from './func';

/** The class of a Python-class instance (the slot's own type). */
const clsOf = (R: Runtime, v: Id): ClassInfo => R.classOf(v);

/** Calls `cls.name(self, *args)` when the class defines it; undefined when it does not. */
function callDunder(R: Runtime, self: Id, name: string, args: Id[]): Id | undefined {
  const m = R.lookupClassAttr(clsOf(R, self), name);
  if (!m) return undefined;
  return call(R, m, [self, ...args], null);
}

function dunderTruth(R: Runtime, self: Id, name: string, args: Id[]): boolean | undefined {
  const r = callDunder(R, self, name, args);
  if (r === undefined) return undefined;
  const b = truthy(R, r);
  R.decref(r);
  return b;
}

const RICH = ['__lt__', '__le__', '__eq__', '__ne__', '__gt__', '__ge__'];

function slotRichCompare(R: Runtime, a: Id, b: Id, op: CompareOp): boolean | undefined {
  const r = dunderTruth(R, a, RICH[op], [b]);
  if (r !== undefined) return r;
  if (op === Py_NE) {
    const e = dunderTruth(R, a, '__eq__', [b]);
    if (e !== undefined) return !e;
  }
  return undefined;
}

/** x op y through x.__op__(y), else y.__rop__(x); 0 for NotImplemented. */
function slotBinary(name: string, rname: string): BinarySlot {
  return (R, a, b) => {
    if (R.isUserInstance(a)) {
      const r = callDunder(R, a, name, [b]);
      if (r !== undefined) return r;
    }
    if (R.isUserInstance(b)) {
      const r = callDunder(R, b, rname, [a]);
      if (r !== undefined) return r;
    }
    return 0;
  };
}

function slotUnary(name: string): (R: Runtime, v: Id) => Id {
  return (R, v) => {
    const r = callDunder(R, v, name, []);
    if (r === undefined) throw R.err('TypeError', `bad operand type for unary: '${R.typeName(v)}'`);
    return r;
  };
}

/** __hash__ when the class defines one, unhashable when it defines __eq__ without __hash__,
 * else identity. Equal hashes make equal keys (the tables do not call __eq__ on collisions). */
function slotHash(R: Runtime, v: Id): string {
  const cls = clsOf(R, v);
  const h = R.lookupClassAttr(cls, '__hash__');
  if (h === R.NONE || (!h && R.lookupClassAttr(cls, '__eq__'))) throw R.err('TypeError', `unhashable type: '${cls.name}'`);
  if (!h) return '\u0000o' + v;
  const r = call(R, h, [v], null);
  try {
    return '\u0000u' + intArg(R, r);
  } finally {
    R.decref(r);
  }
}

/** The instance attribute lookup of object.__getattribute__ plus __getattr__. */
export function instanceGetAttr(R: Runtime, o: Id, name: string): Id {
  const h = R.heap;
  const cls = clsOf(R, o);
  if (name === '__dict__') return R.incref(R.materializeDict(o));
  if (name === '__class__') return R.incref(cls.id);
  const ca = R.lookupClassAttr(cls, name);
  if (ca && h.typeOf(ca) === R.T.property) return bindClassAttr(R, ca, o, cls);
  const v = R.getInstanceAttr(o, name);
  if (v) return R.incref(v);
  if (ca) return bindClassAttr(R, ca, o, cls);
  if (cls.isException) {
    if (name === '__traceback__' || name === '__cause__' || name === '__context__') return R.none();
  }
  const ga = R.lookupClassAttr(cls, '__getattr__');
  if (ga) {
    const k = R.intern(name);
    try {
      return call(R, ga, [o, k], null);
    } finally {
      R.decref(k);
    }
  }
  throw R.err('AttributeError', `'${cls.name}' object has no attribute '${name}'`);
}

/** LOAD_METHOD on an instance: a function found on the class is called without binding. */
function instanceCallMethod(R: Runtime, o: Id, name: string, args: Id[], kw: Kw): Id {
  if (!R.getInstanceAttr(o, name)) {
    const ca = R.lookupClassAttr(clsOf(R, o), name);
    if (ca && R.heap.typeOf(ca) === R.T.function) return callPython(R, ca, args, kw, o);
  }
  return callAttr(R, o, name, args, kw);
}

export const instanceSlots: TypeSlots = {
  tp_name: 'object',
  tp_repr(R, v) {
    const cls = clsOf(R, v);
    const m = R.lookupClassAttr(cls, '__repr__');
    if (m) return callToString(R, m, v);
    return `<__main__.${cls.name} object at 0x${addr(v)}>`;
  },
  tp_str(R, v) {
    const m = R.lookupClassAttr(clsOf(R, v), '__str__');
    return m ? callToString(R, m, v) : repr(R, v);
  },
  tp_hash: slotHash,
  tp_richcompare: slotRichCompare,
  nb_bool(R, v) {
    const b = dunderTruth(R, v, '__bool__', []);
    if (b !== undefined) return b;
    return dunderTruth(R, v, '__len__', []) ?? true;
  },
  sq_length(R, v) {
    const r = callDunder(R, v, '__len__', []);
    if (r === undefined) throw R.err('TypeError', `object of type '${R.typeName(v)}' has no len()`);
    const n = intArg(R, r);
    R.decref(r);
    return n;
  },
  length_hint: () => undefined,
  sq_contains(R, c, item) {
    return dunderTruth(R, c, '__contains__', [item]) ?? iterSearch(R, c, item);
  },
  tp_iter(R, v) {
    const r = callDunder(R, v, '__iter__', []);
    if (r === undefined) throw R.err('TypeError', `'${R.typeName(v)}' object is not iterable`);
    return r;
  },
  tp_iternext(R, it) {
    const m = R.lookupClassAttr(clsOf(R, it), '__next__');
    if (!m) throw R.err('TypeError', `'${R.typeName(it)}' object is not an iterator`);
    try {
      return call(R, m, [it], null);
    } catch (e) {
      if (e instanceof PyErr && R.isInstanceOf(e.exc, R.builtinClasses.get('StopIteration')!)) {
        R.decref(e.exc);
        return 0;
      }
      throw e;
    }
  },
  tp_call(R, fn, args, kw) {
    const m = R.lookupClassAttr(clsOf(R, fn), '__call__');
    if (!m) throw R.err('TypeError', `'${R.typeName(fn)}' object is not callable`);
    return callPython(R, m, args, kw, fn);
  },
  tp_getattro: instanceGetAttr,
  tp_callmethod: instanceCallMethod,
  mp_subscript(R, o, k) {
    const r = callDunder(R, o, '__getitem__', [k]);
    if (r === undefined) throw R.err('TypeError', `'${R.typeName(o)}' object is not subscriptable`);
    return r;
  },
  mp_ass_subscript(R, o, k, v) {
    const r = v ? callDunder(R, o, '__setitem__', [k, v]) : callDunder(R, o, '__delitem__', [k]);
    if (r === undefined) throw R.err('TypeError', `'${R.typeName(o)}' object does not support item ${v ? 'assignment' : 'deletion'}`);
    R.decref(r);
  },
  nb_add: slotBinary('__add__', '__radd__'),
  nb_subtract: slotBinary('__sub__', '__rsub__'),
  nb_multiply: slotBinary('__mul__', '__rmul__'),
  nb_remainder: slotBinary('__mod__', '__rmod__'),
  nb_true_divide: slotBinary('__truediv__', '__rtruediv__'),
  nb_floor_divide: slotBinary('__floordiv__', '__rfloordiv__'),
  nb_matrix_multiply: slotBinary('__matmul__', '__rmatmul__'),
  nb_negative: slotUnary('__neg__'),
  nb_positive: slotUnary('__pos__'),
  nb_invert: slotUnary('__invert__'),
};
