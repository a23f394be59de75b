// Classes (typeobject.c): ClassInfo records, builtin classes, the class statement
// (__build_class__ + type_new), instantiation (type_call), and the slots of type objects.
import { NULL } from '../../sim';
import { dictLog2Presized, dictSize } from '../../sim/sizes';
import { Frame } from '../vm/runtime';
import type { Runtime, Id, Kw, ClassInfo, CodeInfo, FuncPayload, TypeSlots } from '../vm/runtime';
import { strOf } from '../vm/args';
import { callPython } from '../vm/call';
import { toArray } from './abstract';
import { boundMethod } from './func';
import { c3Mro } from './mro';
import { instanceSlots } from './instance';
import { exceptionSlots } from './exceptions';

export function makeClassInfo(id: Id, name: string, bases: ClassInfo[], engineType: number, builtin: string | null): ClassInfo {
  const info: ClassInfo = {
    id, name, bases, mro: [], attrSlot: new Map(), engineType, builtin,
    sharedKeys: new Map(), slots: null, slotsWeakref: false, hasDel: false, isException: bases.some((b) => b.isException) || name === 'BaseException',
    managedDict: true, keysUsable: 29, init: 0, initVersion: -1,
  };
  const mro = c3Mro(info, bases);
  if (!mro) throw new Error(`inconsistent MRO for ${name}`);
  info.mro = mro;
  return info;
}

/** Builtin classes exist before the workload (they are part of the baseline heap). */
export function defineBuiltinClass(R: Runtime, name: string, base: ClassInfo | null, engineType: number, key = name): ClassInfo {
  const id = R.seen(R.heap.alloc(R.T.type, R.sz.classObject, 0));
  R.heap.appendRef(id, base ? base.id : NULL);
  const info = makeClassInfo(id, name, base ? [base] : [], engineType, key);
  R.P[id] = info;
  R.builtinClasses.set(key, info);
  if (engineType >= 0 && !R.classOfType[engineType]) R.classOfType[engineType] = info;
  R.builtins.set(name, id);
  return info;
}

/**
 * __build_class__ + type_new (3.11): the class body runs as a function with a fresh namespace
 * dict; type() is called through an argument tuple; the new type gets its dict, __mro__ and
 * __bases__ tuples, __dict__/__weakref__ descriptors (or one member descriptor per slot), and
 * a weak reference in its base's __subclasses__.
 */
export function buildClass(R: Runtime, f: Frame, code: CodeInfo, name: string, bases: Id[], runBody: (bf: Frame) => void, holder: { cls: ClassInfo | null }): Id {
  const h = R.heap;
  for (const b of bases) {
    const bc = R.classInfo(b);
    if (!bc) throw R.err('TypeError', 'bases must be types');
    if (bc.builtin && !bc.isException && bc.builtin !== 'object') throw R.err('NotImplementedError', `not supported yet: subclassing builtin type '${bc.name}'`);
  }
  if (bases.length > 1) throw R.err('NotImplementedError', 'not supported yet: multiple inheritance');
  const base = bases.length ? R.classInfo(bases[0])! : R.builtinClasses.get('object')!;
  const bodyFn = R.alloc(R.T.function, R.sz.function);
  R.P[bodyFn] = { kind: 'func', code, globals: f.globals, name, nDefaults: 0, kwDefaults: null } as FuncPayload;
  h.appendRef(bodyFn, NULL);
  h.appendRef(bodyFn, NULL);
  const basesTuple = bases.length ? R.newTuple(bases.map((b) => R.incref(b))) : 0;
  const nsDict = R.newDict();
  const bf = new Frame(R, code, f.globals, f);
  bf.ns = new Map();
  const saved = R.frame;
  R.frame = bf;
  let cls: Id;
  try {
    const modName = R.intern('__main__');
    bf.ns.set('__module__', modName);
    bf.ns.set('__qualname__', R.newStr(code.qualname));
    runBody(bf);
    bf.cells = [];
    // The namespace dict grew with the body's assignments.
    h.resize(nsDict, dictSize(dictLog2Presized(bf.ns.size), true));
    R.line = code.firstLine;
    const typeArgs = R.newTuple([R.newStr(name), basesTuple ? R.incref(basesTuple) : R.incref(R.EMPTY_TUPLE), R.incref(nsDict)]);
    try {
      cls = R.alloc(R.T.type, R.sz.classObject);
      const slotsId = bf.ns.get('__slots__');
      let slots: string[] | null = null;
      if (slotsId !== undefined) {
        slots = R.isStr(slotsId) ? [R.P[slotsId] as string] : toArray(R, slotsId).map((x) => {
          const s = strOf(R, x);
          R.decref(x);
          return s;
        });
      }
      const hasDel = bf.ns.has('__del__') || base.mro.some((c) => c.attrSlot.has('__del__'));
      const managed = !slots || slots.includes('__dict__');
      const inherited = base.builtin === 'object' || base.isException ? null : base;
      const engineType = base.isException && base.builtin
        ? h.defineType({ name, gc: true, kind: 'instance', finalizer: hasDel })
        : h.defineType({ name, gc: true, kind: 'instance', finalizer: hasDel });
      const info = makeClassInfo(cls, name, [base], engineType, null);
      info.isException = base.isException;
      info.hasDel = hasDel;
      info.managedDict = managed && (!inherited || inherited.managedDict);
      if (slots && !slots.includes('__dict__')) info.slots = [...(inherited?.slots ?? []), ...slots.filter((s) => s !== '__weakref__')];
      else if (inherited?.slots && !managed) info.slots = inherited.slots;
      info.slotsWeakref = info.slots !== null && (!!slots?.includes('__weakref__') || !!inherited?.slotsWeakref);
      if (inherited && !inherited.slots) info.sharedKeys = new Map(inherited.sharedKeys);
      R.P[cls] = info;
      R.classOfType[engineType] = info;
      R.slots[engineType] = base.isException ? exceptionSlots : instanceSlots;
      h.appendRef(cls, base.id);
      // type's own dict (a copy of the namespace), __mro__, __bases__
      // The type's dict holds the namespace plus __dict__/__weakref__ (or the slot members)
      // and __doc__; its contents stay in the class object's referents.
      const clsDict = R.newDict();
      // An exception subclass keeps BaseException's dict pointer: type_new adds no __dict__
      // (no managed dict, no cached shared keys), only __weakref__ when the base lacks it.
      const excWeakref = base.isException ? (base.builtin ? 1 : 0) : 0;
      const nKeys = bf.ns.size + (base.isException ? excWeakref : managed ? 2 : slots ? slots.length : 0) + 1;
      const dictLog2 = dictLog2Presized(nKeys);
      h.resize(clsDict, dictSize(dictLog2, true));
      h.appendRef(cls, clsDict);
      R.decref(clsDict);
      // Side allocations of a heap type that tracemalloc sees but getsizeof does not (the
      // instances' shared keys, name strings).
      const spec = R.spec;
      if (managed && !base.isException && spec.heapTypeSideBytes) h.setExtraBytes(cls, spec.heapTypeSideBytes);
      // type_sizeof counts ht_cached_keys, which only a type with a managed dict has.
      if (spec.typeCachedKeysBytes && (info.slots !== null || base.isException)) h.resize(cls, R.sz.classObject - spec.typeCachedKeysBytes);
      const mro = R.newTuple(info.mro.map((c) => R.incref(c.id)));
      h.appendRef(cls, mro);
      R.decref(mro);
      const basesT = basesTuple ? R.incref(basesTuple) : R.newTuple([R.incref(base.id)]);
      h.appendRef(cls, basesT);
      R.decref(basesT);
      if (slots) {
        const sorted = R.newList([], true);
        const names = R.newTuple(slots.map((s) => R.intern(s)));
        R.decref(sorted);
        h.appendRef(cls, names);
        R.decref(names);
        for (let i = 0; i < slots.length; i++) {
          const d = R.alloc(R.T.descriptor, R.sz.descriptor);
          h.appendRef(cls, d);
          R.decref(d);
        }
      }
      if (managed && (base.builtin === 'object' || (base.isException && base.builtin))) {
        for (let i = 0; i < (base.isException ? excWeakref : 2); i++) {
          const d = R.alloc(R.T.descriptor, R.sz.descriptor);
          h.appendRef(cls, d);
          R.decref(d);
        }
      }
      for (const [k, v] of bf.ns) R.setClassAttr(info, k, v);
      // add_subclass: base.__subclasses__ is a dict created on the first subclass.
      if (base.builtin === null && !base.attrSlot.has('\0subclasses')) {
        const d = R.newDict();
        R.setClassAttr(base, '\0subclasses', d);
        R.decref(d);
      }
      const sub = R.seen(h.newWeakref(R.T.weakref, cls, NULL, R.sz.weakref, R.line));
      R.subclassRefs.push(sub);
      // type_new_set_names iterates over a copy of the type's dict.
      R.decref(R.newDict());
      holder.cls = info;
    } finally {
      R.decref(typeArgs);
    }
  } finally {
    R.frame = saved;
    for (const v of bf.ns.values()) R.decref(v);
    bf.ns.clear();
    R.decref(nsDict);
    if (basesTuple) R.decref(basesTuple);
    R.decref(bodyFn);
  }
  return cls;
}

/** Weak references from base classes to their subclasses (tp_subclasses): kept for the run. */
export function instantiate(R: Runtime, clsId: Id, args: Id[], kw: Kw): Id {
  const cls = R.P[clsId] as ClassInfo;
  if (cls.builtin !== null && !cls.isException) {
    const ctor = R.constructors.get(cls.builtin);
    if (!ctor) throw R.err('TypeError', `cannot create '${cls.name}' instances`);
    return ctor(args, kw);
  }
  // _PyObject_MakeTpCall: positional arguments packed in a tuple, keywords in a dict.
  const argsTuple = R.newTupleOf(args);
  let kwDict = 0;
  let kwNames = 0;
  if (kw) {
    // slot_tp_init unpacks the keyword dict again into a tuple of names (_PyStack_UnpackDict).
    kwNames = R.newTuple([...kw.keys()].map((k) => R.intern(k)));
    kwDict = R.newDict();
    for (const [k, v] of kw) {
      const key = R.intern(k);
      R.dictSet(kwDict, key, v);
      R.decref(key);
    }
  }
  try {
    const obj = R.newInstance(cls);
    try {
      if (cls.isException) R.setAttr(obj, 'args', argsTuple);
      if (cls.initVersion !== R.classVersion) {
        cls.init = R.lookupClassAttr(cls, '__init__');
        cls.initVersion = R.classVersion;
      }
      const init = cls.init;
      if (init) {
        const r = callPython(R, init, args, kw, obj);
        if (r !== R.NONE) {
          R.decref(r);
          throw R.err('TypeError', "__init__() should return None");
        }
        R.decref(r);
      } else if (!cls.isException && (args.length || kw)) {
        throw R.err('TypeError', `${cls.name}() takes no arguments`);
      }
    } catch (e) {
      R.decref(obj);
      throw e;
    }
    return obj;
  } finally {
    R.decref(argsTuple);
    if (kwDict) R.decref(kwDict);
    if (kwNames) R.decref(kwNames);
  }
}

function typeRepr(R: Runtime, v: Id): string {
  const c = R.P[v] as ClassInfo;
  return c.builtin !== null && !c.isException ? `<class '${c.name}'>` : `<class '${c.builtin !== null ? c.name : '__main__.' + c.name}'>`;
}

function typeGetAttr(R: Runtime, o: Id, name: string): Id {
  const h = R.heap;
  const c = R.P[o] as ClassInfo;
  if (name === '__name__') return R.newStr(c.name);
  if (name === '__mro__') return R.newTuple(c.mro.map((m) => R.incref(m.id)));
  if (name === '__bases__') return R.newTuple(c.bases.map((b) => R.incref(b.id)));
  if (name === '__class__') return R.incref(R.classOf(o).id);
  const v = R.lookupClassAttr(c, name);
  if (v) {
    if (h.typeOf(v) === R.T.staticmethod) return R.incref(h.getRef(v, 0));
    if (h.typeOf(v) === R.T.classmethod) return boundMethod(R, h.getRef(v, 0), o);
    return R.incref(v);
  }
  const bm = c.builtin ? R.builtinClassMethods.get(c.builtin)?.get(name) : undefined;
  if (bm) return R.incref(bm);
  throw R.err('AttributeError', `type object '${c.name}' has no attribute '${name}'`);
}

export const typeSlots: TypeSlots = {
  tp_name: 'type',
  tp_repr: typeRepr,
  tp_call: instantiate,
  tp_getattro: typeGetAttr,
  // list[int] and friends in annotations
  mp_subscript: (R, o) => R.incref(o),
};
