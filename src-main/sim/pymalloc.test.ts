import { describe, expect, it } from 'vitest';
import { makeRuntime } from './testkit';
import { ARENA_SIZE, blocksPerPool, LARGE, NONE, PyMalloc, sizeClassOf } from './pymalloc';

describe('§6 pymalloc', () => {
  it('16-byte size classes up to 512 B; larger requests go to the system allocator', () => {
    expect([sizeClassOf(1), sizeClassOf(16), sizeClassOf(17), sizeClassOf(512)]).toEqual([0, 0, 1, 31]);
    expect([blocksPerPool(0), blocksPerPool(1)]).toEqual([1021, 510]);
    const m = new PyMalloc();
    expect(m.alloc(0)).toBe(NONE);
    expect(m.alloc(513)).toBe(LARGE);
    expect(m.largeBytes).toBe(513);
    expect(m.arenasAllocated).toBe(0);
    const p = m.alloc(24);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(m.arenasAllocated).toBe(1);
    expect(m.blockBytes).toBe(32);
    expect(m.heldBytes).toBe(ARENA_SIZE + 513);
  });

  it('fills a pool before taking another; 63 usable pools per 1 MiB arena', () => {
    const m = new PyMalloc();
    const pools = new Set<number>();
    for (let i = 0; i < 1021; i++) pools.add(m.alloc(16));
    expect(pools.size).toBe(1);
    pools.add(m.alloc(16));
    expect(pools.size).toBe(2);
    const m2 = new PyMalloc();
    const perPool = blocksPerPool(31);
    expect(perPool).toBe(31);
    for (let i = 0; i < 63 * perPool; i++) m2.alloc(512);
    expect(m2.arenasAllocated).toBe(1);
    m2.alloc(512);
    expect(m2.arenasAllocated).toBe(2);
  });

  it('releases an arena only when wholly empty, except the last usable arena', () => {
    const m = new PyMalloc();
    const perArena = 63 * blocksPerPool(31);
    const handles: number[] = [];
    for (let i = 0; i < perArena * 3; i++) handles.push(m.alloc(512));
    expect(m.arenasAllocated).toBe(3);
    const freeArena = (a: number, keepFirst = false) => {
      for (let i = a * perArena + (keepFirst ? 1 : 0); i < (a + 1) * perArena; i++) m.free(handles[i], 512);
    };
    // arena 0 empties while it is the only usable arena: kept (bpo-37257)
    freeArena(0);
    expect(m.arenasAllocated).toBe(3);
    // one live block pins arena 1
    freeArena(1, true);
    expect(m.arenasAllocated).toBe(3);
    m.free(handles[perArena], 512);
    expect(m.arenasAllocated).toBe(2);
    expect(m.arenasReclaimed).toBe(1);
    freeArena(2);
    expect(m.arenasAllocated).toBe(1);
    expect(m.blockBytes).toBe(0);
    expect(m.heldBytes).toBe(ARENA_SIZE);
  });

  it('keeps usable_arenas sorted by free pools, fullest first', () => {
    const m = new PyMalloc();
    const per = blocksPerPool(31);
    const handles: number[] = [];
    for (let i = 0; i < 63 * per * 3; i++) handles.push(m.alloc(512));
    // empty 5 pools in arena 0, 2 pools in arena 1, 9 pools in arena 2
    const emptyPools = (arenaIndex: number, pools: number) => {
      for (let p = 0; p < pools; p++) for (let b = 0; b < per; b++) m.free(handles[(arenaIndex * 63 + p) * per + b], 512);
    };
    emptyPools(0, 5);
    emptyPools(1, 2);
    emptyPools(2, 9);
    const order = m.usableArenaOrder();
    expect(order.map((a) => m.arenaFreePoolCount(a))).toEqual([2, 5, 9]);
    // the next new pool comes from the fullest arena
    const h = m.alloc(48);
    expect(m.arenaOf(h)).toBe(order[0]);
  });
});

describe('sys._debugmallocstats()', () => {
  it('prints the pymalloc tables in CPython 3.11 format, totals adding up to the arenas', () => {
    const m = new PyMalloc();
    for (let i = 0; i < 12; i++) m.alloc(16);
    for (let i = 0; i < 3; i++) m.alloc(500);
    const text = m.debugStats();
    const lines = text.split('\n');
    expect(lines[0]).toBe('Small block threshold = 512, in 32 size classes.');
    expect(lines).toContain('    0     16           1              12          1009');
    expect(lines).toContain('   31    512           1               3            28');
    expect(lines).toContain('# arenas allocated current         =                    1');
    expect(lines).toContain('1 arenas * 1048576 bytes/arena     =            1,048,576');
    expect(lines).toContain('61 unused pools * 16384 bytes      =              999,424');
    expect(lines).toContain('# bytes lost to arena alignment    =               16,384');
    expect(lines).toContain('Total                              =            1,048,576');
  });

  it('lists the freelists like _PyObject_DebugTypeStats', () => {
    const rt = makeRuntime();
    rt.heap.decref(rt.list([]));
    const text = rt.heap.debugMallocStats();
    expect(text).toContain('            1 free PyListObjects * 40 bytes each =                   40\n');
    expect(text).toContain('   0 free 1-sized PyTupleObjects * 32 bytes each =                    0\n');
    expect(text).toContain(' 0 free 20-sized PyTupleObjects * 184 bytes each =                    0\n');
  });
});
