// Weak references (Objects/weakrefobject.c): which weakrefs point at which object, in
// weakref_new's list order, and PyObject_ClearWeakRefs. Weakrefs are rare: maps, not arrays.
// A weakref object's callback is its referent 0 (a strong reference); its target is weak.
import { NULL } from './constants';
import { F_WEAKREFS, type ObjectStore } from './store';
import type { AllocOptions, EngineHooks } from './types';

/** What weakrefs need of the heap: the store plus allocation and reference counting. */
export interface WeakrefHost extends ObjectStore {
  readonly hooks: EngineHooks;
  alloc(type: number, sizeBytes: number, site: number, opts?: AllocOptions): number;
  appendRef(id: number, v: number): void;
  decref(id: number): void;
}

export class Weakrefs {
  /** weakref → its target (NULL once cleared). */
  readonly target = new Map<number, number>();
  /** object → the weakrefs to it, in list order. */
  readonly to = new Map<number, number[]>();
  constructor(private readonly h: WeakrefHost) {}

  /** Register a new weakref object `w` (already allocated, its callback stored as referent 0). */
  add(w: number, target: number, callback: number): void {
    this.target.set(w, target);
    let list = this.to.get(target);
    if (!list) {
      list = [];
      this.to.set(target, list);
    }
    // weakref_new: a callback-less ref goes to the head; one with a callback right after the
    // basic ref / proxy (the callback-less refs at the head), so the newest callback ref comes first.
    if (callback === NULL) list.unshift(w);
    else {
      let at = 0;
      while (at < list.length && at < 2 && this.h.firstRef(list[at]) === NULL) at++;
      list.splice(at, 0, w);
    }
    this.h.flags[target] |= F_WEAKREFS;
  }
  targetOf(w: number): number {
    return this.target.get(w) ?? NULL;
  }
  refsTo(obj: number): number[] {
    return (this.h.flags[obj] & F_WEAKREFS) !== 0 ? [...(this.to.get(obj) ?? [])] : [];
  }
  /** A weakref object is being freed. */
  forget(w: number): void {
    this.clear(w);
    this.target.delete(w);
  }
  /** _PyWeakref_ClearRef: forget the target, keep the callback. */
  clear(w: number): void {
    const t = this.target.get(w);
    if (t === undefined || t === NULL) return;
    this.target.set(w, NULL);
    const list = this.to.get(t);
    if (list) {
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) {
        this.to.delete(t);
        this.h.flags[t] &= ~F_WEAKREFS;
      }
    }
  }
  /** wr_callback = NULL, keeping the reference for the caller. */
  private takeCallback(w: number): number {
    const h = this.h;
    if (h.refLength[w] === 0) return NULL;
    const s = h.refStart[w];
    const cb = h.pool[s];
    h.pool[s] = NULL;
    return cb;
  }

  /** PyObject_ClearWeakRefs from a deallocator: clear all, then call the callbacks. */
  clearOnDealloc(obj: number): void {
    // PyObject_ClearWeakRefs (3.11): callback-less refs at the head (the basic ref and proxy) are
    // just cleared; each remaining weakref gives its callback up (wr_callback = NULL) and is
    // cleared; with two or more, they are kept alive in a tuple of 2*count items (a real
    // allocation) while the callbacks run.
    const h = this.h;
    const list = [...(this.to.get(obj) ?? [])];
    let k = 0;
    while (k < list.length && k < 2 && h.firstRef(list[k]) === NULL) this.clear(list[k++]);
    const rest = list.slice(k);
    if (rest.length === 0) return;
    const run = h.hooks.runWeakrefCallback;
    if (rest.length === 1) {
      const w = rest[0];
      const cb = this.takeCallback(w);
      this.clear(w);
      if (cb !== NULL) {
        if (h.rc[w] > 0 && run) {
          h.rc[w]++;
          run(w, cb);
          h.decref(w);
        }
        h.decref(cb);
      }
      return;
    }
    const tuple = h.tupleType >= 0 ? h.alloc(h.tupleType, 40 + 16 * rest.length, h.siteOf[obj], { freelist: true, nitems: 2 * rest.length }) : NULL;
    const pairs: number[] = [];
    for (const w of rest) {
      const cb = this.takeCallback(w);
      if (h.rc[w] > 0) {
        h.rc[w]++;
        pairs.push(w, cb);
      } else {
        pairs.push(NULL, NULL);
        h.decref(cb);
      }
      this.clear(w);
    }
    if (tuple !== NULL) {
      // the tuple holds the references taken above
      for (const v of pairs) {
        h.appendRef(tuple, v);
        if (v !== NULL) h.rc[v]--;
      }
    }
    for (let p = 0; p < pairs.length; p += 2) {
      if (pairs[p + 1] !== NULL && run) run(pairs[p], pairs[p + 1]);
    }
    if (tuple !== NULL) h.decref(tuple);
    else for (const v of pairs) h.decref(v);
  }
}
