import { describe, expect, it } from 'vitest';
import { DEBUG_SAVEALL, DEBUG_STATS, DEBUG_COLLECTABLE, GEN0, GEN1, GEN2, Heap, NULL } from './heap';
import { makeRuntime } from './testkit';
import type { CollectionEvent } from './types';

function record(heap: Heap): CollectionEvent[] {
  const events: CollectionEvent[] = [];
  heap.addListener({ onCollection: (e) => events.push(e) });
  return events;
}

describe('§2 generation-0 count', () => {
  it('counts GC allocations minus GC deallocations, never below 0, and ignores non-GC objects', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const n = rt.int();
    expect(heap.gc.getCount()).toEqual([0, 0, 0]);
    const inst = rt.instance(rt.klass('A')); // class +1, instance +1
    expect(heap.gc.getCount()[0]).toBe(2);
    heap.decref(n);
    heap.decref(inst);
    expect(heap.gc.getCount()[0]).toBe(1);
    heap.count[0] = 0;
    const b = rt.instance(rt.klass('B'));
    heap.count[0] = 0;
    heap.decref(b);
    expect(heap.gc.getCount()[0]).toBe(0);
  });

  it('counts untracked dicts too (the count is about allocation, not tracking)', () => {
    const rt = makeRuntime();
    const d = rt.dict([], false);
    expect(rt.heap.isTracked(d)).toBe(false);
    expect(rt.heap.gc.getCount()[0]).toBe(1);
  });

  it('deleting 100 instances + 100 2-tuples + 100 lists + 100 dicts lowers the count by 140', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const C = rt.klass('C');
    const objs: number[] = [];
    const x = rt.int();
    for (let i = 0; i < 100; i++) objs.push(rt.instance(C));
    for (let i = 0; i < 100; i++) objs.push(rt.tuple([x, x]));
    for (let i = 0; i < 100; i++) objs.push(rt.list([]));
    for (let i = 0; i < 100; i++) objs.push(rt.dict([]));
    const before = heap.gc.getCount()[0];
    for (const o of objs) heap.decref(o);
    expect(before - heap.gc.getCount()[0]).toBe(140);
    expect(heap.freelistSize('tuple', 2)).toBe(100);
    expect(heap.freelistSize('list')).toBe(80);
    expect(heap.freelistSize('dict')).toBe(80);
  });

  it('[] churn pops the list freelist; list() churn always counts until the freelist is full', () => {
    // `x = []; del x` ×1000 with an empty freelist: the first list is fresh, then pop/push: +1.
    const a = makeRuntime();
    for (let i = 0; i < 1000; i++) a.heap.decref(a.list([], true));
    expect(a.heap.gc.getCount()[0]).toBe(1);
    // `x = list(); del x` ×1000 (tp_alloc, never pops): +1 each until 80 lists wait on the
    // freelist; measured +76 on 3.11 with 4 lists already waiting there.
    const b = makeRuntime();
    const waiting = [b.list([]), b.list([]), b.list([]), b.list([])];
    for (const l of waiting) b.heap.decref(l);
    b.heap.count[0] = 0;
    for (let i = 0; i < 1000; i++) b.heap.decref(b.list([], false));
    expect(b.heap.gc.getCount()[0]).toBe(76);
  });

  it('a 60k-iteration request loop with freelists triggers no collection', () => {
    // api_request_loop: per request a Request instance, its params dict (+ tags list) and
    // headers dict, a body dict (+ items list) and a Response instance; a 50-entry log.
    const rt = makeRuntime();
    const { heap } = rt;
    heap.createBaseline(7558);
    const events = record(heap);
    const Request = rt.klass('Request');
    const Response = rt.klass('Response');
    const recent = rt.list([]);
    const k = rt.str('k');
    for (let i = 0; i < 60000; i++) {
      const tags = rt.list([k, k, rt.str('t')]);
      heap.decref(heap.getRef(tags, 2)); // the str temp stored in the list
      const params = rt.dict([[k, tags]]);
      heap.decref(tags);
      const req = rt.instance(Request, 4);
      rt.steal(() => rt.setAttr(req, 2, params), params);
      const headers = rt.dict([[k, k]]);
      rt.steal(() => rt.setAttr(req, 3, headers), headers);
      const items = rt.list([k, k]);
      const body = rt.dict([[k, items]]);
      heap.decref(items);
      const resp = rt.instance(Response, 2);
      rt.steal(() => rt.setAttr(resp, 1, body), body);
      rt.append(recent, resp);
      heap.decref(resp);
      if (heap.refLen(recent) > 50) heap.removeRef(recent, 0);
      heap.decref(req);
    }
    expect(events.length).toBe(0);
    expect(heap.gc.getStats().map((s) => s.collections)).toEqual([0, 0, 0]);
    expect(heap.gc.getCount()[0]).toBeLessThan(700);
  });
});

describe('§2.1 trigger', () => {
  it('collects inside the 701st allocation, before the new object is tracked', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const events = record(heap);
    const keep = rt.list([]);
    heap.count[0] = 0;
    const C = rt.klass('C'); // +1
    for (let i = 0; i < 699; i++) {
      const o = rt.instance(C);
      rt.append(keep, o);
      heap.decref(o);
    }
    expect(heap.gc.getCount()[0]).toBe(700);
    expect(events.length).toBe(0);
    const o = rt.instance(C);
    expect(events.length).toBe(1);
    expect(events[0].generation).toBe(0);
    expect(events[0].count).toEqual([701, 0, 0]);
    expect(heap.gc.getCount()).toEqual([0, 1, 0]);
    // the new object was not part of the collection: it is alone in gen 0
    expect(heap.gc.getObjects(0)).toEqual([o]);
  });

  it('values on the stack are roots: a dict whose own allocation collects may never be tracked', () => {
    // {"id": i, "pair": (i, s)}: the tuple is built first; when the dict's allocation triggers a
    // collection, the fresh tuple (held only by the stack) survives, is untracked, and then no
    // longer makes the dict tracked on insertion.
    const rt = makeRuntime();
    const { heap } = rt;
    const x = rt.int();
    const k = rt.str('pair');
    heap.count[0] = 699;
    const pair = rt.tuple([x, x]); // count 700
    expect(heap.isTracked(pair)).toBe(true);
    const d = rt.dict([], true); // count 701: collects inside this allocation
    expect(heap.gc.getStats()[0].collections).toBe(1);
    expect(heap.isTracked(pair)).toBe(false);
    rt.dictSet(d, k, pair);
    expect(heap.isTracked(d)).toBe(false);
    const pair2 = rt.tuple([x, x]);
    const d2 = rt.dict([], true);
    rt.dictSet(d2, k, pair2);
    expect(heap.isTracked(d2)).toBe(true);
  });

  it('threshold0 = 0 disables automatic collection; disable() too, but not gc.collect()', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    heap.gc.setThreshold(0);
    const keep = rt.list([]);
    for (let i = 0; i < 2000; i++) {
      const o = rt.list([], false);
      rt.append(keep, o);
      heap.decref(o);
    }
    expect(heap.gc.getStats()[0].collections).toBe(0);
    heap.gc.setThreshold(700);
    heap.gc.disable();
    for (let i = 0; i < 2000; i++) rt.list([], false);
    expect(heap.gc.getStats()[0].collections).toBe(0);
    expect(heap.gc.getCount()[0]).toBe(4001); // keep + 2000 + 2000 lists
    expect(heap.gc.isEnabled()).toBe(false);
    heap.gc.collect(0);
    expect(heap.gc.getStats()[0].collections).toBe(1);
    expect(heap.gc.getCount()).toEqual([0, 1, 0]);
  });

  it('3.13 schedules the collection and runs it at the next checkpoint', () => {
    const rt = makeRuntime({ profile: '3.13' });
    const { heap } = rt;
    expect(heap.gc.getThreshold()).toEqual([2000, 10, 10]);
    const events = record(heap);
    for (let i = 0; i < 2005; i++) rt.list([], false);
    expect(events.length).toBe(0);
    expect(heap.gcScheduled).toBe(true);
    heap.checkpoint();
    expect(events.length).toBe(1);
    expect(events[0].count[0]).toBe(2005);
    expect(heap.checkpoint()).toBe(0);
    expect(events.length).toBe(1);
    // scheduled, then disabled before the eval breaker: _Py_RunGC does nothing
    for (let i = 0; i < 2005; i++) rt.list([], false);
    heap.gc.disable();
    heap.checkpoint();
    expect(events.length).toBe(1);
    expect(heap.gcScheduled).toBe(false);
  });
});

describe('§2.2 which generation', () => {
  it('a growing heap gives 11 gen-0 collections per gen-1 collection', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const events = record(heap);
    const keep = rt.list([]);
    for (let i = 0; i < 700 * 30; i++) {
      const l = rt.list([], false);
      rt.append(keep, l);
      heap.decref(l);
    }
    const gens = events.map((e) => e.generation).join('');
    expect(gens.startsWith('00000000000' + '1' + '00000000000' + '1')).toBe(true);
    expect(events.filter((e) => e.generation === 1).length).toBe(Math.floor(events.length / 12));
  });

  it('a full collection needs count2 > threshold2 and pending >= total/4', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    heap.createBaseline(500000);
    const events = record(heap);
    const atStart: { pending: number; total: number; count2: number }[] = [];
    heap.gc.callbacksInstalled = true;
    heap.setHooks({
      onGcCallback: (phase, gen) => {
        if (phase === 'start' && gen === 2) atStart.push({ pending: heap.longLivedPending, total: heap.longLivedTotal, count2: heap.count[2] });
      },
    });
    const keep = rt.list([]);
    while (atStart.length === 0) {
      const l = rt.list([], false);
      rt.append(keep, l);
      heap.decref(l);
    }
    const gen1Before = events.filter((e) => e.generation === 1).length;
    // count2 passed 10 long before: the 25 % rule held the full collection back
    expect(gen1Before).toBeGreaterThan(11);
    expect(atStart[0].pending).toBeGreaterThanOrEqual(Math.trunc(atStart[0].total / 4));
    expect(atStart[0].count2).toBe(gen1Before);
    expect(heap.longLivedPending).toBe(0);
    expect(heap.longLivedTotal).toBe(heap.listSize(GEN2));
  });

  it('explicit collections update the counts like automatic ones; collect() resets pending and total', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    rt.list([], false);
    heap.gc.collect(0);
    expect(heap.gc.getCount()).toEqual([0, 1, 0]);
    heap.gc.collect(1);
    expect(heap.gc.getCount()).toEqual([0, 0, 1]);
    expect(heap.longLivedPending).toBe(1);
    heap.gc.collect();
    expect(heap.gc.getCount()).toEqual([0, 0, 0]);
    expect(heap.longLivedPending).toBe(0);
    expect(heap.longLivedTotal).toBe(heap.listSize(GEN2));
    expect(() => heap.gc.collect(3)).toThrow(RangeError);
  });
});

describe('§3 one collection', () => {
  it('merges younger generations and promotes survivors one generation', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const a = rt.list([]);
    heap.gc.collect(0);
    expect(heap.generationOf(a)).toBe(1);
    const b = rt.list([]);
    const events = record(heap);
    heap.gc.collect(1);
    expect(events[0].sizes).toEqual([1, 1, 0, 0]);
    expect(heap.generationOf(a)).toBe(2);
    expect(heap.generationOf(b)).toBe(2);
    heap.gc.collect(2);
    expect(heap.generationOf(a)).toBe(2);
  });

  it('collects cycles and returns n+m; DEBUG_STATS prints CPython lines', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const out: string[] = [];
    heap.setHooks({ onOutput: (t) => out.push(t) });
    const A = rt.klass('A');
    for (let i = 0; i < 10; i++) {
      const a = rt.instance(A, 1);
      const b = rt.instance(A, 1);
      rt.setAttr(a, 0, b);
      rt.setAttr(b, 0, a);
      heap.decref(a);
      heap.decref(b);
    }
    heap.gc.setDebug(DEBUG_STATS | DEBUG_COLLECTABLE);
    const live = heap.liveObjects;
    expect(heap.gc.collect()).toBe(20);
    expect(heap.liveObjects).toBe(live - 20);
    const text = out.join('');
    expect(text).toContain('gc: collecting generation 2...\ngc: objects in each generation: 21 0 0\ngc: objects in permanent generation: 0\n');
    expect(text).toMatch(/gc: collectable <A 0x[0-9a-f]+>\n/);
    expect(text).toMatch(/gc: done, 20 unreachable, 0 uncollectable, \d+\.\d{4}s elapsed\n/);
    expect(heap.gc.getStats()[2]).toEqual({ collections: 1, collected: 20, uncollectable: 0 });
  });

  it('move_unreachable reverses reachable chains: (x, (x, x)) needs two collections', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const holder = rt.list([]);
    heap.gc.collect(); // holder in gen 2, outside the young generation
    const x = rt.int();
    const inner = rt.tuple([x, x]);
    const outer = rt.tuple([x, inner]);
    heap.decref(inner);
    rt.append(holder, outer);
    heap.decref(outer);
    heap.traceNextCollection = true;
    const events = record(heap);
    heap.gc.collect(0);
    const tr = events[0].trace!;
    expect(tr.young).toEqual([inner, outer]);
    expect(tr.gcRefs).toEqual([0, 1]);
    expect(tr.untrackedTuples).toEqual([inner]);
    expect(heap.isTracked(inner)).toBe(false);
    expect(heap.isTracked(outer)).toBe(true);
    heap.gc.collect(0);
    expect(heap.isTracked(outer)).toBe(true); // it moved to gen 1: collect(0) does not see it
    heap.gc.collect(1);
    expect(heap.isTracked(outer)).toBe(false);
  });

  it('a tuple holding a list or a NULL stays tracked; (1, {}) stays tracked; untracked tuples are atomic', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const x = rt.int();
    const withList = rt.tuple([x, rt.list([])]);
    const withDict = rt.tuple([x, rt.dict([])]);
    const t = heap.alloc(rt.T.tuple, 56, 0, { track: true, nitems: 2 });
    heap.setRefLen(t, 2);
    heap.setRef(t, 0, x);
    heap.gc.collect();
    expect(heap.isTracked(withList)).toBe(true);
    expect(heap.isTracked(withDict)).toBe(true);
    expect(heap.isTracked(t)).toBe(true);
  });

  it('dicts are untracked only by a full collection', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const k = rt.str('k');
    const inner = rt.list([]);
    const d = rt.dict([[k, inner]]);
    expect(heap.isTracked(d)).toBe(true);
    heap.decref(inner);
    const one = rt.int(1);
    heap.setRef(d, 1, one); // d['k'] = 1: the dict stays tracked
    heap.gc.collect(0);
    expect(heap.isTracked(d)).toBe(true);
    heap.gc.collect(1);
    expect(heap.isTracked(d)).toBe(true);
    heap.gc.collect(2);
    expect(heap.isTracked(d)).toBe(false);
    // {'a': ()}-like: an untracked tuple value does not track the dict; {'a': {}} does
    const e = rt.dict([[k, rt.dict([])]]);
    expect(heap.isTracked(e)).toBe(true);
    const t = rt.tuple([one]);
    heap.gc.collect();
    expect(heap.isTracked(t)).toBe(false);
    const f = rt.dict([[k, t]]);
    expect(heap.isTracked(f)).toBe(false);
  });

  it('runs __del__ once, keeps resurrected objects: Phoenix gives 0 then 400', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const graveyard = rt.list([]);
    const finalized: number[] = [];
    heap.setHooks({
      runFinalizer: (id) => {
        finalized.push(id);
        rt.append(graveyard, id);
      },
    });
    const Phoenix = rt.klass('Phoenix', { del: true });
    for (let i = 0; i < 200; i++) {
      const p = rt.instance(Phoenix, 1);
      const q = rt.instance(Phoenix, 1);
      rt.setAttr(p, 0, q);
      rt.setAttr(q, 0, p);
      heap.decref(p);
      heap.decref(q);
    }
    expect(heap.gc.collect()).toBe(0);
    expect(finalized.length).toBe(400);
    expect(heap.refLen(graveyard)).toBe(400);
    expect(heap.gc.isFinalized(heap.getRef(graveyard, 0))).toBe(true);
    heap.setRefLen(graveyard, 0); // del graveyard[:]
    expect(heap.gc.collect()).toBe(400);
    expect(finalized.length).toBe(400);
  });

  it('__del__ in cycles runs once per object and the cycles are freed', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    let closed = 0;
    heap.setHooks({ runFinalizer: () => closed++ });
    const R = rt.klass('Resource', { del: true });
    for (let i = 0; i < 2000; i++) {
      const a = rt.instance(R, 1);
      const b = rt.instance(R, 1);
      rt.setAttr(a, 0, b);
      rt.setAttr(b, 0, a);
      heap.decref(a);
      heap.decref(b);
    }
    const collected = heap.gc.getStats().reduce((s, g) => s + g.collected, 0);
    expect(collected + heap.gc.collect()).toBe(4000);
    expect(closed).toBe(4000);
  });

  it('finalizers that break their own cycle free it by refcounting: collect() then returns 0', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const calls: number[] = [];
    heap.setHooks({
      runFinalizer: (id) => {
        calls.push(id);
        rt.setAttr(id, 0, NULL); // self.peer = None
      },
    });
    const R = rt.klass('R', { del: true });
    const a = rt.instance(R, 1);
    const b = rt.instance(R, 1);
    rt.setAttr(a, 0, b);
    rt.setAttr(b, 0, a);
    heap.decref(a);
    heap.decref(b);
    const live = heap.liveObjects;
    expect(heap.gc.collect()).toBe(0);
    expect(calls.sort()).toEqual([a, b].sort());
    expect(heap.liveObjects).toBe(live - 2);
    expect(heap.gc.getStats()[2].collected).toBe(0);
  });

  it('a collection started from code run while an object is being freed never sees it', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const A = rt.klass('A');
    const a = rt.instance(A, 1);
    const child = rt.list([]);
    rt.setAttr(a, 0, child);
    heap.decref(child);
    let collected = -1;
    heap.setHooks({
      onFree: (id) => {
        if (id === a) collected = heap.gc.collect(); // e.g. a generator's finally block calling gc.collect()
      },
    });
    const cb = rt.list([]);
    heap.newWeakref(rt.T.weakref, a, cb, 80, 0);
    heap.setHooks({ runWeakrefCallback: () => heap.gc.collect() });
    heap.decref(a);
    expect(collected).toBe(0);
    expect(heap.isAlive(a)).toBe(false);
    expect(heap.isAlive(child)).toBe(false);
    expect(heap.checkInvariants()).toEqual([]);
  });

  it('decref of a dead object is an error, not a silent corruption', () => {
    const rt = makeRuntime();
    const l = rt.list([]);
    rt.heap.decref(l);
    expect(() => rt.heap.decref(l)).toThrow(RangeError);
  });

  it('__del__ on a refcount free runs once and can resurrect', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const keep = rt.list([]);
    let calls = 0;
    heap.setHooks({
      runFinalizer: (id) => {
        calls++;
        rt.append(keep, id);
      },
    });
    const P = rt.klass('P', { del: true });
    const p = rt.instance(P);
    heap.decref(p);
    expect(heap.isAlive(p)).toBe(true);
    expect(heap.isTracked(p)).toBe(true);
    heap.setRefLen(keep, 0);
    expect(heap.isAlive(p)).toBe(false);
    expect(calls).toBe(1);
  });

  it('DEBUG_SAVEALL: 500 self-loops are collected into gc.garbage', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const Blob = rt.klass('Blob');
    for (let i = 0; i < 500; i++) {
      const b = rt.instance(Blob, 1);
      rt.setAttr(b, 0, b);
      heap.decref(b);
    }
    heap.gc.setDebug(DEBUG_SAVEALL);
    expect(heap.gc.collect()).toBe(500);
    expect(heap.gc.garbage.length).toBe(500);
    expect(heap.isAlive(heap.gc.garbage[0])).toBe(true);
    // they are re-examined by later collections (still in gen 2)
    expect(heap.gc.collect()).toBe(0);
    expect(heap.gc.getStats()[2].collected).toBe(500);
  });

  it('legacy finalizers (tp_del) make a cycle uncollectable, with what it reaches', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const L = rt.klass('Legacy', { legacy: true });
    const a = rt.instance(L, 1);
    const inner = rt.list([]);
    rt.setAttr(a, 0, inner);
    heap.appendRef(inner, a);
    heap.decref(a);
    heap.decref(inner);
    const out: string[] = [];
    heap.setHooks({ onOutput: (t) => out.push(t) });
    heap.gc.setDebug(4);
    expect(heap.gc.collect()).toBe(2);
    expect(heap.gc.getStats()[2]).toEqual({ collections: 1, collected: 0, uncollectable: 2 });
    expect(heap.gc.garbage).toEqual([a]);
    expect(out.filter((l) => l.startsWith('gc: uncollectable')).length).toBe(2);
  });

  it('weakrefs: cleared for unreachable targets; callbacks run only for live weakrefs', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const calls: number[] = [];
    heap.setHooks({ runWeakrefCallback: (w) => calls.push(w) });
    const A = rt.klass('A');
    const cb = rt.list([]); // stands for a callable
    const a = rt.instance(A, 1);
    rt.setAttr(a, 0, a);
    const live = heap.newWeakref(rt.T.weakref, a, cb, 80, 0);
    const noCb = heap.newWeakref(rt.T.weakref, a, NULL, 80, 0);
    // a weakref inside the garbage: cleared, its callback not called
    const b = rt.instance(A, 1);
    const trashWr = heap.newWeakref(rt.T.weakref, a, cb, 80, 0);
    rt.setAttr(b, 0, trashWr);
    heap.decref(trashWr);
    heap.appendRef(trashWr, b); // make b <-> trashWr a cycle
    heap.decref(a);
    heap.decref(b);
    const collected = heap.gc.collect();
    expect(calls).toEqual([live]);
    expect(heap.weakrefTarget(live)).toBe(NULL);
    expect(heap.weakrefTarget(noCb)).toBe(NULL);
    expect(collected).toBe(3);
    heap.decref(live);
    // a weakref freed by its own callback counts as collected
    const c = rt.instance(A, 1);
    rt.setAttr(c, 0, c);
    const w = heap.newWeakref(rt.T.weakref, c, cb, 80, 0);
    heap.setHooks({ runWeakrefCallback: () => heap.decref(w) });
    heap.decref(c);
    expect(heap.gc.collect()).toBe(2);
  });

  it('a weakref callback runs when its target is freed by refcounting', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const seen: number[] = [];
    heap.setHooks({ runWeakrefCallback: (w) => seen.push(heap.weakrefTarget(w)) });
    const a = rt.instance(rt.klass('A'));
    const w = heap.newWeakref(rt.T.weakref, a, rt.list([]), 80, 0);
    heap.decref(a);
    expect(seen).toEqual([NULL]);
    expect(heap.isAlive(w)).toBe(true);
    heap.decref(w);
    expect(heap.isAlive(w)).toBe(false);
    expect(heap.checkInvariants()).toEqual([]);
  });

  it('freeing an object with several weakrefs: callbacks detached, a 2n-tuple allocated, newest weakref first', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const calls: number[] = [];
    heap.setHooks({ runWeakrefCallback: (w, cb) => calls.push(w, cb) });
    const a = rt.instance(rt.klass('A'));
    const cb1 = rt.list([]);
    const cb2 = rt.list([]);
    const w1 = heap.newWeakref(rt.T.weakref, a, cb1, 80, 0);
    const basic = heap.newWeakref(rt.T.weakref, a, NULL, 80, 0);
    const w2 = heap.newWeakref(rt.T.weakref, a, cb2, 80, 0);
    const dead = heap.newWeakref(rt.T.weakref, a, cb1, 80, 0);
    heap.decref(dead); // freed at once: the target's list does not keep it alive
    expect(heap.weakrefsTo(a)).toEqual([basic, w2, w1]);
    heap.decref(cb1);
    heap.decref(cb2);
    heap.count[0] = 0;
    heap.decref(a);
    expect(calls).toEqual([w2, cb2, w1, cb1]);
    expect(heap.weakrefTarget(basic)).toBe(NULL);
    expect(heap.isAlive(cb2)).toBe(false); // the callbacks were given up and the tuple freed
    expect(heap.isAlive(cb1)).toBe(false);
    expect(heap.getRef(w2, 0)).toBe(NULL);
    expect(heap.freelistSize('tuple', 4)).toBe(1); // the (w2, cb2, w1, cb1) tuple went to its freelist
    expect(heap.gc.getCount()[0]).toBe(0); // tuple +1, instance freed -1
    expect(heap.checkInvariants()).toEqual([]);
  });

  it('collect() returns 0 while a collection runs; allocations in finalizers do not nest collections', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const nested: number[] = [];
    heap.gc.setThreshold(1);
    heap.setHooks({
      runFinalizer: () => {
        nested.push(heap.gc.collect());
        for (let i = 0; i < 10; i++) heap.decref(rt.list([], false));
      },
    });
    heap.gc.disable();
    const D = rt.klass('D', { del: true });
    const d = rt.instance(D, 1);
    rt.setAttr(d, 0, d);
    heap.decref(d);
    heap.gc.enable();
    const events = record(heap);
    heap.gc.collect();
    expect(nested).toEqual([0]);
    expect(events.length).toBe(1);
  });

  it('gc.callbacks: start/stop around every collection; the info dict allocated at stop counts', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const seen: string[] = [];
    heap.gc.callbacksInstalled = true;
    heap.setHooks({
      onGcCallback: (phase, gen, collected) => {
        seen.push(`${phase}:${gen}:${collected}`);
        rt.dict([], false); // the info dict, kept alive as a callback storing it would
      },
    });
    const a = rt.instance(rt.klass('A'), 1);
    rt.setAttr(a, 0, a);
    heap.decref(a);
    heap.gc.collect(0);
    expect(seen).toEqual(['start:0:0', 'stop:0:1']);
    expect(heap.gc.getCount()[0]).toBe(1); // start's allocations were reset by the collection
  });

  it('the shutdown collection (_PyGC_CollectNoFail) skips gc.callbacks but counts in get_stats', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const phases: string[] = [];
    heap.gc.callbacksInstalled = true;
    heap.setHooks({ onGcCallback: (phase) => phases.push(phase) });
    const a = rt.instance(rt.klass('A'), 1);
    rt.setAttr(a, 0, a);
    heap.decref(a);
    expect(heap.gc.collectNoFail()).toBe(1);
    expect(phases).toEqual([]);
    expect(heap.gc.getStats()[2]).toEqual({ collections: 1, collected: 1, uncollectable: 0 });
  });

  it('freeze moves everything to the permanent generation and resets the counts; unfreeze to gen 2', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    for (let i = 0; i < 5; i++) rt.list([]);
    heap.gc.collect(0);
    rt.list([]);
    heap.freeze();
    expect(heap.gc.getCount()).toEqual([0, 0, 0]);
    expect(heap.gc.getFreezeCount()).toBe(6);
    expect(heap.gc.getObjects()).toEqual([]);
    heap.gc.collect();
    expect(heap.gc.getFreezeCount()).toBe(6);
    heap.gc.unfreeze();
    expect(heap.gc.getObjects(2).length).toBe(6);
    expect(heap.gc.getFreezeCount()).toBe(0);
  });

  it('tuples of 1..20 items go to their freelist (3.11.7), larger ones are freed', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const x = rt.int();
    heap.decref(rt.tuple(new Array(20).fill(x)));
    heap.decref(rt.tuple(new Array(21).fill(x)));
    heap.decref(rt.tuple([x]));
    expect(heap.freelistSize('tuple', 20)).toBe(1);
    expect(heap.freelistSize('tuple', 21)).toBe(0);
    expect(heap.freelistSize('tuple', 1)).toBe(1);
  });

  it('a full collection empties every freelist; the next allocations count', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    for (let i = 0; i < 10; i++) heap.decref(rt.list([rt.int()]));
    expect(heap.freelistSize('list')).toBe(1);
    heap.decref(rt.tuple([rt.int()]));
    expect(heap.freelistSize('tuple', 1)).toBe(1);
    heap.gc.collect(1);
    expect(heap.freelistSize('list')).toBe(1);
    heap.gc.collect(2);
    expect(heap.freelistSize('list')).toBe(0);
    expect(heap.freelistSize('tuple', 1)).toBe(0);
    const before = heap.gc.getCount()[0];
    rt.list([]);
    expect(heap.lastAllocFromFreelist).toBe(false);
    expect(heap.gc.getCount()[0]).toBe(before + 1);
  });

  it('get_objects / get_referrers / get_referents / is_tracked', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const x = rt.int();
    const l = rt.list([x]);
    const outer = rt.list([l]);
    expect(heap.gc.getObjects(0)).toEqual([l, outer]);
    expect(heap.gc.getReferrers(l)).toEqual([outer]);
    expect(heap.gc.getReferents(outer)).toEqual([l]);
    expect(heap.gc.getReferents(x)).toEqual([]);
    expect(heap.gc.isTracked(x)).toBe(false);
    expect(heap.listSize(GEN0)).toBe(2);
    expect(heap.listSize(GEN1)).toBe(0);
  });

  it('baseline: N long-lived objects in gen 2 with long_lived_total = N', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    heap.createBaseline(7558);
    expect(heap.gc.getObjects(2).length).toBe(7558);
    expect(heap.longLivedTotal).toBe(7558);
    const events = record(heap);
    rt.list([]);
    heap.gc.collect(1);
    expect(events[0].sizes).toEqual([1, 0, 7558, 0]);
    expect(heap.snapshot().some((r) => r.typeName === '<baseline>')).toBe(false);
  });

  it('baseline: objects allocated before join gen 2 and the counts start at [0, 0, 0]', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const early = rt.list([]);
    heap.decref(rt.list([])); // one list waits on the freelist
    heap.createBaseline(10);
    expect(heap.gc.getCount()).toEqual([0, 0, 0]);
    expect(heap.generationOf(early)).toBe(2);
    expect(heap.longLivedTotal).toBe(11);
    expect(heap.freelistSize('list')).toBe(0);
    expect(heap.gc.getStats()[2].collections).toBe(0);
  });
});

describe('tracemalloc and extra bytes', () => {
  it('traces only allocations made while tracing, with extra bytes, and keeps the peak', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const before = rt.instance(rt.klass('A'));
    heap.tracemallocStart();
    const C = rt.klass('C');
    const o = heap.alloc(heap.typeOf(rt.instance(C)), 56, 0, { extraBytes: 40 });
    expect(heap.isTraced(o)).toBe(true);
    const afterAlloc = heap.tracedBytes;
    expect(afterAlloc).toBe(1688 + 56 + 56 + 40);
    heap.decref(before); // allocated before start(): not traced, so no change
    expect(heap.tracedBytes).toBe(afterAlloc);
    heap.setExtraBytes(o, 264);
    expect(heap.tracedBytes).toBe(afterAlloc + 224);
    expect(heap.metrics().extraBytes).toBe(264);
    heap.decref(o);
    expect(heap.tracedBytes).toBe(afterAlloc + 224 - 56 - 264);
    expect(heap.tracedPeak).toBe(afterAlloc + 224);
    heap.resetTracedPeak();
    expect(heap.tracedPeak).toBe(heap.tracedBytes);
    // a traced list waiting on the freelist stays traced (its struct is not freed)
    const l = rt.list([]);
    const withList = heap.tracedBytes;
    heap.decref(l);
    expect(heap.tracedBytes).toBe(withList);
    heap.gc.collect(); // clear_freelists frees it
    expect(heap.tracedBytes).toBe(withList - 56);
    heap.tracemallocStop();
    expect(heap.tracedBytes).toBe(0);
  });
});

describe('transient allocations', () => {
  it('noteTransientAlloc raises only the traced peak (a resize that builds the new table first)', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    heap.noteTransientAlloc(1000); // not tracing: nothing
    expect(heap.tracedPeak).toBe(0);
    heap.tracemallocStart();
    const d = rt.dict([]);
    const before = heap.tracedBytes;
    heap.noteTransientAlloc(272);
    heap.resize(d, 272);
    expect(heap.tracedBytes).toBe(before - 64 + 272);
    expect(heap.tracedPeak).toBe(before + 272);
  });
});

describe('refcounting frees', () => {
  it('frees a 1M-long chain without overflowing the stack, reusing ids', () => {
    const rt = makeRuntime({ capacity: 1 << 20 });
    const { heap } = rt;
    heap.gc.disable();
    const head = rt.list([]);
    let cur = head;
    for (let i = 0; i < 1_000_000; i++) {
      const n = rt.list([], false);
      heap.appendRef(cur, n);
      heap.decref(n);
      cur = n;
    }
    expect(heap.liveObjects).toBe(1_000_001);
    const freed: number[] = [];
    heap.setHooks({ onFree: (id) => freed.length < 3 && freed.push(id) });
    heap.decref(head);
    expect(heap.liveObjects).toBe(0);
    expect(freed[0]).toBe(head);
    const again = rt.list([]);
    expect(again).toBeLessThan(FIRST_ID_PLUS_MILLION);
  });

  it('referent operations adjust refcounts', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const l = rt.list([]);
    const a = rt.int();
    const b = rt.int();
    heap.appendRef(l, a);
    heap.insertRef(l, 0, b);
    expect(heap.refsOf(l)).toEqual([b, a]);
    expect(heap.refcount(a)).toBe(2);
    heap.setRef(l, 1, b);
    expect(heap.refcount(a)).toBe(1);
    expect(heap.refcount(b)).toBe(3);
    const p = heap.popRef(l, 0);
    expect(p).toBe(b);
    expect(heap.refcount(b)).toBe(3);
    heap.decref(p);
    heap.removeRef(l, 0);
    expect(heap.refLen(l)).toBe(0);
    expect(heap.refcount(b)).toBe(1);
    heap.setRefLen(l, 3);
    expect(heap.refsOf(l)).toEqual([NULL, NULL, NULL]);
    expect(() => heap.getRef(l, 3)).toThrow(RangeError);
  });
});

const FIRST_ID_PLUS_MILLION = 16 + 1_000_001;
