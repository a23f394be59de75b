import { describe, expect, it } from 'vitest';
import { Heap } from '../../heap';
import type { CollectionEvent } from '../../types';
import { collectionCostNs } from '../../clock';

describe('the generational collector behind the Collector seam', () => {
  it('generations are data: metrics and events carry one entry per generation', () => {
    const heap = new Heap({ profile: '3.13' });
    const T = heap.defineType({ name: 'Node', gc: true, kind: 'instance' });
    const events: CollectionEvent[] = [];
    heap.addListener({ onCollection: (e) => events.push(e) });
    const a = heap.alloc(T, 48, 1);
    heap.alloc(T, 48, 1); // leaked on purpose: stays in gen 0
    const m = heap.metrics();
    expect(heap.collector.generations).toBe(3);
    expect(m.generations).toEqual([2, 0, 0]);
    expect(m.counts).toEqual([2, 0, 0]);
    expect([m.gen0, m.count0]).toEqual([2, 2]);
    heap.decref(a);
    heap.gc.collect(0);
    expect(events).toHaveLength(1);
    expect(events[0].sizes).toEqual([1, 0, 0, 0]); // gen0, gen1, gen2, permanent at the start
    expect(events[0].count).toEqual([1, 0, 0]);
    expect(heap.metrics().generations).toEqual([0, 1, 0]);
    expect(heap.generationOf(a + 1)).toBe(1);
  });
  it('the simulated clock counts collection work (clock.ts): gcWorkNs sums every collection', () => {
    const heap = new Heap({ profile: '3.11' });
    const L = heap.defineType({ name: 'list', gc: true, kind: 'list' });
    const elapsed: number[] = [];
    heap.addListener({ onCollection: (e) => elapsed.push(e.elapsed) });
    const a = heap.alloc(L, 56, 1);
    const b = heap.alloc(L, 56, 1);
    heap.appendRef(a, b);
    heap.appendRef(b, a);
    heap.decref(b);
    expect(heap.gcWorkNs).toBe(0);
    heap.gc.collect();
    // a is still held by the caller: 2 objects examined, 2 referents visited by subtract_refs and
    // 2 by move_unreachable (a and then b are reachable)
    expect(heap.gcWorkNs).toBe(collectionCostNs(2, 4));
    expect(elapsed[0] * 1e9).toBeCloseTo(heap.gcWorkNs, 6);
    heap.decref(a);
    heap.gc.collect();
    // now both are garbage: subtract_refs alone visits their referents
    expect(heap.gcWorkNs).toBe(collectionCostNs(2, 4) + collectionCostNs(2, 2));
    expect(heap.metrics().gcWorkNs).toBe(heap.gcWorkNs);
  });
  it('wrong generation numbers are refused by gc.collect and gc.get_objects', () => {
    const heap = new Heap();
    expect(() => heap.gc.collect(3)).toThrow(RangeError);
    expect(() => heap.gc.getObjects(3)).toThrow(/number of available generations \(3\)/);
    expect(() => new Heap({ thresholds: [700, 10] })).toThrow(/3 thresholds expected/);
  });
});
