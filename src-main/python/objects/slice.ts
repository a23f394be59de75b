// slice objects (sliceobject.c) and index normalization for sequences.
import type { Runtime, Id, TypeSlots } from '../vm/runtime';
import { intArg, normIndex } from '../vm/args';

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

export function sliceIndices(R: Runtime, s: Id, n: number): [number, number, number] {
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

export function sliceRange(R: Runtime, s: Id, n: number): number[] {
  const [start, stop, step] = sliceIndices(R, s, n);
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

/** A sequence index (negative from the end), or IndexError with `what`. */
export function seqIndex(R: Runtime, k: Id, n: number, what: string): number {
  let i = intArg(R, k, 'an index');
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw R.err('IndexError', what);
  return i;
}

export const sliceSlots: TypeSlots = { tp_name: 'slice' };
