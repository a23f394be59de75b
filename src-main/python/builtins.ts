// Builtin functions, builtin types and their methods, attribute access, subscripts,
// class creation, and the modules gc, sys, tracemalloc, weakref and time.
import type { SyntaxNode } from '@lezer/common';
import { NULL } from '../sim';
import { Frame, PyErr, SITE_INTERNAL } from './runtime';
import type { Runtime, Id, Kw, ClassInfo, CodeInfo, DictPayload, SetPayload, IterPayload, MethodFn, BuiltinFn, FuncPayload } from './runtime';
import * as O from './ops';
import * as S from './sizes';
import type { Compiler } from './compiler';

// ------------------------------------------------------------------ helpers

const argErr = (R: Runtime, name: string, msg: string) => R.err('TypeError', `${name}() ${msg}`);

function intArg(R: Runtime, v: Id, what = 'an integer'): number {
  if (!R.isInt(v)) throw R.err('TypeError', `'${R.typeName(v)}' object cannot be interpreted as ${what}`);
  return R.P[v] as number;
}

function strOf(R: Runtime, v: Id): string {
  if (!R.isStr(v)) throw R.err('TypeError', `expected str, got ${R.typeName(v)}`);
  return R.P[v] as string;
}

function len(R: Runtime, v: Id): number {
  const T = R.T;
  const t = R.heap.typeOf(v);
  if (t === T.list || t === T.tuple) return R.heap.refLen(v);
  if (t === T.str) return [...(R.P[v] as string)].length;
  if (t === T.bytes) return (R.P[v] as string).length;
  if (t === T.dict) return (R.P[v] as DictPayload).map.size;
  if (t === T.set || t === T.frozenset) return (R.P[v] as SetPayload).map.size;
  if (t === T.range) {
    const p = R.P[v];
    return Math.max(0, Math.ceil((p.stop - p.start) / p.step));
  }
  if (t === T.dictview) return (R.P[R.heap.getRef(v, 0)] as DictPayload).map.size;
  if (t === T.wvdict) return (R.P[R.heap.getRef(v, 0)] as DictPayload).map.size;
  const cls = R.isUserInstance(v);
  if (cls) {
    const m = R.lookupClassAttr(cls, '__len__');
    if (m) {
      const r = O.call(R, m, [v], null);
      const n = intArg(R, r);
      R.decref(r);
      return n;
    }
  }
  throw R.err('TypeError', `object of type '${R.typeName(v)}' has no len()`);
}

function kwGet(kw: Kw, name: string): Id {
  return kw?.get(name) ?? 0;
}

function normIndex(i: number, n: number, clamp: boolean): number {
  if (i < 0) i += n;
  if (clamp) return Math.max(0, Math.min(n, i));
  return i;
}

// ------------------------------------------------------------------ slices

export function makeSlice(R: Runtime, a: Id, b: Id, c: Id): Id {
  // BUILD_SLICE; 3.11 keeps one cached slice object, so slicing rarely allocates a GC object.
  const s = R.alloc(R.T.slice, 56);
  R.heap.appendRef(s, a || R.NONE);
  R.heap.appendRef(s, b || R.NONE);
  R.heap.appendRef(s, c || R.NONE);
  if (a) R.decref(a);
  if (b) R.decref(b);
  if (c) R.decref(c);
  return s;
}

function sliceIndices(R: Runtime, s: Id, n: number): [number, number, number] {
  const h = R.heap;
  const a = h.getRef(s, 0);
  const b = h.getRef(s, 1);
  const c = h.getRef(s, 2);
  const step = c === R.NONE ? 1 : intArg(R, c);
  if (step === 0) throw R.err('ValueError', 'slice step cannot be zero');
  let start: number;
  let stop: number;
  if (step > 0) {
    start = a === R.NONE ? 0 : normIndex(intArg(R, a), n, true);
    stop = b === R.NONE ? n : normIndex(intArg(R, b), n, true);
  } else {
    start = a === R.NONE ? n - 1 : Math.min(n - 1, normIndex(intArg(R, a), n, false));
    stop = b === R.NONE ? -1 : Math.max(-1, normIndex(intArg(R, b), n, false));
  }
  return [start, stop, step];
}

function sliceRange(R: Runtime, s: Id, n: number): number[] {
  const [start, stop, step] = sliceIndices(R, s, n);
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

// ------------------------------------------------------------------ subscripts

export function getItem(R: Runtime, o: Id, k: Id): Id {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(o);
  if (t === T.list || t === T.tuple) {
    if (h.typeOf(k) === T.slice) {
      const idx = sliceRange(R, k, h.refLen(o));
      const items = idx.map((i) => R.incref(h.getRef(o, i)));
      if (t === T.tuple) return R.newTuple(items);
      // list_slice: PyList_New(len) then fill
      return R.newList(items, true);
    }
    const n = h.refLen(o);
    let i = intArg(R, k, 'an index');
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw R.err('IndexError', `${t === T.list ? 'list' : 'tuple'} index out of range`);
    return R.incref(h.getRef(o, i));
  }
  if (t === T.dict) {
    const v = R.dictLookup(o, k);
    if (!v) throw R.errWith('KeyError', k);
    return R.incref(v);
  }
  if (t === T.str) {
    const s = R.P[o] as string;
    const chars = [...s];
    if (h.typeOf(k) === T.slice) return R.newStr(sliceRange(R, k, chars.length).map((i) => chars[i]).join(''));
    let i = intArg(R, k, 'an index');
    if (i < 0) i += chars.length;
    if (i < 0 || i >= chars.length) throw R.err('IndexError', 'string index out of range');
    return R.newStr(chars[i]);
  }
  if (t === T.bytes) {
    const s = R.P[o] as string;
    if (h.typeOf(k) === T.slice) return R.newBytes(sliceRange(R, k, s.length).map((i) => s[i]).join(''));
    let i = intArg(R, k, 'an index');
    if (i < 0) i += s.length;
    if (i < 0 || i >= s.length) throw R.err('IndexError', 'index out of range');
    return R.newInt(s.charCodeAt(i));
  }
  if (t === T.range) {
    const p = R.P[o];
    const n = len(R, o);
    let i = intArg(R, k);
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw R.err('IndexError', 'range object index out of range');
    return R.newInt(p.start + i * p.step);
  }
  if (t === T.wvdict) {
    const w = R.dictLookup(h.getRef(o, 0), k);
    const target = w ? h.weakrefTarget(w) : 0;
    if (!target) throw R.errWith('KeyError', k);
    return R.incref(target);
  }
  const cls = R.isUserInstance(o);
  if (cls) {
    const m = R.lookupClassAttr(cls, '__getitem__');
    if (m) return O.call(R, m, [o, k], null);
  }
  if (t === T.type) {
    // list[int] and friends in annotations
    return R.incref(o);
  }
  throw R.err('TypeError', `'${R.typeName(o)}' object is not subscriptable`);
}

export function setItem(R: Runtime, o: Id, k: Id, v: Id): void {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(o);
  if (t === T.dict) return R.dictSet(o, k, v);
  if (t === T.list) {
    if (h.typeOf(k) === T.slice) {
      const [start, stop, step] = sliceIndices(R, k, h.refLen(o));
      if (step !== 1) throw R.err('ValueError', 'extended slice assignment is not supported');
      const items = O.toArray(R, v);
      const end = Math.max(start, stop);
      for (let i = end - 1; i >= start; i--) h.removeRef(o, i);
      items.forEach((x, j) => {
        h.insertRef(o, start + j, x);
        R.decref(x);
      });
      R.listSetLen(o, h.refLen(o));
      return;
    }
    const n = h.refLen(o);
    let i = intArg(R, k, 'an index');
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw R.err('IndexError', 'list assignment index out of range');
    h.setRef(o, i, v);
    return;
  }
  if (t === T.wvdict) return wvdSet(R, o, k, v);
  const cls = R.isUserInstance(o);
  if (cls) {
    const m = R.lookupClassAttr(cls, '__setitem__');
    if (m) {
      R.decref(O.call(R, m, [o, k, v], null));
      return;
    }
  }
  throw R.err('TypeError', `'${R.typeName(o)}' object does not support item assignment`);
}

export function delItem(R: Runtime, o: Id, k: Id): void {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(o);
  if (t === T.dict) return R.dictDel(o, k);
  if (t === T.list) {
    const n = h.refLen(o);
    if (h.typeOf(k) === T.slice) {
      const idx = sliceRange(R, k, n).sort((a, b) => b - a);
      const removed = idx.map((i) => h.popRef(o, i));
      R.listSetLen(o, h.refLen(o));
      for (const x of removed) R.decref(x);
      return;
    }
    let i = intArg(R, k, 'an index');
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw R.err('IndexError', 'list assignment index out of range');
    const x = h.popRef(o, i);
    R.listSetLen(o, n - 1);
    R.decref(x);
    return;
  }
  if (t === T.wvdict) return R.dictDel(h.getRef(o, 0), k);
  const cls = R.isUserInstance(o);
  if (cls) {
    const m = R.lookupClassAttr(cls, '__delitem__');
    if (m) {
      R.decref(O.call(R, m, [o, k], null));
      return;
    }
  }
  throw R.err('TypeError', `'${R.typeName(o)}' object does not support item deletion`);
}

// ------------------------------------------------------------------ attributes


function methodsOf(R: Runtime, t: number): Map<string, MethodFn> | undefined {
  return R.typeMethods.get(t);
}

/** A bound builtin method object (allocated when a method is read as a value). */
function boundBuiltin(R: Runtime, self: Id, name: string, fn: MethodFn): Id {
  const m = R.alloc(R.T.boundbuiltin, R.sz.builtinMethod);
  R.heap.appendRef(m, self);
  R.P[m] = { kind: 'boundbuiltin', name, fn };
  return m;
}

function boundMethod(R: Runtime, fn: Id, self: Id): Id {
  const m = R.alloc(R.T.method, R.sz.boundMethod);
  R.heap.appendRef(m, fn);
  R.heap.appendRef(m, self);
  return m;
}

/** Descriptor binding of a class attribute read through an instance. */
function bindClassAttr(R: Runtime, v: Id, self: Id, cls: ClassInfo): Id {
  const t = R.heap.typeOf(v);
  if (t === R.T.function) return boundMethod(R, v, self);
  if (t === R.T.staticmethod) return R.incref(R.heap.getRef(v, 0));
  if (t === R.T.classmethod) return boundMethod(R, R.heap.getRef(v, 0), cls.id);
  if (t === R.T.property) {
    const getter = R.heap.getRef(v, 0);
    return O.call(R, getter, [self], null);
  }
  return R.incref(v);
}

export function getAttr(R: Runtime, o: Id, name: string): Id {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(o);
  const cls = R.isUserInstance(o);
  if (cls) {
    if (name === '__dict__') return R.incref(R.materializeDict(o));
    if (name === '__class__') return R.incref(cls.id);
    const ca = R.lookupClassAttr(cls, name);
    if (ca && h.typeOf(ca) === T.property) return bindClassAttr(R, ca, o, cls);
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
        return O.call(R, ga, [o, k], null);
      } finally {
        R.decref(k);
      }
    }
    throw R.err('AttributeError', `'${cls.name}' object has no attribute '${name}'`);
  }
  if (t === T.module) {
    const p = R.P[o];
    const v = p.attrs.get(name);
    if (v === undefined) throw R.err('AttributeError', `module '${p.name}' has no attribute '${name}'`);
    if (typeof v === 'function') return v();
    return R.incref(v);
  }
  if (t === T.type) {
    const c = R.P[o] as ClassInfo;
    if (name === '__name__') return R.newStr(c.name);
    if (name === '__mro__') return R.newTuple(c.mro.map((m) => R.incref(m.id)));
    if (name === '__bases__') return R.newTuple(c.base ? [R.incref(c.base.id)] : []);
    const v = R.lookupClassAttr(c, name);
    if (v) {
      if (h.typeOf(v) === T.staticmethod) return R.incref(h.getRef(v, 0));
      if (h.typeOf(v) === T.classmethod) return boundMethod(R, h.getRef(v, 0), o);
      return R.incref(v);
    }
    const bm = c.builtin ? R.builtinClassMethods.get(c.builtin)?.get(name) : undefined;
    if (bm) return R.incref(bm);
    throw R.err('AttributeError', `type object '${c.name}' has no attribute '${name}'`);
  }
  if (t === T.function) {
    const p = R.P[o] as FuncPayload;
    if (name === '__name__') return R.newStr(p.name);
    if (name === '__qualname__') return R.newStr(p.code.qualname);
  }
  if (t === T.weakref && name === '__callback__') return R.incref(h.getRef(o, 0) || R.NONE);
  if (t === T.generator && (name === '__name__')) return R.newStr(R.P[o].name);
  if (name === '__class__') return R.incref(R.classOf(o).id);
  const ms = methodsOf(R, t);
  const fn = ms?.get(name);
  if (fn) return boundBuiltin(R, o, name, fn);
  const attrs = R.builtinAttrs.get(t);
  const a = attrs?.get(name);
  if (a) return a(o);
  throw R.err('AttributeError', `'${R.typeName(o)}' object has no attribute '${name}'`);
}

/** The method of a builtin type (list.append, dict.get…), for call-site caches. */
export function builtinMethodOf(R: Runtime, t: number, name: string): MethodFn | undefined {
  if (t === R.T.module || t === R.T.type || t === R.T.super) return undefined;
  return methodsOf(R, t)?.get(name);
}

/** LOAD_METHOD + CALL: no bound method object for a plain method call. */
export function callMethod(R: Runtime, o: Id, name: string, args: Id[], kw: Kw): Id {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(o);
  const cls = R.isUserInstance(o);
  if (cls) {
    if (!R.getInstanceAttr(o, name)) {
      const ca = R.lookupClassAttr(cls, name);
      if (ca && h.typeOf(ca) === T.function) return O.callPython(R, ca, args, kw, o);
    }
  } else if (t === T.super) {
    const start = R.P[h.getRef(o, 0)] as ClassInfo;
    const self = h.getRef(o, 1);
    const selfCls = R.classOf(self);
    const mro = selfCls.mro;
    const i = mro.indexOf(start);
    for (const c of mro.slice(i + 1)) {
      const slot = c.attrSlot.get(name);
      if (slot !== undefined) {
        const fn = h.getRef(c.id, slot);
        if (h.typeOf(fn) === T.function) {
          // 3.11 has no LOAD_METHOD shortcut through super: the method is bound first.
          const bm = boundMethod(R, fn, self);
          try {
            return O.callPython(R, fn, args, kw, self);
          } finally {
            R.decref(bm);
          }
        }
        return O.call(R, fn, args, kw);
      }
      if (c.builtin === 'object' && name === '__init__') return R.none();
      if (c.isException && c.builtin && name === '__init__') {
        const tup = R.newTuple(args.map((a) => R.incref(a)));
        R.setAttr(self, 'args', tup);
        R.decref(tup);
        return R.none();
      }
    }
    throw R.err('AttributeError', `'super' object has no attribute '${name}'`);
  } else if (t !== T.module && t !== T.type) {
    const fn = methodsOf(R, t)?.get(name);
    if (fn) return fn(o, args, kw);
  } else if (t === T.module) {
    const v = R.P[o].attrs.get(name);
    if (v !== undefined && typeof v !== 'function' && h.typeOf(v) === T.builtin) return R.P[v].fn(args, kw);
  }
  const m = getAttr(R, o, name);
  try {
    return O.call(R, m, args, kw);
  } finally {
    R.decref(m);
  }
}

/** super(): allocates a super object bound to the defining class and the first argument. */
export function superLookup(R: Runtime, f: Frame, code: CodeInfo, selfIdx: number): Id {
  const holder = (code as CodeInfo & { classHolder?: { cls: ClassInfo | null } }).classHolder;
  if (!holder?.cls) throw R.err('RuntimeError', 'super(): __class__ cell not found');
  const self = f.fast[selfIdx] || (code.cellOfLocal.has(selfIdx) ? R.heap.getRef(f.cells[code.cellOfLocal.get(selfIdx)!], 0) : 0);
  if (!self) throw R.err('RuntimeError', 'super(): no arguments');
  const s = R.alloc(R.T.super, 48);
  R.heap.appendRef(s, holder.cls.id);
  R.heap.appendRef(s, self);
  return s;
}


// ------------------------------------------------------------------ classes

function makeClassInfo(id: Id, name: string, base: ClassInfo | null, engineType: number, builtin: string | null): ClassInfo {
  const info: ClassInfo = {
    id, name, base, mro: [], attrSlot: new Map(), engineType, builtin,
    sharedKeys: new Map(), slots: null, slotsWeakref: false, hasDel: false, isException: !!base?.isException || name === 'BaseException',
    managedDict: true, keysUsable: 29, init: 0, initVersion: -1,
  };
  info.mro = [info, ...(base ? base.mro : [])];
  return info;
}

/** Builtin classes exist before the workload (they are part of the baseline heap). */
function defineBuiltinClass(R: Runtime, name: string, base: ClassInfo | null, engineType: number, key = name): ClassInfo {
  const id = R.seen(R.heap.alloc(R.T.type, R.sz.classObject, 0));
  R.heap.appendRef(id, base ? base.id : NULL);
  const info = makeClassInfo(id, name, base, engineType, key);
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
    h.resize(nsDict, S.dictSize(S.dictLog2Presized(bf.ns.size), true));
    R.line = code.firstLine;
    const typeArgs = R.newTuple([R.newStr(name), basesTuple ? R.incref(basesTuple) : R.incref(R.EMPTY_TUPLE), R.incref(nsDict)]);
    try {
      cls = R.alloc(R.T.type, R.sz.classObject);
      const slotsId = bf.ns.get('__slots__');
      let slots: string[] | null = null;
      if (slotsId !== undefined) {
        slots = R.isStr(slotsId) ? [R.P[slotsId] as string] : O.toArray(R, slotsId).map((x) => {
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
      const info = makeClassInfo(cls, name, base, engineType, null);
      info.isException = base.isException;
      info.hasDel = hasDel;
      info.managedDict = managed && (!inherited || inherited.managedDict);
      if (slots && !slots.includes('__dict__')) info.slots = [...(inherited?.slots ?? []), ...slots.filter((s) => s !== '__weakref__')];
      else if (inherited?.slots && !managed) info.slots = inherited.slots;
      info.slotsWeakref = info.slots !== null && (!!slots?.includes('__weakref__') || !!inherited?.slotsWeakref);
      if (inherited && !inherited.slots) info.sharedKeys = new Map(inherited.sharedKeys);
      R.P[cls] = info;
      R.classOfType[engineType] = info;
      h.appendRef(cls, base.id);
      // type's own dict (a copy of the namespace), __mro__, __bases__
      // The type's dict holds the namespace plus __dict__/__weakref__ (or the slot members)
      // and __doc__; its contents stay in the class object's referents.
      const clsDict = R.newDict();
      // An exception subclass keeps BaseException's dict pointer: type_new adds no __dict__
      // (no managed dict, no cached shared keys), only __weakref__ when the base lacks it.
      const excWeakref = base.isException ? (base.builtin ? 1 : 0) : 0;
      const nKeys = bf.ns.size + (base.isException ? excWeakref : managed ? 2 : slots ? slots.length : 0) + 1;
      const dictLog2 = S.dictLog2Presized(nKeys);
      h.resize(clsDict, S.dictSize(dictLog2, true));
      h.appendRef(cls, clsDict);
      R.decref(clsDict);
      // Side allocations of a heap type that tracemalloc sees but getsizeof does not (the
      // instances' shared keys, name strings): 246 B measured on 3.11.7 for a simple class.
      if (managed && !base.isException && R.profile === '3.11') h.setExtraBytes(cls, 246);
      // type_sizeof counts ht_cached_keys (768 B), which only a type with a managed dict has.
      if (R.profile === '3.11' && (info.slots !== null || base.isException)) h.resize(cls, R.sz.classObject - 768);
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

function instantiate(R: Runtime, clsId: Id, args: Id[], kw: Kw): Id {
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
        const r = O.callPython(R, init, args, kw, obj);
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

// ------------------------------------------------------------------ constructors of builtin types


/** Argument Clinic parsers (3.11) build their tuple of keyword names lazily, on the first call
 * that passes keywords; the tuple then lives as long as the interpreter. */
function clinicKeywords(R: Runtime, parser: string, names: string[], kw: Kw): void {
  if (!kw || kw.size === 0 || R.clinicParsersReady.has(parser)) return;
  R.clinicParsersReady.add(parser);
  R.clinicKeywordTuples.push(R.newTuple(names.map((n) => R.intern(n))));
}

/** A call that CPython makes through a tuple of the positional arguments (tp_call without
 * vectorcall, METH_VARARGS): the tuple lives for the duration of the call. */
function withArgsTuple(R: Runtime, args: Id[], body: () => Id): Id {
  const argsTuple = R.newTupleOf(args);
  try {
    return body();
  } finally {
    R.decref(argsTuple);
  }
}

function newRange(R: Runtime, start: number, stop: number, step: number): Id {
  if (step === 0) throw R.err('ValueError', 'range() arg 3 must not be zero');
  const r = R.alloc(R.T.range, R.sz.range);
  R.P[r] = { start, stop, step };
  return r;
}

function toInt(R: Runtime, v: Id, base?: number): Id {
  const T = R.T;
  const t = R.heap.typeOf(v);
  if (t === T.int) return R.incref(v);
  if (t === T.bool) return R.newInt(R.P[v]);
  if (t === T.float) {
    const x = R.P[v] as number;
    if (!Number.isFinite(x)) throw R.err('OverflowError', 'cannot convert float infinity to integer');
    return R.newInt(Math.trunc(x));
  }
  if (t === T.str) {
    const s = (R.P[v] as string).trim().replace(/_/g, '');
    const n = base ? parseInt(s, base) : /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
    if (Number.isNaN(n)) throw R.err('ValueError', `invalid literal for int() with base ${base ?? 10}: ${O.repr(R, v)}`);
    return R.newInt(n);
  }
  throw R.err('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${R.typeName(v)}'`);
}

function sortKeyed(R: Runtime, items: Id[], key: Id, reverse: boolean): Id[] {
  let keys: Id[] | null = null;
  if (key && key !== R.NONE) keys = items.map((x) => O.call(R, key, [x], null));
  const idx = items.map((_, i) => i);
  let error: unknown = null;
  idx.sort((a, b) => {
    if (error) return 0;
    try {
      const x = keys ? keys[a] : items[a];
      const y = keys ? keys[b] : items[b];
      const c = O.order(R, x, y);
      return reverse ? -c : c;
    } catch (e) {
      error = e;
      return 0;
    }
  });
  if (keys) for (const k of keys) R.decref(k);
  if (error) throw error;
  return idx.map((i) => items[i]);
}

function minmax(R: Runtime, name: string, args: Id[], kw: Kw, sign: number): Id {
  const key = kwGet(kw, 'key');
  const dflt = kwGet(kw, 'default');
  const items = args.length === 1 ? O.toArray(R, args[0]) : args.map((a) => R.incref(a));
  if (items.length === 0) {
    if (dflt) return R.incref(dflt);
    throw R.err('ValueError', `${name}() arg is an empty sequence`);
  }
  let best = items[0];
  let bestKey = key && key !== R.NONE ? O.call(R, key, [best], null) : 0;
  try {
    for (let i = 1; i < items.length; i++) {
      const k = key && key !== R.NONE ? O.call(R, key, [items[i]], null) : 0;
      const c = O.order(R, k || items[i], bestKey || best);
      if (c * sign > 0) {
        best = items[i];
        if (bestKey) R.decref(bestKey);
        bestKey = k;
      } else if (k) R.decref(k);
    }
  } finally {
    if (bestKey) R.decref(bestKey);
  }
  R.incref(best);
  for (const x of items) R.decref(x);
  return best;
}

// ------------------------------------------------------------------ iterator objects

function makeIterObj(R: Runtime, type: number, size: number, refs: Id[], next: () => Id, p: Partial<IterPayload> = {}): Id {
  const it = R.alloc(type, size);
  for (const r of refs) R.heap.appendRef(it, r);
  R.P[it] = { index: 0, next, ...p };
  return it;
}

function enumerateObj(R: Runtime, src: Id, start: number): Id {
  const inner = O.getIter(R, src);
  let i = start;
  const payload: IterPayload = { index: 0 };
  const it = R.alloc(R.T.enumerate, R.sz.enumerate);
  R.heap.appendRef(it, inner);
  R.decref(inner);
  // enum_new preallocates the (index, item) result tuple it recycles.
  O.attachResultTuple(R, it, payload, 2);
  payload.next = () => {
    const x = O.iterNext(R, R.heap.getRef(it, 0));
    if (!x) return 0;
    const n = R.newInt(i++);
    const r = O.recycledPair(R, it, payload, n, x);
    R.decref(n);
    R.decref(x);
    return r;
  };
  R.P[it] = payload;
  return it;
}

/** zip has no vectorcall in 3.11: type_call packs the arguments into a tuple, then zip_new
 * builds the tuple of iterators (ittuple), the recycled result tuple and the zip object. */
function zipObj(R: Runtime, srcs: Id[]): Id {
  const h = R.heap;
  const argsTuple = R.newTupleOf(srcs);
  try {
    const n = srcs.length;
    const iters = R.newTuple(srcs.map((s) => O.getIter(R, s)));
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
        const x = O.iterNext(R, h.getRef(ittuple, i));
        if (!x) {
          for (const v of vals) R.decref(v);
          return 0;
        }
        vals.push(x);
      }
      const res = O.reusableResult(R, it, payload);
      if (res) {
        for (let i = 0; i < n; i++) {
          h.setRef(res, i, vals[i]);
          R.decref(vals[i]);
        }
        return O.retrackResult(R, res);
      }
      return R.newTuple(vals);
    };
    R.P[it] = payload;
    return it;
  } finally {
    R.decref(argsTuple);
  }
}

// ------------------------------------------------------------------ dict views

function dictView(R: Runtime, d: Id, mode: number): Id {
  const v = R.alloc(R.T.dictview, R.sz.dictView);
  R.heap.appendRef(v, d);
  R.P[v] = { mode };
  return v;
}

// ------------------------------------------------------------------ weak references

function wvdSet(R: Runtime, o: Id, k: Id, v: Id): void {
  const inner = R.heap.getRef(o, 0);
  // KeyedRef with a callback removing the entry when the value dies.
  const cb = R.alloc(R.T.builtin, 72);
  R.heap.appendRef(cb, inner);
  R.heap.appendRef(cb, k);
  R.P[cb] = {
    kind: 'builtin', name: 'remove', fn: () => {
      const key = R.heap.getRef(cb, 1);
      const d = R.heap.getRef(cb, 0);
      if (key && d && R.dictLookup(d, key)) R.dictDel(d, key);
      return R.none();
    },
  };
  const w = R.seen(R.heap.newWeakref(R.T.weakref, v, cb, R.sz.weakref, R.line));
  R.decref(cb);
  R.dictSet(inner, k, w);
  R.decref(w);
}

// ------------------------------------------------------------------ modules

function makeModule(R: Runtime, name: string, attrs: Map<string, Id | (() => Id)>): Id {
  const m = R.seen(R.heap.alloc(R.T.module, R.sz.module, 0));
  R.P[m] = { name, attrs };
  return m;
}

function builtinFn(R: Runtime, name: string, fn: BuiltinFn): Id {
  const id = R.seen(R.heap.alloc(R.T.builtin, R.sz.builtinMethod, 0));
  R.P[id] = { kind: 'builtin', name, fn };
  return id;
}

/**
 * GC objects a first import leaves alive in CPython 3.11.7 (`python -S`, after the fidelity
 * driver's own imports): weakref pulls in weakref.py and _weakrefset (classes, functions,
 * dicts). gc, sys, time and tracemalloc are already loaded at that point.
 */
interface ImportCost {
  /** Objects the import leaves alive (module contents): tracked, and untracked (atomic dicts, tuples). */
  tracked: number;
  untracked: number;
  /** Cyclic garbage the import leaves for the collector. */
  garbage: number;
  /** Bytes the kept objects hold. */
  bytes: number;
  /** Objects it frees into the freelists (sys._debugmallocstats right after the import). */
  freedDicts: number;
  freedLists: number;
  freedTuples: Record<number, number>;
}

/**
 * What a first import costs in CPython 3.11.7 `python -S` (measured with gc.get_count(),
 * gc.get_objects() and sys._debugmallocstats()). gc, sys and time are built in; weakref is
 * measured after the fidelity driver's imports (which include tracemalloc), tracemalloc in a
 * fresh interpreter.
 */
const IMPORT_COST: Record<string, ImportCost> = {
  weakref: { tracked: 392, untracked: 0, garbage: 0, bytes: 126920, freedDicts: 4, freedLists: 1, freedTuples: { 1: 2, 2: 29, 3: 3, 4: 2, 5: 2, 7: 1, 8: 2, 9: 1, 12: 1, 13: 1, 16: 1, 18: 1 } },
  tracemalloc: { tracked: 2850, untracked: 2334, garbage: 152, bytes: 2850 * 120 + 2334 * 80, freedDicts: 4, freedLists: 11, freedTuples: { 1: 4, 2: 16, 3: 4, 4: 5, 5: 1, 6: 1, 8: 4, 9: 2, 10: 3, 11: 3, 12: 3, 13: 4, 14: 2, 15: 1, 17: 1, 18: 1 } },
};

/** Modules the fidelity driver has already imported before the workload. */
export function markImported(R: Runtime, names: string[]): void {
  for (const n of names) R.importedOnce.add(n);
}

function payImportCost(R: Runtime, m: Id, cost: ImportCost): void {
  const kept = cost.tracked + cost.untracked;
  const each = Math.round(cost.bytes / Math.max(1, kept));
  for (let i = 0; i < kept; i++) {
    R.heap.appendRef(m, R.seen(R.heap.alloc(R.T.internal, each, SITE_INTERNAL, { track: i < cost.tracked })));
    R.decref(R.heap.getRef(m, R.heap.refLen(m) - 1));
  }
  for (let i = 0; i < cost.garbage; i++) {
    const g = R.seen(R.heap.alloc(R.T.internal, 64, SITE_INTERNAL));
    R.heap.appendRef(g, g);
    R.decref(g);
  }
  const transient: Id[] = [];
  for (let i = 0; i < cost.freedDicts; i++) transient.push(R.newDict(0, false));
  for (let i = 0; i < cost.freedLists; i++) transient.push(R.alloc(R.T.list, 56, { freelist: false }));
  for (const [n, k] of Object.entries(cost.freedTuples)) {
    for (let i = 0; i < k; i++) {
      const t = R.alloc(R.T.tuple, S.tupleSize(Number(n)), { freelist: false, nitems: Number(n) });
      for (let j = 0; j < Number(n); j++) R.heap.appendRef(t, R.NONE);
      transient.push(t);
    }
  }
  for (const t of transient) R.decref(t);
}

export function importModule(R: Runtime, name: string, at: SyntaxNode, c: Compiler): Id {
  const m = R.modules.get(name);
  const cost = IMPORT_COST[name];
  if (m !== undefined && cost && !R.importedOnce.has(name)) {
    R.importedOnce.add(name);
    payImportCost(R, m, cost);
  }
  if (m === undefined) throw new PyErr(R.makeException(R.builtinClasses.get('ModuleNotFoundError')!, [R.newStr(`not supported yet: module '${name}' at ${c.filename}:${c.line(at)}`)]));
  return R.incref(m);
}

function gcModule(R: Runtime): Id {
  const h = R.heap;
  const gc = h.gc;
  const a = new Map<string, Id | (() => Id)>();
  const fn = (name: string, f: BuiltinFn) => a.set(name, builtinFn(R, name, f));
  const none = () => R.none();
  fn('collect', (args, kw) => {
    const g = args[0] ?? kwGet(kw, 'generation');
    const gen = g ? intArg(R, g) : 2;
    if (gen < 0 || gen > 2) throw R.err('ValueError', 'invalid generation');
    R.line = R.frame?.line ?? R.line;
    return R.newInt(gc.collect(gen));
  });
  fn('enable', () => (gc.enable(), none()));
  fn('disable', () => (gc.disable(), none()));
  fn('isenabled', () => R.bool(gc.isEnabled()));
  fn('get_count', () => R.newTuple(gc.getCount().map((x: number) => R.newInt(x))));
  fn('get_threshold', () => R.newTuple(gc.getThreshold().map((x: number) => R.newInt(x))));
  fn('set_threshold', (args) => {
    const t = args.map((x) => intArg(R, x));
    gc.setThreshold(t[0], t[1], t[2]);
    return none();
  });
  fn('get_stats', () => {
    // gc_get_stats_impl: PyList_New(0), then PyList_Append of one Py_BuildValue dict per generation.
    const stats = gc.getStats();
    const result = R.newList([], true);
    for (const st of stats) {
      const d = R.newDict(3, false);
      for (const [k, v] of [['collections', st.collections], ['collected', st.collected], ['uncollectable', st.uncollectable]] as const) {
        const key = R.intern(k);
        const val = R.newInt(v);
        R.dictSet(d, key, val);
        R.decref(key);
        R.decref(val);
      }
      R.listAppend(result, d);
      R.decref(d);
    }
    return result;
  });
  fn('freeze', () => (gc.freeze(), none()));
  fn('unfreeze', () => (gc.unfreeze(), none()));
  fn('get_freeze_count', () => R.newInt(gc.getFreezeCount()));
  fn('is_tracked', (args) => R.bool(h.isTracked(args[0])));
  fn('is_finalized', (args) => R.bool(gc.isFinalized(args[0])));
  fn('get_objects', (args, kw) => {
    const g = args[0] ?? kwGet(kw, 'generation');
    const ids = g && g !== R.NONE ? gc.getObjects(intArg(R, g)) : gc.getObjects();
    // PyList_New(0) then one append per object (the baseline's objects included).
    const l = R.newList([], true);
    for (const id of ids) R.listAppend(l, id);
    return l;
  });
  fn('get_referrers', (args) => {
    const ids = gc.getReferrers(...args);
    return R.newList(ids.map((i: number) => R.incref(i)), false);
  });
  fn('get_referents', (args) => {
    const ids = gc.getReferents(...args);
    return R.newList(ids.map((i: number) => R.incref(i)), false);
  });
  fn('set_debug', (args) => (gc.setDebug(intArg(R, args[0])), none()));
  fn('get_debug', () => R.newInt(gc.getDebug()));
  a.set('garbage', R.gcGarbage);
  a.set('callbacks', R.gcCallbacks);
  for (const [k, v] of [['DEBUG_STATS', 1], ['DEBUG_COLLECTABLE', 2], ['DEBUG_UNCOLLECTABLE', 4], ['DEBUG_SAVEALL', 32], ['DEBUG_LEAK', 38]] as const) a.set(k, R.newInt(v));
  return makeModule(R, 'gc', a);
}

function sysModule(R: Runtime): Id {
  const a = new Map<string, Id | (() => Id)>();
  a.set('getrefcount', builtinFn(R, 'getrefcount', (args) => R.newInt(R.heap.refcount(args[0]))));
  a.set('getsizeof', builtinFn(R, 'getsizeof', (args) => R.newInt(R.heap.sizeOf(args[0]))));
  a.set('version', R.newStr(R.profile === '3.11' ? '3.11.7 (simulated)' : '3.13.0 (simulated)'));
  a.set('version_info', R.newTuple(R.profile === '3.11' ? [R.newInt(3), R.newInt(11), R.newInt(7)] : [R.newInt(3), R.newInt(13), R.newInt(0)]));
  a.set('maxsize', R.newInt(Number.MAX_SAFE_INTEGER));
  a.set('getrecursionlimit', builtinFn(R, 'getrecursionlimit', () => R.newInt(1000)));
  for (const stream of ['stdout', 'stderr'] as const) {
    const write = builtinFn(R, 'write', (args) => {
      const s = strOf(R, args[0]);
      R.write(s, stream);
      return R.newInt(s.length);
    });
    a.set(stream, makeModule(R, stream, new Map<string, Id | (() => Id)>([['write', write], ['flush', builtinFn(R, 'flush', () => R.none())]])));
  }
  return makeModule(R, 'sys', a);
}

function timeModule(R: Runtime): Id {
  const a = new Map<string, Id | (() => Id)>();
  const now = () => R.newFloat(simulatedNs(R) / 1e9);
  a.set('perf_counter', builtinFn(R, 'perf_counter', now));
  a.set('time', builtinFn(R, 'time', now));
  a.set('monotonic', builtinFn(R, 'monotonic', now));
  a.set('perf_counter_ns', builtinFn(R, 'perf_counter_ns', () => R.newInt(simulatedNs(R))));
  a.set('sleep', builtinFn(R, 'sleep', (args) => {
    R.sleptNs += (R.P[args[0]] as number) * 1e9;
    return R.none();
  }));
  return makeModule(R, 'time', a);
}

/** Simulated clock: ~35 ns per interpreter step and ~25 ns per allocation (CPython-like speeds). */
export function simulatedNs(R: Runtime): number {
  return Math.round(R.steps * 35 + R.heap.time * 25 + R.sleptNs);
}

function tracemallocModule(R: Runtime): Id {
  const a = new Map<string, Id | (() => Id)>();
  const h = R.heap;
  a.set('start', builtinFn(R, 'start', () => {
    if (!h.tracing) h.tracemallocStart();
    return R.none();
  }));
  a.set('stop', builtinFn(R, 'stop', () => {
    if (h.tracing) h.tracemallocStop();
    return R.none();
  }));
  a.set('is_tracing', builtinFn(R, 'is_tracing', () => R.bool(h.tracing)));
  a.set('get_traced_memory', builtinFn(R, 'get_traced_memory', () => {
    if (!h.tracing) return R.newTuple([R.newInt(0), R.newInt(0)]);
    return R.newTuple([R.newInt(h.tracedBytes), R.newInt(h.tracedPeak)]);
  }));
  a.set('reset_peak', builtinFn(R, 'reset_peak', () => {
    h.resetTracedPeak();
    return R.none();
  }));
  a.set('take_snapshot', builtinFn(R, 'take_snapshot', () => {
    if (!h.tracing) throw R.err('RuntimeError', 'the tracemalloc module must be tracing memory allocations to take a snapshot');
    // One trace per traced memory block: an object, plus its separate item array, keys
    // table or values array when it has one.
    const byLine = new Map<number, { size: number; count: number }>();
    const traces: [number, number][] = [];
    for (let id = 1; id <= R.maxId; id++) {
      if (!h.isAlive(id) || !h.isTraced(id)) continue;
      const line = h.site(id);
      const size = h.sizeOf(id) + h.extraBytes(id);
      const blocks = 1 + ((h.extraBytes(id) > 0 && R.isUserInstance(id)) || hasSeparateTable(R, id) ? 1 : 0);
      const e = byLine.get(line) ?? { size: 0, count: 0 };
      e.size += size;
      e.count += blocks;
      byLine.set(line, e);
      for (let b = 0; b < blocks; b++) traces.push([line, b === 0 && blocks === 2 ? size >> 1 : blocks === 2 ? size - (size >> 1) : size]);
    }
    // _tracemalloc._get_traces(): a list of (domain, size, traceback, nframe) tuples, with one
    // ((filename, lineno),) traceback tuple per distinct line; the Snapshot keeps them alive.
    // _get_traces() runs with tracing suspended: its own objects are not traced.
    h.tracing = false;
    const list = R.newList([], true);
    const tbs = new Map<number, Id>();
    for (const [line, size] of traces) {
      let tb = tbs.get(line);
      if (tb === undefined) {
        tb = R.newTuple([R.newTuple([R.intern(R.filename), R.newInt(line)])]);
        tbs.set(line, tb);
      }
      const t = R.newTuple([R.newInt(0), R.newInt(size), R.incref(tb), R.newInt(1)]);
      R.listAppend(list, t);
      R.decref(t);
    }
    for (const tb of tbs.values()) R.decref(tb);
    h.tracing = true;
    R.hooks.scriptSnapshot?.();
    const snap = R.alloc(R.T.snapshot, 56);
    R.heap.appendRef(snap, list);
    R.decref(list);
    R.P[snap] = byLine;
    return snap;
  }));
  return makeModule(R, 'tracemalloc', a);
}

function hasSeparateTable(R: Runtime, id: Id): boolean {
  const t = R.heap.typeOf(id);
  if (t === R.T.list) return (R.P[id] as number) > 0;
  if (t === R.T.dict) return (R.P[id] as DictPayload).log2 > 0;
  if (t === R.T.set) return (R.P[id] as SetPayload).table > 8;
  return false;
}

function statistic(R: Runtime, line: number, size: number, count: number, sizeDiff?: number, countDiff?: number): Id {
  const s = R.alloc(R.T.stat, 48);
  R.P[s] = { line, size, count, sizeDiff, countDiff };
  return s;
}

function weakrefModule(R: Runtime): Id {
  const a = new Map<string, Id | (() => Id)>();
  a.set('ref', R.builtinClasses.get('weakref.ref')!.id);
  a.set('WeakValueDictionary', R.builtinClasses.get('WeakValueDictionary')!.id);
  return makeModule(R, 'weakref', a);
}

// ------------------------------------------------------------------ methods of builtin types

function listMethods(R: Runtime): Map<string, MethodFn> {
  const h = () => R.heap;
  const m = new Map<string, MethodFn>();
  m.set('append', (self, args) => {
    R.listAppend(self, args[0]);
    return R.none();
  });
  m.set('extend', (self, args) => {
    O.listExtend(R, self, args[0]);
    return R.none();
  });
  m.set('pop', (self, args) => {
    const n = h().refLen(self);
    if (n === 0) throw R.err('IndexError', 'pop from empty list');
    let i = args.length ? intArg(R, args[0]) : n - 1;
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw R.err('IndexError', 'pop index out of range');
    const v = h().popRef(self, i);
    R.listSetLen(self, n - 1);
    return v;
  });
  m.set('insert', (self, args) => {
    const n = h().refLen(self);
    const i = normIndex(intArg(R, args[0]), n, true);
    R.listSetLen(self, n + 1);
    h().insertRef(self, i, args[1]);
    return R.none();
  });
  m.set('remove', (self, args) => {
    const n = h().refLen(self);
    for (let i = 0; i < n; i++) {
      if (O.eq(R, h().getRef(self, i), args[0])) {
        const v = h().popRef(self, i);
        R.listSetLen(self, n - 1);
        R.decref(v);
        return R.none();
      }
    }
    throw R.err('ValueError', 'list.remove(x): x not in list');
  });
  m.set('clear', (self) => {
    h().clearRefs(self);
    R.P[self] = 0;
    h().resize(self, S.listSize(0));
    return R.none();
  });
  m.set('index', (self, args) => {
    const n = h().refLen(self);
    for (let i = 0; i < n; i++) if (O.eq(R, h().getRef(self, i), args[0])) return R.newInt(i);
    throw R.err('ValueError', `${O.repr(R, args[0])} is not in list`);
  });
  m.set('count', (self, args) => {
    let c = 0;
    for (let i = 0; i < h().refLen(self); i++) if (O.eq(R, h().getRef(self, i), args[0])) c++;
    return R.newInt(c);
  });
  m.set('copy', (self) => {
    const items = O.toArray(R, self);
    return R.newList(items, true);
  });
  m.set('reverse', (self) => {
    const items = O.toArray(R, self);
    items.reverse();
    for (let i = 0; i < items.length; i++) {
      h().setRef(self, i, items[i]);
      R.decref(items[i]);
    }
    return R.none();
  });
  m.set('sort', (self, _args, kw) => {
    clinicKeywords(R, 'list.sort', ['key', 'reverse'], kw);
    const items = O.toArray(R, self);
    const rev = kwGet(kw, 'reverse');
    const sorted = sortKeyed(R, items, kwGet(kw, 'key'), rev ? O.truthy(R, rev) : false);
    for (let i = 0; i < sorted.length; i++) h().setRef(self, i, sorted[i]);
    for (const x of items) R.decref(x);
    return R.none();
  });
  return m;
}

function dictMethods(R: Runtime): Map<string, MethodFn> {
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
      else for (const pair of O.iterate(R, src)) {
        const [k, v] = O.toArray(R, pair);
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

function setMethods(R: Runtime): Map<string, MethodFn> {
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
    for (const a of args) O.setUpdate(R, self, a);
    return R.none();
  });
  m.set('union', (self, args) => args.reduce((acc, a) => {
    const r = O.binop(R, '|', acc, a);
    if (acc !== self) R.decref(acc);
    return r;
  }, self) === self ? O.binop(R, '|', self, self) : args.reduce((acc, a) => O.binop(R, '|', acc, a), self));
  m.set('intersection', (self, args) => O.binop(R, '&', self, args[0]));
  m.set('difference', (self, args) => O.binop(R, '-', self, args[0]));
  m.set('issubset', (self, args) => {
    const other = R.P[args[0]] as SetPayload;
    for (const k of (R.P[self] as SetPayload).map.keys()) if (!other.map.has(k)) return R.bool(false);
    return R.bool(true);
  });
  m.set('copy', (self) => {
    const s = R.newSet();
    O.setUpdate(R, s, self);
    return s;
  });
  return m;
}

function strMethods(R: Runtime): Map<string, MethodFn> {
  const m = new Map<string, MethodFn>();
  const s = (id: Id) => R.P[id] as string;
  m.set('upper', (self) => R.newStr(s(self).toUpperCase()));
  m.set('lower', (self) => R.newStr(s(self).toLowerCase()));
  // unicode_result_unchanged: an exact str comes back as itself when nothing changes.
  const same = (self: Id, text: string): Id => (text === s(self) ? R.incref(self) : R.newStr(text));
  m.set('strip', (self, args) => same(self, args[0] && args[0] !== R.NONE ? stripChars(s(self), s(args[0]), 3) : s(self).trim()));
  m.set('lstrip', (self, args) => same(self, args[0] && args[0] !== R.NONE ? stripChars(s(self), s(args[0]), 1) : s(self).trimStart()));
  m.set('rstrip', (self, args) => same(self, args[0] && args[0] !== R.NONE ? stripChars(s(self), s(args[0]), 2) : s(self).trimEnd()));
  m.set('split', (self, args, kw) => (clinicKeywords(R, 'str.split', ['sep', 'maxsplit'], kw), splitToList(R, self, args[0] ?? kwGet(kw, 'sep'), args[1] ?? kwGet(kw, 'maxsplit'), false)));
  m.set('join', (self, args) => {
    // PyUnicode_Join: PySequence_Fast (a list built from any other iterable), and a sequence of
    // one exact str returns that str.
    const seq = O.sequenceFast(R, args[0]);
    try {
      const n = R.heap.refLen(seq);
      if (n === 1 && R.heap.typeOf(R.heap.getRef(seq, 0)) === R.T.str) return R.incref(R.heap.getRef(seq, 0));
      return R.newStr(R.heap.refsOf(seq).map((x) => strOf(R, x)).join(s(self)));
    } finally {
      R.decref(seq);
    }
  });
  m.set('replace', (self, args) => same(self, s(self).split(s(args[0])).join(s(args[1]))));
  m.set('count', (self, args) => R.newInt(s(self).split(s(args[0])).length - 1));
  m.set('format', (self, args, kw) => {
    let auto = 0;
    const out = s(self).replace(/\{\{|\}\}|\{([^{}:!]*)(?:!([rs]))?(?::([^{}]*))?\}/g, (all, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
      if (all === '{{') return '{';
      if (all === '}}') return '}';
      let v: Id;
      if (field === '' || field === undefined) v = args[auto++];
      else if (/^\d+$/.test(field)) v = args[Number(field)];
      else v = kw?.get(field) ?? 0;
      if (!v) throw R.err('IndexError', 'Replacement index out of range');
      if (conv === 'r') return O.repr(R, v);
      return spec ? O.formatSpec(R, v, spec) : O.str(R, v);
    });
    return R.newStr(out);
  });
  m.set('isdigit', (self) => R.bool(/^\d+$/.test(s(self))));
  m.set('title', (self) => R.newStr(s(self).replace(/\b\w/g, (c) => c.toUpperCase())));
  m.set('encode', (self) => R.newBytes(unescape(encodeURIComponent(s(self)))));
  m.set('zfill', (self, args) => R.newStr(s(self).padStart(intArg(R, args[0]), '0')));
  m.set('ljust', (self, args) => R.newStr(s(self).padEnd(intArg(R, args[0]), args[1] ? s(args[1]) : ' ')));
  m.set('rjust', (self, args) => R.newStr(s(self).padStart(intArg(R, args[0]), args[1] ? s(args[1]) : ' ')));
  m.set('rsplit', (self, args, kw) => (clinicKeywords(R, 'str.rsplit', ['sep', 'maxsplit'], kw), splitToList(R, self, args[0] ?? kwGet(kw, 'sep'), args[1] ?? kwGet(kw, 'maxsplit'), true)));
  m.set('splitlines', (self) => {
    const parts = s(self).split(/\r\n|\n|\r/);
    if (parts.length && parts[parts.length - 1] === '') parts.pop();
    return R.newList(parts.map((p) => R.newStr(p)), true);
  });
  const partition = (self: Id, sepId: Id, fromRight: boolean): Id => {
    const text = s(self);
    const sep = s(sepId);
    const at = fromRight ? text.lastIndexOf(sep) : text.indexOf(sep);
    if (at < 0) {
      const empty = R.newStr('');
      return R.newTuple(fromRight ? [empty, R.newStr(''), R.incref(self)] : [R.incref(self), empty, R.newStr('')]);
    }
    return R.newTuple([R.newStr(text.slice(0, at)), R.incref(sepId), R.newStr(text.slice(at + sep.length))]);
  };
  m.set('partition', (self, args) => partition(self, args[0], false));
  m.set('rpartition', (self, args) => partition(self, args[0], true));
  const position = (self: Id, args: Id[], fromRight: boolean): number => {
    const text = s(self);
    const start = args[1] && args[1] !== R.NONE ? intArg(R, args[1]) : 0;
    const end = args[2] && args[2] !== R.NONE ? intArg(R, args[2]) : text.length;
    const lo = start < 0 ? Math.max(0, text.length + start) : start;
    const hi = end < 0 ? Math.max(0, text.length + end) : Math.min(end, text.length);
    const part = text.slice(lo, hi);
    const at = fromRight ? part.lastIndexOf(s(args[0])) : part.indexOf(s(args[0]));
    return at < 0 ? -1 : at + lo;
  };
  m.set('find', (self, args) => R.newInt(position(self, args, false)));
  m.set('rfind', (self, args) => R.newInt(position(self, args, true)));
  const indexOf = (self: Id, args: Id[], fromRight: boolean): Id => {
    const at = position(self, args, fromRight);
    if (at < 0) throw R.err('ValueError', 'substring not found');
    return R.newInt(at);
  };
  m.set('index', (self, args) => indexOf(self, args, false));
  m.set('rindex', (self, args) => indexOf(self, args, true));
  const affix = (self: Id, args: Id[], atEnd: boolean): Id => {
    const text = s(self);
    const probe = args[0];
    const options = R.heap.typeOf(probe) === R.T.tuple ? R.heap.refsOf(probe).map(s) : [s(probe)];
    return R.bool(options.some((o) => (atEnd ? text.endsWith(o) : text.startsWith(o))));
  };
  m.set('startswith', (self, args) => affix(self, args, false));
  m.set('endswith', (self, args) => affix(self, args, true));
  const predicate = (name: string, re: RegExp) => m.set(name, (self) => R.bool(re.test(s(self))));
  predicate('isspace', /^\s+$/);
  predicate('isalnum', /^[\p{L}\p{N}]+$/u);
  predicate('isalpha', /^\p{L}+$/u);
  predicate('isdecimal', /^\p{Nd}+$/u);
  predicate('isnumeric', /^\p{N}+$/u);
  predicate('isidentifier', /^[\p{L}_][\p{L}\p{N}_]*$/u);
  m.set('islower', (self) => R.bool(/\p{Ll}/u.test(s(self)) && !/\p{Lu}/u.test(s(self))));
  m.set('isupper', (self) => R.bool(/\p{Lu}/u.test(s(self)) && !/\p{Ll}/u.test(s(self))));
  m.set('capitalize', (self) => R.newStr(s(self).charAt(0).toUpperCase() + s(self).slice(1).toLowerCase()));
  m.set('swapcase', (self) => R.newStr([...s(self)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')));
  m.set('casefold', (self) => R.newStr(s(self).toLowerCase()));
  m.set('center', (self, args) => {
    const text = s(self);
    const width = intArg(R, args[0]);
    const fill = args[1] ? s(args[1]) : ' ';
    if (width <= text.length) return R.incref(self);
    const total = width - text.length;
    const left = Math.floor(total / 2) + (total & width & 1);
    return R.newStr(fill.repeat(left) + text + fill.repeat(total - left));
  });
  m.set('removeprefix', (self, args) => (s(self).startsWith(s(args[0])) && s(args[0]) ? R.newStr(s(self).slice(s(args[0]).length)) : R.incref(self)));
  m.set('removesuffix', (self, args) => (s(self).endsWith(s(args[0])) && s(args[0]) ? R.newStr(s(self).slice(0, s(self).length - s(args[0]).length)) : R.incref(self)));
  return m;
}

/** str.split / str.rsplit (stringlib/split.h): the list is PyList_New(PREALLOC_SIZE(maxsplit))
 * (at most 12 slots, from the freelist) and keeps its preallocation; more parts append. When
 * nothing splits, the exact str itself is the only item. */
function splitToList(R: Runtime, self: Id, sepArg: Id | undefined, maxArg: Id | undefined, fromRight: boolean): Id {
  const text = R.P[self] as string;
  const sep = sepArg && sepArg !== R.NONE ? (R.P[sepArg] as string) : null;
  if (sep === '') throw R.err('ValueError', 'empty separator');
  const max = maxArg ? intArg(R, maxArg) : -1;
  const limit = max < 0 ? Infinity : max;
  let parts: string[];
  if (sep === null) {
    const words = text.split(/\s+/).filter((x) => x !== '');
    if (words.length > limit + 1) {
      if (fromRight) {
        const tail = words.slice(words.length - limit);
        const headText = text.trimEnd();
        let cut = headText.length;
        for (let i = 0; i < limit; i++) cut = headText.slice(0, cut).trimEnd().lastIndexOf(tail[tail.length - 1 - i]);
        parts = [headText.slice(0, cut).trimEnd(), ...tail];
      } else {
        let rest = text.trimStart();
        parts = [];
        for (let i = 0; i < limit; i++) {
          const m = /\s+/.exec(rest)!;
          parts.push(rest.slice(0, m.index));
          rest = rest.slice(m.index + m[0].length);
        }
        parts.push(rest);
      }
    } else parts = words;
  } else {
    parts = text.split(sep);
    if (parts.length > limit + 1) {
      parts = fromRight
        ? [parts.slice(0, parts.length - limit).join(sep), ...parts.slice(parts.length - limit)]
        : [...parts.slice(0, limit), parts.slice(limit).join(sep)];
    }
  }
  const prealloc = max < 0 || max >= 12 ? 12 : max + 1;
  const l = R.alloc(R.T.list, S.listSize(prealloc), { freelist: true });
  R.P[l] = prealloc;
  const unsplit = parts.length === 1 && parts[0] === text;
  for (const p of parts) {
    const item = unsplit ? R.incref(self) : R.newStr(p);
    if (R.heap.refLen(l) < prealloc) R.heap.appendRef(l, item);
    else R.listAppend(l, item);
    R.decref(item);
  }
  return l;
}

function stripChars(s: string, chars: string, mode: number): string {
  let a = 0;
  let b = s.length;
  if (mode & 1) while (a < b && chars.includes(s[a])) a++;
  if (mode & 2) while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function tupleMethods(R: Runtime): Map<string, MethodFn> {
  const m = new Map<string, MethodFn>();
  m.set('index', (self, args) => {
    for (let i = 0; i < R.heap.refLen(self); i++) if (O.eq(R, R.heap.getRef(self, i), args[0])) return R.newInt(i);
    throw R.err('ValueError', 'tuple.index(x): x not in tuple');
  });
  m.set('count', (self, args) => {
    let c = 0;
    for (let i = 0; i < R.heap.refLen(self); i++) if (O.eq(R, R.heap.getRef(self, i), args[0])) c++;
    return R.newInt(c);
  });
  return m;
}

function generatorMethods(R: Runtime): Map<string, MethodFn> {
  const m = new Map<string, MethodFn>();
  m.set('send', (self, args) => {
    const v = O.genResume(R, self, args[0] === R.NONE ? 0 : R.incref(args[0]));
    if (!v) throw R.err('StopIteration');
    return v;
  });
  m.set('close', (self) => {
    const p = R.P[self];
    if (p?.it) {
      p.it.return(0);
      O.finishGen(R, p);
    }
    return R.none();
  });
  return m;
}

// ------------------------------------------------------------------ installation

export function installBuiltins(R: Runtime): void {
  const T = R.T;
  const h = R.heap;
  const obj = defineBuiltinClass(R, 'object', null, T.object);
  const b = (name: string, t: number) => defineBuiltinClass(R, name, obj, t);
  b('int', T.int);
  b('bool', T.bool);
  b('float', T.float);
  b('str', T.str);
  b('bytes', T.bytes);
  b('list', T.list);
  b('tuple', T.tuple);
  b('dict', T.dict);
  b('set', T.set);
  b('frozenset', T.frozenset);
  b('type', T.type);
  b('range', T.range);
  b('enumerate', T.enumerate);
  b('zip', T.zip);
  b('map', T.map);
  b('filter', T.filter);
  b('reversed', T.reversed);
  b('staticmethod', T.staticmethod);
  b('classmethod', T.classmethod);
  b('property', T.property);
  defineBuiltinClass(R, 'NoneType', obj, T.none).builtin = 'NoneType';
  R.builtins.delete('NoneType');
  defineBuiltinClass(R, 'function', obj, T.function);
  R.builtins.delete('function');
  defineBuiltinClass(R, 'generator', obj, T.generator);
  R.builtins.delete('generator');
  defineBuiltinClass(R, 'builtin_function_or_method', obj, T.builtin);
  R.classOfType[T.boundbuiltin] = R.classOfType[T.builtin];
  R.builtins.delete('builtin_function_or_method');
  defineBuiltinClass(R, 'module', obj, T.module);
  R.builtins.delete('module');
  defineBuiltinClass(R, 'method', obj, T.method);
  R.builtins.delete('method');
  defineBuiltinClass(R, 'ReferenceType', obj, T.weakref, 'weakref.ref');
  R.builtins.delete('ReferenceType');
  defineBuiltinClass(R, 'WeakValueDictionary', obj, T.wvdict, 'WeakValueDictionary');
  R.builtins.delete('WeakValueDictionary');
  defineBuiltinClass(R, 'Snapshot', obj, T.snapshot, 'Snapshot');
  R.builtins.delete('Snapshot');
  defineBuiltinClass(R, 'Statistic', obj, T.stat, 'Statistic');
  R.builtins.delete('Statistic');
  for (const [n, t] of [['list_iterator', T.listiter], ['tuple_iterator', T.tupleiter], ['dict_keyiterator', T.dictiter], ['dict_itemiterator', T.dictitemiter], ['set_iterator', T.setiter], ['str_ascii_iterator', T.striter], ['range_iterator', T.rangeiter], ['dict_items', T.dictview], ['traceback', T.traceback], ['frame', T.frame], ['cell', T.cell], ['slice', T.slice], ['super', T.super], ['getset_descriptor', T.descriptor]] as const) {
    defineBuiltinClass(R, n, obj, t);
    R.builtins.delete(n);
  }
  // exceptions
  const exc = (name: string, base: ClassInfo | null) => {
    const t = h.defineType({ name, gc: true, kind: 'instance' });
    const c = defineBuiltinClass(R, name, base ?? obj, t);
    c.isException = true;
    c.mro = [c, ...(base ?? obj).mro];
    return c;
  };
  const be = exc('BaseException', null);
  exc('KeyboardInterrupt', be);
  exc('SystemExit', be);
  exc('GeneratorExit', be);
  const e = exc('Exception', be);
  for (const n of ['ArithmeticError', 'LookupError', 'TypeError', 'ValueError', 'AttributeError', 'NameError', 'RuntimeError', 'AssertionError', 'ZeroDivisionError', 'StopIteration', 'ImportError', 'NotImplementedError', 'MemoryError', 'OverflowError', 'OSError', 'RecursionError', 'UnboundLocalError', 'IndexError', 'KeyError', 'ModuleNotFoundError', 'SystemError', 'ReferenceError']) {
    const parent = n === 'IndexError' || n === 'KeyError' ? R.builtinClasses.get('LookupError')! : n === 'ZeroDivisionError' || n === 'OverflowError' ? R.builtinClasses.get('ArithmeticError')! : n === 'RecursionError' || n === 'NotImplementedError' ? R.builtinClasses.get('RuntimeError')! : n === 'UnboundLocalError' ? R.builtinClasses.get('NameError')! : n === 'ModuleNotFoundError' ? R.builtinClasses.get('ImportError')! : e;
    if (!parent) throw new Error('exception order ' + n);
    exc(n, parent);
  }

  R.typeMethods.set(T.list, listMethods(R));
  R.typeMethods.set(T.dict, dictMethods(R));
  R.typeMethods.set(T.set, setMethods(R));
  R.typeMethods.set(T.str, strMethods(R));
  R.typeMethods.set(T.tuple, tupleMethods(R));
  R.typeMethods.set(T.generator, generatorMethods(R));
  const fsM = new Map(setMethods(R));
  for (const k of ['add', 'discard', 'remove', 'pop', 'clear', 'update']) fsM.delete(k);
  R.typeMethods.set(T.frozenset, fsM);
  R.typeMethods.set(T.wvdict, new Map<string, MethodFn>([
    ['get', (self, args) => {
      const w = R.dictLookup(R.heap.getRef(self, 0), args[0]);
      const t = w ? R.heap.weakrefTarget(w) : 0;
      return R.incref(t || args[1] || R.NONE);
    }],
    ['keys', (self) => dictView(R, R.heap.getRef(self, 0), 0)],
  ]));
  const snapM = new Map<string, MethodFn>();
  const statsOf = (byLine: Map<number, { size: number; count: number }>) => [...byLine.entries()].sort((a, b) => b[1].size - a[1].size);
  snapM.set('statistics', (self) => {
    const rows = statsOf(R.P[self]);
    return R.newList(rows.map(([line, e]) => statistic(R, line, e.size, e.count)), false);
  });
  snapM.set('compare_to', (self, args) => {
    const now: Map<number, { size: number; count: number }> = R.P[self];
    const old: Map<number, { size: number; count: number }> = R.P[args[0]];
    const lines = new Set([...now.keys(), ...old.keys()]);
    const rows = [...lines].map((l) => {
      const a = now.get(l) ?? { size: 0, count: 0 };
      const o = old.get(l) ?? { size: 0, count: 0 };
      return { l, a, d: a.size - o.size, dc: a.count - o.count };
    }).sort((x, y) => Math.abs(y.d) - Math.abs(x.d) || y.a.size - x.a.size);
    return R.newList(rows.map((r) => statistic(R, r.l, r.a.size, r.a.count, r.d, r.dc)), false);
  });
  R.typeMethods.set(T.snapshot, snapM);
  const statAttrs = new Map<string, (o: Id) => Id>([
    ['size', (o) => R.newInt(R.P[o].size)],
    ['count', (o) => R.newInt(R.P[o].count)],
    ['size_diff', (o) => R.newInt(R.P[o].sizeDiff ?? 0)],
    ['count_diff', (o) => R.newInt(R.P[o].countDiff ?? 0)],
    ['traceback', (o) => R.newStr(`${R.filename}:${R.P[o].line}`)],
  ]);
  R.builtinAttrs.set(T.stat, statAttrs);
  R.reprHooks.set(T.stat, statText);
  R.builtinAttrs.set(T.float, new Map([['real', (o: Id) => R.incref(o)]]));
  R.builtinAttrs.set(T.int, new Map([['real', (o: Id) => R.incref(o)]]));

  // constructors
  R.constructors.set('object', () => R.alloc(T.object, R.sz.object));
  // int and bytes have no vectorcall in 3.11 (type_call packs an argument tuple); min and max
  // are METH_VARARGS builtins (their arguments arrive as a tuple too).
  R.constructors.set('int', (args, kw) => {
    // type_call with keywords also packs them into a dict (_PyStack_AsDict).
    const kwDict = kw && kw.size ? R.newDict() : 0;
    try {
      clinicKeywords(R, 'int', ['', 'base'], kw);
      const baseArg = args[1] ?? kwGet(kw, 'base');
      return withArgsTuple(R, args, () => (args.length ? toInt(R, args[0], baseArg ? intArg(R, baseArg) : undefined) : R.newInt(0)));
    } finally {
      if (kwDict) R.decref(kwDict);
    }
  });
  R.constructors.set('float', (args) => {
    if (!args.length) return R.newFloat(0);
    const v = args[0];
    if (R.isStr(v)) {
      const x = Number((R.P[v] as string).trim());
      if (Number.isNaN(x) && !/nan/i.test(R.P[v])) throw R.err('ValueError', `could not convert string to float: ${O.repr(R, v)}`);
      return R.newFloat(x);
    }
    return R.newFloat(R.P[v] as number);
  });
  R.constructors.set('bool', (args) => R.bool(args.length ? O.truthy(R, args[0]) : false));
  R.constructors.set('str', (args) => {
    // str has no vectorcall in 3.11: the call goes through an argument tuple.
    const t = R.newTuple(args.map((a) => R.incref(a)));
    try {
      return args.length ? (R.isStr(args[0]) ? R.incref(args[0]) : R.newStr(O.str(R, args[0]))) : R.newStr('');
    } finally {
      R.decref(t);
    }
  });
  R.constructors.set('bytes', (args) => withArgsTuple(R, args, () => R.newBytes(args.length ? (R.isInt(args[0]) ? '\0'.repeat(intArg(R, args[0])) : R.isStr(args[0]) ? (R.P[args[0]] as string) : O.toArray(R, args[0]).map((x) => {
    const c = String.fromCharCode(R.P[x]);
    R.decref(x);
    return c;
  }).join('')) : '')));
  R.constructors.set('list', (args) => {
    // list(...) uses tp_alloc: never from the freelist. list___init__ preallocates len(x)
    // exactly when x has a length, which is what list_extend does into an empty list.
    const l = R.alloc(T.list, S.listSize(0), { freelist: false });
    R.P[l] = 0;
    if (args.length) {
      try {
        O.listExtend(R, l, args[0]);
      } catch (e) {
        R.decref(l);
        throw e;
      }
    }
    return l;
  });
  R.constructors.set('tuple', (args) => {
    if (!args.length) return R.incref(R.EMPTY_TUPLE);
    if (h.typeOf(args[0]) === T.tuple) return R.incref(args[0]);
    return R.newTuple(O.toArray(R, args[0]));
  });
  R.constructors.set('dict', (args, kw) => {
    const d = R.newDict(0, false);
    if (args.length) {
      const src = args[0];
      if (h.typeOf(src) === T.dict) for (const [k, v] of R.dictEntries(src)) R.dictSet(d, k, v);
      else for (const pair of O.iterate(R, src)) {
        const kv = O.toArray(R, pair);
        R.decref(pair);
        R.dictSet(d, kv[0], kv[1]);
        for (const x of kv) R.decref(x);
      }
    }
    if (kw) for (const [k, v] of kw) {
      const key = R.intern(k);
      R.dictSet(d, key, v);
      R.decref(key);
    }
    return d;
  });
  const setCtor = (frozen: boolean) => (args: Id[]) => {
    const s = R.newSet(frozen);
    if (args.length) O.setUpdate(R, s, args[0]);
    return s;
  };
  R.constructors.set('set', setCtor(false));
  R.constructors.set('frozenset', setCtor(true));
  R.constructors.set('range', (args) => {
    const n = args.map((a) => intArg(R, a));
    if (n.length === 1) return newRange(R, 0, n[0], 1);
    return newRange(R, n[0], n[1], n[2] ?? 1);
  });
  R.constructors.set('enumerate', (args, kw) => enumerateObj(R, args[0], args[1] ? intArg(R, args[1]) : kw?.get('start') ? intArg(R, kw.get('start')!) : 0));
  R.constructors.set('zip', (args) => zipObj(R, args));
  R.constructors.set('map', (args) => {
    // map_vectorcall: the iterators go into a tuple (lz->iters) before the map object exists.
    const fn = args[0];
    const iters = R.newTuple(args.slice(1).map((a) => O.getIter(R, a)));
    const n = args.length - 1;
    const it = R.alloc(T.map, 56);
    h.appendRef(it, fn);
    h.appendRef(it, iters);
    R.decref(iters);
    R.P[it] = {
      index: 0, next: () => {
        const ittuple = h.getRef(it, 1);
        const vals: Id[] = [];
        for (let i = 0; i < n; i++) {
          const x = O.iterNext(R, h.getRef(ittuple, i));
          if (!x) {
            for (const v of vals) R.decref(v);
            return 0;
          }
          vals.push(x);
        }
        try {
          return O.call(R, h.getRef(it, 0), vals, null);
        } finally {
          for (const v of vals) R.decref(v);
        }
      },
    };
    return it;
  });
  R.constructors.set('filter', (args) => {
    const inner = O.getIter(R, args[1]);
    const it = makeIterObj(R, T.filter, 56, [args[0], inner], () => {
      for (;;) {
        const x = O.iterNext(R, h.getRef(it, 1));
        if (!x) return 0;
        const fn = h.getRef(it, 0);
        let ok: boolean;
        if (fn === R.NONE) ok = O.truthy(R, x);
        else {
          const r = O.call(R, fn, [x], null);
          ok = O.truthy(R, r);
          R.decref(r);
        }
        if (ok) return x;
        R.decref(x);
      }
    });
    R.decref(inner);
    return it;
  });
  R.constructors.set('reversed', (args) => {
    const src = args[0];
    const t = h.typeOf(src);
    if (t === T.list || t === T.tuple) {
      const it = R.alloc(T.reversed, 48);
      h.appendRef(it, src);
      R.P[it] = { index: h.refLen(src) - 1 };
      return it;
    }
    const items = O.toArray(R, src).reverse();
    const l = R.newList(items, false);
    const it = R.alloc(T.reversed, 48);
    h.appendRef(it, l);
    R.decref(l);
    R.P[it] = { index: items.length - 1 };
    return it;
  });
  R.constructors.set('type', (args) => {
    if (args.length !== 1) throw R.err('NotImplementedError', 'not supported yet: type() with 3 arguments');
    return R.incref(R.classOf(args[0]).id);
  });
  const wrap = (t: number) => (args: Id[]) => {
    const w = R.alloc(t, 56);
    h.appendRef(w, args[0]);
    return w;
  };
  R.constructors.set('staticmethod', wrap(T.staticmethod));
  R.constructors.set('classmethod', wrap(T.classmethod));
  R.constructors.set('property', wrap(T.property));
  R.constructors.set('weakref.ref', (args) => {
    const target = args[0];
    const cb = args[1] && args[1] !== R.NONE ? args[1] : NULL;
    const t = h.typeOf(target);
    if (t === T.int || t === T.str || t === T.tuple || t === T.list || t === T.dict || t === T.none || t === T.bool || t === T.float) {
      throw R.err('TypeError', `cannot create weak reference to '${R.typeName(target)}' object`);
    }
    return R.seen(h.newWeakref(T.weakref, target, cb, R.sz.weakref, R.line));
  });
  R.constructors.set('WeakValueDictionary', () => {
    const w = R.alloc(T.wvdict, 64);
    const d = R.newDict();
    h.appendRef(w, d);
    R.decref(d);
    return w;
  });
  R.constructors.set('BaseException', () => R.none());
  R.callClass = instantiate;

  // builtin functions
  const f = (name: string, fn: BuiltinFn) => R.builtins.set(name, builtinFn(R, name, fn));
  f('len', (args) => R.newInt(len(R, args[0])));
  f('print', (args, kw) => {
    clinicKeywords(R, 'print', ['sep', 'end', 'file', 'flush'], kw);
    const sep = kw?.get('sep');
    const end = kw?.get('end');
    const file = kw?.get('file');
    const text = args.map((a) => O.str(R, a)).join(sep && sep !== R.NONE ? strOf(R, sep) : ' ') + (end && end !== R.NONE ? strOf(R, end) : '\n');
    R.write(text, file && R.P[file]?.name === 'stderr' ? 'stderr' : 'stdout');
    return R.none();
  });
  f('repr', (args) => R.newStr(O.repr(R, args[0])));
  f('isinstance', (args) => {
    const c = args[1];
    if (h.typeOf(c) === T.tuple) {
      for (let i = 0; i < h.refLen(c); i++) {
        const ci = R.classInfo(h.getRef(c, i));
        if (ci && R.isInstanceOf(args[0], ci)) return R.bool(true);
      }
      return R.bool(false);
    }
    const ci = R.classInfo(c);
    if (!ci) throw argErr(R, 'isinstance', 'arg 2 must be a type or tuple of types');
    return R.bool(R.isInstanceOf(args[0], ci));
  });
  f('issubclass', (args) => {
    const a = R.classInfo(args[0]);
    const c = R.classInfo(args[1]);
    if (!a || !c) throw argErr(R, 'issubclass', 'arg 1 must be a class');
    return R.bool(a.mro.includes(c) || c.builtin === 'object');
  });
  f('id', (args) => R.newInt(0x7f0000000000 + args[0] * 64));
  f('hash', (args) => {
    const k = R.hashKey(args[0]);
    if (typeof k === 'number') return R.newInt(Number.isInteger(k) ? k : Math.trunc(k * 1e6));
    let hsh = 0;
    for (let i = 0; i < k.length; i++) hsh = (Math.imul(hsh, 31) + k.charCodeAt(i)) | 0;
    return R.newInt(hsh);
  });
  f('abs', (args) => {
    const x = R.P[args[0]] as number;
    return R.heap.typeOf(args[0]) === T.float ? R.newFloat(Math.abs(x)) : R.newInt(Math.abs(x));
  });
  f('round', (args) => {
    const x = R.P[args[0]] as number;
    if (args.length > 1 && args[1] !== R.NONE) {
      const p = 10 ** intArg(R, args[1]);
      return R.newFloat(Math.round(x * p) / p);
    }
    const r = Math.round(x);
    return R.newInt(Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r);
  });
  f('divmod', (args) => {
    const a = O.binop(R, '//', args[0], args[1]);
    const m = O.binop(R, '%', args[0], args[1]);
    return R.newTuple([a, m]);
  });
  f('pow', (args) => O.binop(R, '**', args[0], args[1]));
  f('chr', (args) => R.newStr(String.fromCodePoint(intArg(R, args[0]))));
  f('ord', (args) => R.newInt(strOf(R, args[0]).codePointAt(0)!));
  f('sum', (args) => {
    let acc = args[1] ? R.incref(args[1]) : R.newInt(0);
    for (const x of O.iterate(R, args[0])) {
      const r = O.binop(R, '+', acc, x);
      R.decref(acc);
      R.decref(x);
      acc = r;
    }
    return acc;
  });
  f('min', (args, kw) => withArgsTuple(R, args, () => minmax(R, 'min', args, kw, -1)));
  f('max', (args, kw) => withArgsTuple(R, args, () => minmax(R, 'max', args, kw, 1)));
  f('any', (args) => {
    for (const x of O.iterate(R, args[0])) {
      const t = O.truthy(R, x);
      R.decref(x);
      if (t) return R.bool(true);
    }
    return R.bool(false);
  });
  f('all', (args) => {
    for (const x of O.iterate(R, args[0])) {
      const t = O.truthy(R, x);
      R.decref(x);
      if (!t) return R.bool(false);
    }
    return R.bool(true);
  });
  f('sorted', (args, kw) => {
    // sorted(): PySequence_List (PyList_New(0) + list_extend) then list.sort in place.
    clinicKeywords(R, 'list.sort', ['key', 'reverse'], kw);
    const l = R.alloc(T.list, S.listSize(0), { freelist: true });
    R.P[l] = 0;
    try {
      O.listExtend(R, l, args[0]);
      const items = h.refsOf(l);
      const rev = kwGet(kw, 'reverse');
      const order = sortKeyed(R, items, kwGet(kw, 'key'), rev ? O.truthy(R, rev) : false);
      for (const x of items) R.incref(x);
      order.forEach((x, i) => h.setRef(l, i, x));
      for (const x of items) R.decref(x);
    } catch (e) {
      R.decref(l);
      throw e;
    }
    return l;
  });
  f('iter', (args) => O.getIter(R, args[0]));
  f('next', (args) => {
    const v = O.iterNext(R, args[0]);
    if (v) return v;
    if (args.length > 1) return R.incref(args[1]);
    throw R.err('StopIteration');
  });
  f('getattr', (args) => {
    const name = strOf(R, args[1]);
    try {
      return getAttr(R, args[0], name);
    } catch (e) {
      if (args.length > 2 && e instanceof PyErr && R.isInstanceOf(e.exc, R.builtinClasses.get('AttributeError')!)) {
        R.decref(e.exc);
        return R.incref(args[2]);
      }
      throw e;
    }
  });
  f('setattr', (args) => {
    R.setAttr(args[0], strOf(R, args[1]), args[2]);
    return R.none();
  });
  f('delattr', (args) => {
    R.delAttr(args[0], strOf(R, args[1]));
    return R.none();
  });
  f('hasattr', (args) => {
    try {
      R.decref(getAttr(R, args[0], strOf(R, args[1])));
      return R.bool(true);
    } catch (e) {
      if (e instanceof PyErr && R.isInstanceOf(e.exc, R.builtinClasses.get('AttributeError')!)) {
        R.decref(e.exc);
        return R.bool(false);
      }
      throw e;
    }
  });
  f('vars', (args) => {
    if (!args.length) throw R.err('NotImplementedError', 'not supported yet: vars() without an argument');
    if (!R.isUserInstance(args[0])) throw R.err('TypeError', 'vars() argument must have __dict__ attribute');
    return R.incref(R.materializeDict(args[0]));
  });
  f('callable', (args) => {
    const t = h.typeOf(args[0]);
    return R.bool(t === T.function || t === T.method || t === T.builtin || t === T.boundbuiltin || t === T.type || (!!R.isUserInstance(args[0]) && !!R.lookupClassAttr(R.classOf(args[0]), '__call__')));
  });
  f('globals', () => {
    throw R.err('NotImplementedError', 'not supported yet: globals()');
  });
  f('input', () => {
    throw R.err('NotImplementedError', 'not supported yet: input()');
  });
  f('open', () => {
    throw R.err('NotImplementedError', 'not supported yet: open()');
  });
  R.builtins.set('None', R.NONE);
  R.builtins.set('True', R.TRUE);
  R.builtins.set('False', R.FALSE);
  R.builtins.set('NotImplemented', R.NONE);
  R.builtins.set('__name__', R.intern('__main__'));

  // gc.garbage and gc.callbacks are Python lists owned by the front end.
  R.gcGarbage = R.seen(R.heap.alloc(T.list, 56, 0, { freelist: false }));
  R.P[R.gcGarbage] = 0;
  R.gcCallbacks = R.seen(R.heap.alloc(T.list, 56, 0, { freelist: false }));
  R.P[R.gcCallbacks] = 0;
  R.modules.set('gc', gcModule(R));
  R.modules.set('sys', sysModule(R));
  R.modules.set('time', timeModule(R));
  R.modules.set('tracemalloc', tracemallocModule(R));
  R.modules.set('weakref', weakrefModule(R));
}

function statText(R: Runtime, o: Id): string {
  const p = R.P[o];
  const kib = (n: number) => (Math.abs(n) >= 1024 ? `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB` : `${n} B`);
  let s = `${R.filename}:${p.line}: size=${kib(p.size)}`;
  if (p.sizeDiff !== undefined) s += ` (${p.sizeDiff >= 0 ? '+' : ''}${kib(p.sizeDiff)})`;
  s += `, count=${p.count}`;
  if (p.countDiff !== undefined) s += ` (${p.countDiff >= 0 ? '+' : ''}${p.countDiff})`;
  if (p.count) s += `, average=${kib(Math.round(p.size / p.count))}`;
  return s;
}

export { statText };
