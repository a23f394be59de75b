// A tiny set of builtin types and constructors on the engine, written the way CPython 3.11
// allocates them (spec §2): used by the engine's tests and benchmarks to express Python
// programs at engine level.
import { Heap, NULL, type HeapOptions } from './heap';
import { listResize } from './sizes';

export function makeRuntime(opts: HeapOptions = {}) {
  const heap = new Heap(opts);
  const z = heap.sizes;
  const T = {
    list: heap.defineType({ name: 'list', gc: true, kind: 'list', freelist: 'list' }),
    tuple: heap.defineType({ name: 'tuple', gc: true, kind: 'tuple', freelist: 'tuple' }),
    dict: heap.defineType({ name: 'dict', gc: true, kind: 'dict', freelist: 'dict' }),
    int: heap.defineType({ name: 'int', gc: false }),
    str: heap.defineType({ name: 'str', gc: false }),
    type: heap.defineType({ name: 'type', gc: true, kind: 'class' }),
    weakref: heap.defineType({ name: 'weakref.ReferenceType', gc: true, kind: 'weakref' }),
  };
  const classes = new Map<number, number>(); // class object id → instance type id

  const rt = {
    heap,
    T,
    /** `[a, b]` / comprehensions: PyList_New pops the freelist. `list(...)`: fresh: literal false. */
    list(items: number[] = [], literal = true, site = 0): number {
      const l = heap.alloc(T.list, z.list(items.length), site, { freelist: literal, track: false });
      for (const v of items) heap.appendRef(l, v);
      heap.track(l);
      return l;
    },
    append(l: number, v: number): void {
      const len = heap.refLen(l);
      const allocated = (heap.sizeOf(l) - 56) / 8;
      const na = listResize(allocated, len, len + 1);
      if (na !== allocated) heap.resize(l, z.list(na));
      heap.appendRef(l, v);
    },
    tuple(items: number[], site = 0): number {
      const t = heap.alloc(T.tuple, z.tuple(items.length), site, { freelist: true, nitems: items.length, track: false });
      for (const v of items) heap.appendRef(t, v);
      heap.track(t);
      return t;
    },
    /** `{k: v, …}` (BUILD_MAP pops the freelist); `dict(...)` when literal is false. */
    dict(pairs: [number, number][] = [], literal = true, site = 0): number {
      const d = heap.alloc(T.dict, pairs.length ? z.dict(3, true) : z.dictEmpty, site, { freelist: literal });
      for (const [k, v] of pairs) rt.dictSet(d, k, v);
      return d;
    },
    dictSet(d: number, k: number, v: number): void {
      heap.appendRef(d, k);
      heap.appendRef(d, v);
      heap.maintainDictTracking(d, k, v);
    },
    int(_v = 0, site = 0): number {
      return heap.alloc(T.int, 28, site);
    },
    str(text = 's', site = 0): number {
      return heap.alloc(T.str, z.str(text), site);
    },
    /** A class with a managed dict; its instances keep the class as referent 0, attributes after. */
    klass(name: string, spec: { del?: boolean; legacy?: boolean } = {}, site = 0): number {
      const c = heap.alloc(T.type, z.classObject, site);
      const it = heap.defineType({ name, gc: true, kind: 'instance', finalizer: spec.del, legacyFinalizer: spec.legacy });
      classes.set(c, it);
      return c;
    },
    instance(cls: number, nattrs = 0, site = 0): number {
      const o = heap.alloc(classes.get(cls)!, z.instance, site);
      heap.appendRef(o, cls);
      for (let i = 0; i < nattrs; i++) heap.appendRef(o, NULL);
      return o;
    },
    /** obj.attr = v (attribute slot k, 0-based). */
    setAttr(o: number, k: number, v: number): void {
      heap.setRef(o, 1 + k, v);
    },
    /** Store a new reference into a container slot and give up the caller's reference. */
    steal(fn: () => void, v: number): void {
      fn();
      heap.decref(v);
    },
  };
  return rt;
}

export type Runtime = ReturnType<typeof makeRuntime>;
