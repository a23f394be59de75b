// range objects (rangeobject.c).
import type { Runtime, Id, TypeSlots, IterPayload } from '../vm/runtime';
import { seqIndex } from './slice';

export function newRange(R: Runtime, start: number, stop: number, step: number): Id {
  if (step === 0) throw R.err('ValueError', 'range() arg 3 must not be zero');
  const r = R.alloc(R.T.range, R.sz.range);
  R.P[r] = { start, stop, step };
  return r;
}

function rangeLen(R: Runtime, v: Id): number {
  const p = R.P[v];
  return Math.max(0, Math.ceil((p.stop - p.start) / p.step));
}

export const rangeSlots: TypeSlots = {
  tp_name: 'range',
  tp_repr(R, v) {
    const p = R.P[v];
    return p.step === 1 ? `range(${p.start}, ${p.stop})` : `range(${p.start}, ${p.stop}, ${p.step})`;
  },
  sq_length: rangeLen,
  tp_iter(R, v) {
    const p = R.P[v];
    const it = R.alloc(R.T.rangeiter, 48);
    R.P[it] = { index: p.start, stop: p.stop, step: p.step } as IterPayload;
    return it;
  },
  mp_subscript(R, o, k) {
    const p = R.P[o];
    return R.newInt(p.start + seqIndex(R, k, rangeLen(R, o), 'range object index out of range') * p.step);
  },
};
