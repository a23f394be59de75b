import { describe, expect, it } from 'vitest';
import { SharedKeys, dictLog2ForInsert, dictLog2Presized, dictSize, dictUsable, intSize, listPreallocateExact, listResize, listSize, setSize as setSizeOf, setTableAfterAdd, tupleSize, SIZES_311, SIZES_313 } from './sizes';

const z = SIZES_311;

/** getsizeof of a list grown by appends from empty, at each length. */
function appendedListSizes(upTo: number): Map<number, number> {
  const out = new Map<number, number>();
  let allocated = 0;
  for (let len = 0; len < upTo; len++) {
    allocated = listResize(allocated, len, len + 1);
    out.set(len + 1, z.list(allocated));
  }
  return out;
}

/** getsizeof of a dict after inserting n distinct keys one by one. */
function insertedDictSize(n: number, strKeys: boolean): number {
  let log2 = 3;
  for (let used = 0; used < n; used++) log2 = dictLog2ForInsert(log2, used, used);
  return z.dict(log2, strKeys);
}

function setSize(n: number): number {
  let table = 8;
  for (let used = 1; used <= n; used++) table = setTableAfterAdd(table, used, used);
  return z.set(table);
}

describe('§5.1 sys.getsizeof on 3.11 (measured table)', () => {
  it('ints, floats, bool, None, bytes', () => {
    expect([0, 1, -1, 2 ** 30 - 1].map(z.int)).toEqual([28, 28, 28, 28]);
    expect(z.int(2 ** 30)).toBe(32);
    expect(z.int(2 ** 60)).toBe(36);
    expect(z.int(2n ** 64n)).toBe(36);
    expect(z.int(10n ** 100n)).toBe(72);
    expect([z.float, z.bool, z.none, z.bytes(0), z.bytes(5), z.bytearrayEmpty]).toEqual([24, 28, 16, 33, 38, 56]);
  });
  it('str by kind', () => {
    expect(z.str('')).toBe(49);
    expect(z.str('abc')).toBe(52);
    expect([z.str('é'), z.str('é'.repeat(10))]).toEqual([74, 83]);
    expect([z.str('€'), z.str('€'.repeat(10))]).toEqual([76, 94]);
    expect([z.str('😀'), z.str('😀'.repeat(10))]).toEqual([80, 116]);
    expect([SIZES_313.str('abc'), SIZES_313.str('€'), SIZES_313.str('😀'.repeat(10))]).toEqual([44, 60, 100]);
  });
  it('lists: literals and append growth', () => {
    // `[]`, `[1]` (BUILD_LIST: PyList_New(n), exact), `[1,2,3]` (LIST_EXTEND of a constant tuple) and
    // list(range(10)) (list_extend with a length hint): list_preallocate_exact rounds up to even
    expect([z.list(0), z.list(1), z.list(listPreallocateExact(3)), z.list(listPreallocateExact(10))]).toEqual([56, 64, 88, 136]);
    expect([z.list(3), z.list(listPreallocateExact(5))]).toEqual([80, 104]);
    const grown = appendedListSizes(129);
    const expected: [number, number][] = [[1, 88], [5, 120], [9, 184], [17, 248], [25, 312], [33, 376], [41, 472], [53, 568], [65, 664], [77, 792], [93, 920], [109, 1080], [129, 1240]];
    for (const [len, size] of expected) expect(grown.get(len)).toBe(size);
    expect(grown.get(4)).toBe(88);
    expect(grown.get(10)).toBe(184); // list-comp of 10 items
    expect(appendedListSizes(100).get(100)).toBe(920);
  });
  it('tuples, dicts, sets', () => {
    expect([z.tuple(0), z.tuple(1), z.tuple(3)]).toEqual([40, 48, 64]);
    expect(z.dictEmpty).toBe(64);
    const steps: [number, number, number][] = [[1, 184, 224], [5, 184, 224], [6, 272, 352], [10, 272, 352], [11, 464, 632], [21, 464, 632], [22, 832, 1168], [42, 832, 1168], [43, 1584, 2264], [85, 1584, 2264], [86, 3328, 4688], [170, 3328, 4688]];
    for (const [n, str, int] of steps) {
      expect(insertedDictSize(n, true)).toBe(str);
      expect(insertedDictSize(n, false)).toBe(int);
    }
    expect(dictUsable(3)).toBe(5);
    expect(dictLog2Presized(5)).toBe(3);
    expect(dictLog2Presized(6)).toBe(4);
    expect(dictLog2Presized(11)).toBe(5);
    expect([setSize(0), setSize(1), setSize(4), setSize(5), setSize(18), setSize(19), setSize(76), setSize(77)]).toEqual([216, 216, 216, 728, 728, 2264, 2264, 8408]);
  });
  it('instances, slots, functions and other objects', () => {
    expect([z.instance, z.materializedDict]).toEqual([56, 296]);
    expect([0, 1, 3, 5].map(z.slots)).toEqual([32, 40, 56, 72]);
    expect(z.instanceValues(4)).toBe(40);
    expect(z.instanceValues(30)).toBe(272);
    expect([z.function, z.generator, z.genexpr, z.range, z.boundMethod, z.module, z.object, z.classObject]).toEqual([152, 176, 200, 48, 64, 72, 16, 1688]);
    expect([SIZES_313.instance, SIZES_313.function, SIZES_313.genexpr, SIZES_313.classObject]).toEqual([48, 160, 192, 1704]);
  });
});

describe('§5 managed dict values arrays (3.11)', () => {
  it('the first instance gets a 264-byte array; a 3-attribute class settles at 40 bytes', () => {
    const keys = new SharedKeys();
    expect(keys.newInstance()).toBe(264);
    for (let i = 0; i < 3; i++) expect(keys.addKey()).toBe(true);
    const sizes: number[] = [];
    for (let i = 0; i < 40; i++) sizes.push(keys.newInstance());
    expect(sizes[sizes.length - 1]).toBe(40);
    expect(sizes.every((s, i) => i === 0 || s <= sizes[i - 1])).toBe(true);
    // the keys cannot take a new name once usable is exhausted
    expect(keys.addKey()).toBe(true);
    expect(keys.addKey()).toBe(false);
  });
});

// Where each figure comes from: `sys.getsizeof(...)` run on $(pyenv root)/versions/3.11.7 and
// 3.13.0 (`python3 -S`, 64-bit Linux) on 2026-12-03, e.g.
//   python3.13 -S -c "import sys; print(sys.getsizeof('é'), sys.getsizeof('éé'), sys.getsizeof(chr(233)))"
// → 61 59 61 on 3.13.0 and 74 75 74 on 3.11.7.
describe('one size table for the engine and the front end (measured on 3.11.7 and 3.13.0)', () => {
  it('str on 3.13: ASCII 41+n, Latin-1 57+n, UCS-2 58+2n, UCS-4 60+4n', () => {
    const z13 = SIZES_313;
    // 3.13.0: '' 41, 'a' 42, 'éé' 59, 'é'*3 60, '€' 60, '😀' 64.
    expect([z13.str(''), z13.str('a'), z13.str('éé'), z13.str('ééé'), z13.str('€'), z13.str('😀')]).toEqual([41, 42, 59, 60, 60, 64]);
    // 3.13.0: the 128 one-character Latin-1 strings are static singletons holding their UTF-8 form
    // too ('é', chr(233), 'aé'[1], chr(128), chr(255) all 61 = 57 + 1 + 3). The "58" is
    // 57 + n for a string that has no cached UTF-8 form; no one-character Latin-1 str is such.
    expect([z13.str('é'), z13.str(String.fromCharCode(128)), z13.str('ÿ')]).toEqual([61, 61, 61]);
  });
  it('str on 3.11: one-character Latin-1 strings are plain (73+n)', () => {
    // 3.11.7: 'é' 74, 'éé' 75, '€' 76, 'a' 50, chr(300) 76.
    expect([z.str('é'), z.str('éé'), z.str('€'), z.str('a'), z.str(String.fromCharCode(300))]).toEqual([74, 75, 76, 50, 76]);
  });
  it('figures both versions share (measured on 3.11.7 and 3.13.0)', () => {
    for (const t of [SIZES_311, SIZES_313]) {
      // 0 and 1: 28; 2**30: 32; -2**60: 36 on both.
      expect([t.int(0), t.int(1), t.int(2 ** 30), t.int(-(2 ** 60)), t.int(2n ** 64n)]).toEqual([28, 28, 32, 36, 36]);
      // (), (1,), [], {}, {'a': 1}, {1: 1}, set(), 1.0, None, True, b'', bytearray()
      expect([t.tuple(0), t.tuple(1), t.list(0), t.dictEmpty, t.dict(3, true), t.dict(3, false), t.set(8), t.float, t.none, t.bool, t.bytes(0), t.bytearrayEmpty]).toEqual([
        40, 48, 56, 64, 184, 224, 216, 24, 16, 28, 33, 56,
      ]);
      // a generator of a function without locals, range(3), object(), sys, weakref.ref(cls), a 1-slot instance
      expect([t.generator, t.range, t.object, t.module, t.weakref, t.slots(1)]).toEqual([176, 48, 16, 72, 80, 40]);
      // iter([]), enumerate([]), Exception(), [].append, a traceback
      expect([t.iterator, t.enumerate, t.exception, t.builtinMethod, t.traceback]).toEqual([48, 72, 88, 72, 56]);
    }
    // def f(): …, an instance of a plain class, (x for x in ()): 3.11.7 / 3.13.0
    expect([SIZES_311.function, SIZES_311.instance, SIZES_311.genexpr]).toEqual([152, 56, 200]);
    expect([SIZES_313.function, SIZES_313.instance, SIZES_313.genexpr]).toEqual([160, 48, 192]);
  });
  it('the free functions agree with the tables', () => {
    expect([listSize(3), tupleSize(2), setSizeOf(32), dictSize(0, true), dictSize(3, true), intSize(2 ** 60)]).toEqual([80, 56, 728, 64, 184, 36]);
  });
});
