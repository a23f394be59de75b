// Corpus cases of /work/shared/fidelity written as engine-level programs: the allocations
// CPython 3.11 makes for each construct of the case (spec §2), with the start state of the
// fidelity driver. The figures compared are those of expected/<case>.json.
import { describe, expect, it } from 'vitest';
import { NULL } from './heap';
import { makeRuntime, type Runtime } from './testkit';
import type { CollectionEvent } from './types';

/**
 * The driver's state when the workload starts: the baseline in gen 2, count0 = 5 (initial.count),
 * two of those five objects still tracked in gen 0 (its gc.collect wrapper and the 3-tuple of
 * ints that gc.get_count() returned: the first collection untracks it), then exec's
 * function object. (The split of the 5 between live and freed objects is the driver's, not a rule.)
 */
function driverStart(rt: Runtime, tracked: number) {
  const { heap } = rt;
  heap.createBaseline(tracked);
  rt.list([]);
  rt.tuple([rt.int(), rt.int(), rt.int()]);
  heap.count[0] = 5;
  const events: CollectionEvent[] = [];
  heap.addListener({ onCollection: (e) => events.push(e) });
  const execFunction = heap.alloc(rt.T.type, 152, 0); // PyEval_EvalCode's function object
  return { events, execFunction };
}

describe('fidelity corpus at engine level', () => {
  it('untrack_tuples: tracked tuples after build / collect(0) / collect() ×2, and the collection sequence', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const { events } = driverStart(rt, 7555);
    const isTracked = (ids: number[]) => ids.filter((t) => heap.isTracked(t)).length;
    const countTracked = (ids: number[]) => {
      const it = heap.alloc(rt.T.type, 56, 0); // the list iterator of `for t in items`
      const n = isTracked(ids);
      heap.decref(it);
      return n;
    };
    heap.alloc(rt.T.type, 152, 0); // def count_tracked
    const x = rt.int();
    const flatL = rt.list([]);
    const flat: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const t = rt.tuple([x, x, x]);
      rt.append(flatL, t);
      heap.decref(t);
      flat.push(t);
    }
    const nestedL = rt.list([]);
    const nested: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const inner = rt.tuple([x, x]);
      const outer = rt.tuple([x, inner]);
      heap.decref(inner);
      rt.append(nestedL, outer);
      heap.decref(outer);
      nested.push(outer);
    }
    const holdingL = rt.list([]);
    const holding: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const l = rt.list([x]);
      const t = rt.tuple([x, l]);
      heap.decref(l);
      rt.append(holdingL, t);
      heap.decref(t);
      holding.push(t);
    }
    const stage = () => {
      const r = [countTracked(flat), countTracked(nested), countTracked(holding)];
      rt.list([NULL, NULL, NULL]); // the stage list
      return r;
    };
    expect(stage()).toEqual([0, 350, 2000]);
    const automatic = events.length;
    heap.gc.collect(0);
    expect(stage()).toEqual([0, 350, 2000]);
    heap.gc.collect();
    expect(stage()).toEqual([0, 0, 2000]);
    heap.gc.collect();
    expect(stage()).toEqual([0, 0, 2000]);
    const seq = events.map((e) => [e.generation, e.collected, e.sizes[0], e.sizes[1], e.sizes[2]]);
    expect(seq.slice(0, 3)).toEqual([
      [0, 0, 697, 0, 7555],
      [0, 0, 701, 4, 7555],
      [0, 0, 701, 4, 7555],
    ]);
    expect(seq[11]).toEqual([1, 0, 701, 4, 7555]);
    expect(seq[12]).toEqual([0, 0, 701, 0, 7559]);
    expect(seq[42]).toEqual([0, 0, 701, 2100, 7910]);
    expect(automatic).toBe(48);
    expect(heap.gc.getStats().map((s) => s.collections)).toEqual([45, 4, 2]);
  });

  it('cycles_self_loops: collections per generation, total collected and the final collect()', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    driverStart(rt, 7555);
    // class Session: the class body function and namespace dict (freed), the class and the
    // objects type_new makes with it (bases and mro tuples, its dict, descriptors, __init__, …)
    const body = heap.alloc(rt.T.type, 152, 0);
    const ns = rt.dict([], true);
    const Session = rt.klass('Session');
    for (let i = 0; i < 7; i++) heap.alloc(rt.T.type, 64, 0);
    heap.decref(ns);
    heap.decref(body);
    const x = rt.int();
    const kid = rt.str('id');
    const kself = rt.str('self');
    for (let r = 0; r < 30; r++) {
      const pool = rt.list([]);
      for (let i = 0; i < 300; i++) {
        const s = rt.instance(Session, 3); // Session(i): sid, me, history
        rt.setAttr(s, 0, x);
        rt.setAttr(s, 1, s);
        const h = rt.list([]);
        rt.setAttr(s, 2, h);
        heap.decref(h);
        rt.append(h, h);
        const d = rt.dict([[kid, x]]); // {"id": i}: untracked
        expect(heap.isTracked(d)).toBe(false);
        rt.dictSet(d, kself, d); // d["self"] = d: tracked now
        rt.append(pool, s);
        rt.append(pool, d);
        heap.decref(s);
        heap.decref(d);
      }
      heap.decref(pool);
    }
    const final = heap.gc.collect();
    const stats = heap.gc.getStats();
    expect(final).toBe(3227);
    expect(stats.map((s) => s.collections)).toEqual([30, 2, 1]);
    expect(stats.reduce((n, s) => n + s.collected, 0)).toBe(27000);
    expect(heap.gc.getCount()).toEqual([0, 0, 0]);
  });
});
