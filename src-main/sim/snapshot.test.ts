import { describe, expect, it } from 'vitest';
import { NULL } from './heap';
import { makeRuntime } from './testkit';
import { diffSnapshots, leakSuspects } from './snapshot';

describe('snapshots, roots and retainers', () => {
  it('aggregates live objects by (type, site) with counts and getsizeof bytes', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const keep = rt.list([], true, 1);
    for (let i = 0; i < 10; i++) {
      const l = rt.list([], true, 7);
      rt.append(keep, l);
      heap.decref(l);
    }
    const x = rt.int(5, 9);
    const rows = heap.snapshot();
    const lists7 = rows.find((r) => r.typeName === 'list' && r.site === 7)!;
    expect(lists7).toMatchObject({ count: 10, bytes: 560 });
    const root = rows.find((r) => r.typeName === 'list' && r.site === 1)!;
    expect(root.count).toBe(1);
    expect(root.bytes).toBe(heap.sizeOf(keep));
    expect(rows.find((r) => r.typeName === 'int')).toMatchObject({ site: 9, count: 1, bytes: 28 });
    expect(rows.reduce((s, r) => s + r.bytes, 0)).toBe(heap.metrics().liveBytes);
    heap.decref(x);
    expect(heap.snapshot().find((r) => r.typeName === 'int')).toBeUndefined();
  });

  it('finds roots (externally referenced objects) and the shortest retaining chain', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const C = rt.klass('Node');
    const registry = rt.dict([]);
    const k = rt.str('k');
    const a = rt.instance(C, 1);
    const b = rt.list([]);
    const leaf = rt.list([]);
    rt.setAttr(a, 0, b);
    heap.appendRef(b, leaf);
    rt.dictSet(registry, k, a);
    heap.decref(a);
    heap.decref(b);
    heap.decref(leaf);
    expect(heap.roots()).toContain(registry);
    expect(heap.roots()).not.toContain(a);
    const path = heap.retainerPath(leaf)!;
    expect(path.map((s) => s.id)).toEqual([registry, a, b, leaf]);
    expect(path.map((s) => s.refIndex)).toEqual([1, 1, 0, -1]);
    // an unreachable cycle has no retainer path from the roots
    const c = rt.instance(C, 1);
    rt.setAttr(c, 0, c);
    heap.decref(c);
    expect(heap.retainerPath(c, heap.roots().filter((r) => r !== c))).toBeNull();
    expect(heap.retainerPath(NULL)).toBeNull();
  });

  it('reports metrics: live bytes, arena bytes, objects, generations and counts', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const before = heap.metrics();
    expect(before.arenaBytes).toBe(0);
    const keep = rt.list([]);
    for (let i = 0; i < 1000; i++) {
      const l = rt.list([], false);
      rt.append(keep, l);
      heap.decref(l);
    }
    const m = heap.metrics();
    expect(m.objects).toBe(1001);
    expect(m.liveBytes).toBe(1000 * 56 + heap.sizeOf(keep));
    expect(m.arenas).toBe(1);
    expect(m.arenaBytes).toBe(1048576 + heap.sizeOf(keep)); // the big list is a system malloc
    expect(m.fragmentation).toBeGreaterThan(0.9);
    expect(m.gen0 + m.gen1 + m.gen2).toBe(1001);
    expect(m.count0).toBe(heap.gc.getCount()[0]);
  });

  it('delivers a trace of one collection: gc_refs, unreachable, finalized, survivors', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    heap.setHooks({ runFinalizer: () => undefined });
    const D = rt.klass('D', { del: true });
    const cls = heap.gc.getObjects(0);
    heap.gc.collect();
    const keep = rt.list([]);
    const a = rt.instance(D, 1);
    rt.setAttr(a, 0, a);
    heap.decref(a);
    heap.traceNextCollection = true;
    let trace = null as null | NonNullable<Parameters<NonNullable<Parameters<typeof heap.addListener>[0]['onCollection']>>[0]['trace']>;
    heap.addListener({ onCollection: (e) => (trace = e.trace ?? null) });
    heap.gc.collect(0);
    expect(trace!.young).toEqual([keep, a]);
    expect(trace!.gcRefs).toEqual([1, 0]);
    expect(trace!.unreachable).toEqual([a]);
    expect(trace!.finalized).toEqual([a]);
    expect(trace!.survivors).toEqual([keep]);
    expect(trace!.collected).toEqual([a]);
    expect(cls.length).toBe(1);
  });
});

describe('snapshot diffs and leak suspects', () => {
  it('diffs by (type, site) and flags monotonically growing groups', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    const cache = rt.dict([], true, 1);
    const k = rt.str('k', 2);
    const snaps = [heap.snapshot()];
    let churn = rt.list([], true, 4);
    for (let step = 0; step < 3; step++) {
      for (let i = 0; i < 10; i++) {
        const v = rt.list([], false, 3); // cache[key] = [...] : never evicted
        rt.dictSet(cache, k, v);
        heap.decref(v);
      }
      heap.decref(churn);
      churn = rt.list([], true, 4 + step); // a temporary that moves between sites
      snaps.push(heap.snapshot());
    }
    const diff = diffSnapshots(snaps[0], snaps[3]);
    const leaked = diff.find((d) => d.typeName === 'list' && d.site === 3)!;
    expect(leaked).toMatchObject({ countBefore: 0, countAfter: 30, bytesDelta: 30 * 56 });
    expect(diff.some((d) => d.typeName === 'str')).toBe(false);
    const suspects = leakSuspects(snaps, 10);
    expect(suspects.map((s) => [s.typeName, s.site])).toEqual([['list', 3]]);
    expect(suspects[0].counts).toEqual([0, 10, 20, 30]);
  });
});

describe('detailed snapshot (groups with generations, compact graph)', () => {
  it('groups by (type, site) with getsizeof + extra bytes and the generation split; builds the CSR graph', () => {
    const rt = makeRuntime();
    const { heap } = rt;
    heap.createBaseline(3);
    const C = rt.klass('C', {}, 1);
    const keep = rt.list([], true, 2);
    for (let i = 0; i < 4; i++) {
      const o = heap.alloc(heap.typeOf(rt.instance(C, 0, 9)), 56, 3, { extraBytes: 40 });
      heap.appendRef(o, C);
      rt.append(keep, o);
      heap.decref(o);
      if (i === 1) heap.gc.collect(0);
    }
    const snap = heap.snapshotDetailed();
    const inst = snap.groups.find((g) => g.typeName === 'C' && g.site === 3)!;
    expect(inst.count).toBe(4);
    expect(inst.bytes).toBe(4 * 96);
    expect(inst.generations).toEqual([0, 2, 2, 0, 0]);
    const base = snap.groups.find((g) => g.site === -1)!;
    expect(base.generations).toEqual([0, 0, 0, 3, 0]);
    const g = snap.graph!;
    expect(g.ids.length).toBe(heap.liveObjects);
    const k = g.ids.indexOf(keep);
    const targets = g.edgeTargets.slice(g.edgeStart[k], g.edgeStart[k + 1]).map((j) => g.ids[j]);
    expect(targets).toEqual(heap.refsOf(keep));
    expect(g.externalRefs[k]).toBe(1); // our reference to `keep`
    expect(g.externalRefs[g.ids.indexOf(targets[0])]).toBe(0); // held only by `keep`
    expect(heap.snapshotDetailed(3).graph).toBeNull();
    expect(heap.snapshotDetailed(3).graphOmitted).toMatch(/live objects/);
  });
});
