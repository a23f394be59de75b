// The tracemalloc module: traced memory, snapshots grouped by line, their statistics.
import type { Runtime, Id, TypeSlots, DictPayload, SetPayload } from '../vm/runtime';
import { builtinFn } from '../objects/func';
import { makeModule } from '../objects/module';

export function tracemallocModule(R: Runtime): Id {
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

export function statistic(R: Runtime, line: number, size: number, count: number, sizeDiff?: number, countDiff?: number): Id {
  const s = R.alloc(R.T.stat, 48);
  R.P[s] = { line, size, count, sizeDiff, countDiff };
  return s;
}

export function statText(R: Runtime, o: Id): string {
  const p = R.P[o];
  const kib = (n: number) => (Math.abs(n) >= 1024 ? `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB` : `${n} B`);
  let s = `${R.filename}:${p.line}: size=${kib(p.size)}`;
  if (p.sizeDiff !== undefined) s += ` (${p.sizeDiff >= 0 ? '+' : ''}${kib(p.sizeDiff)})`;
  s += `, count=${p.count}`;
  if (p.countDiff !== undefined) s += ` (${p.countDiff >= 0 ? '+' : ''}${p.countDiff})`;
  if (p.count) s += `, average=${kib(Math.round(p.size / p.count))}`;
  return s;
}

export const statisticSlots: TypeSlots = { tp_name: 'Statistic', tp_repr: statText };
