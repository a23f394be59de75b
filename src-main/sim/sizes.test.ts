import { describe, expect, it } from 'vitest';
import { SharedKeys, dictLog2ForInsert, dictLog2Presized, dictUsable, listPreallocateExact, listResize, setTableAfterAdd, SIZES_311, SIZES_313 } from './sizes';

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
