// The tuple, list and dict freelists (Objects/tupleobject.c, listobject.c, dictobject.c): a
// deallocated object of the exact builtin type keeps its struct's memory, and the next
// constructor that pops the freelist reuses it. Capacities come from the profile.
import type { FreelistSpec } from './profile';
import { FL_LIST, FL_TUPLE } from './store';
import type { FreelistKind } from './types';
import { allocatorStatsLine, type PyMalloc } from './pymalloc';
import type { Tracemalloc } from './tracemalloc';

// Block kept while an object waits on a freelist: the object struct (+16 B GC head).
const LIST_FREELIST_BLOCK = 56;
const DICT_FREELIST_BLOCK = 64;

export class Freelist {
  handles: number[] = [];
  /** Whether each waiting block is traced by tracemalloc. */
  traced: boolean[] = [];
  constructor(
    readonly max: number,
    readonly blockBytes: number,
  ) {}
}

export class Freelists {
  readonly tuples: Freelist[] = [];
  readonly tupleMaxSaveSize: number;
  readonly list: Freelist;
  readonly dict: Freelist;

  constructor(spec: FreelistSpec) {
    this.tupleMaxSaveSize = spec.tupleMaxSaveSize;
    for (let n = 0; n <= spec.tupleMaxSaveSize; n++) this.tuples.push(new Freelist(spec.tupleMaxFreelist, 40 + 8 * n));
    this.list = new Freelist(spec.listMax, LIST_FREELIST_BLOCK);
    this.dict = new Freelist(spec.dictMax, DICT_FREELIST_BLOCK);
  }

  /** The freelist an allocation of this kind (FL_*) pops, or null (a tuple length not kept). */
  forAlloc(kind: number, sizeBytes: number, nitems: number | undefined): Freelist | null {
    if (kind === FL_LIST) return this.list;
    if (kind !== FL_TUPLE) return this.dict;
    const n = nitems ?? (sizeBytes - 40) / 8;
    return n >= 1 && n <= this.tupleMaxSaveSize ? this.tuples[n] : null;
  }
  /** The freelist a deallocation of this kind pushes to (tuples by their length), or null. */
  forDealloc(kind: number, len: number): Freelist | null {
    if (kind === FL_TUPLE) return len >= 1 && len <= this.tupleMaxSaveSize ? this.tuples[len] : null;
    return kind === FL_LIST ? this.list : this.dict;
  }
  all(): Freelist[] {
    return [...this.tuples, this.list, this.dict];
  }
  /** clear_freelists: every kept block is freed; `onEach` runs once per block (PyObject_GC_Del). */
  clear(mem: PyMalloc, tm: Tracemalloc, onEach: () => void): void {
    for (const fl of this.all()) {
      for (let i = 0; i < fl.handles.length; i++) {
        mem.free(fl.handles[i], fl.blockBytes);
        if (fl.traced[i]) tm.bytes -= fl.blockBytes;
        onEach();
      }
      fl.handles.length = 0;
      fl.traced.length = 0;
    }
  }
  untraceAll(): void {
    for (const fl of this.all()) fl.traced.fill(false);
  }
  size(kind: FreelistKind, nitems = 1): number {
    if (kind === 'list') return this.list.handles.length;
    if (kind === 'dict') return this.dict.handles.length;
    return this.tuples[nitems]?.handles.length ?? 0;
  }
  /** The freelist lines of `sys._debugmallocstats()` (_PyObject_DebugTypeStats). */
  debugStats(floatFreelist: number): string {
    let out = allocatorStatsLine(this.dict.handles.length, 'free PyDictObjects', 48);
    out += allocatorStatsLine(floatFreelist, 'free PyFloatObjects', 24);
    out += allocatorStatsLine(this.list.handles.length, 'free PyListObjects', 40);
    for (let n = 1; n <= this.tupleMaxSaveSize; n++) {
      out += allocatorStatsLine(this.tuples[n].handles.length, `free ${n}-sized PyTupleObjects`, 24 + 8 * n);
    }
    return out;
  }
}
