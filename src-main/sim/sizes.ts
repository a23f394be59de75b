// sys.getsizeof on 64-bit CPython (spec §5, §5.1) and the growth rules of lists, dicts and sets
// (listobject.c, dictobject.c, setobject.c): the engine's and the front end's one size table.
// 3.11 figures are measured on 3.11.7, 3.13 figures on 3.13.0 (sizes.test.ts says which figure
// came from where). A profile picks its table in profile.ts; nothing here tests a version.
import type { Profile } from '../common/domain';

export const PTR = 8;

/** list_resize (Objects/listobject.c): the new `allocated` for a list going from len to newLen. */
export function listResize(allocated: number, len: number, newLen: number): number {
  if (allocated >= newLen && newLen >= allocated >> 1) return allocated;
  if (newLen === 0) return 0;
  let newAllocated = (newLen + (newLen >> 3) + 6) & ~3;
  if (newLen - len > newAllocated - newLen) newAllocated = (newLen + 3) & ~3;
  return newAllocated;
}

/** list_preallocate_exact: list_extend into an empty list (LIST_EXTEND, list(iterable) with a length hint) allocates n rounded up to even. */
export function listPreallocateExact(n: number): number {
  return (n + 1) & ~1;
}

/** USABLE_FRACTION(2^log2): entries a dict keys table of that size can hold. */
export function dictUsable(log2: number): number {
  return ((1 << log2) * 2 / 3) | 0;
}

/** Bytes per index slot (DK_IXSIZE). */
function dictIndexBytes(log2: number): number {
  return log2 <= 7 ? 1 : log2 <= 15 ? 2 : log2 <= 31 ? 4 : 8;
}

/** sys.getsizeof of a list with `allocated` item slots (same on every profile). */
export const listSize = (allocated: number): number => 56 + PTR * allocated;
/** sys.getsizeof of a tuple of n items (same on every profile). */
export const tupleSize = (n: number): number => 40 + PTR * n;
/** sys.getsizeof of a set/frozenset with a table of `tableSize` entries (8 = the inline small table). */
export const setSize = (tableSize: number): number => 216 + (tableSize > 8 ? 16 * tableSize : 0);

/**
 * sys.getsizeof of a dict whose keys table has 2^log2 slots; str-keyed tables have 16 B entries,
 * others 24 B. log2 = 0 means the shared empty keys (a dict that never held an item): 64.
 */
export function dictSize(log2: number, strKeysOnly: boolean): number {
  if (log2 === 0) return 64;
  return 64 + 32 + (1 << log2) * dictIndexBytes(log2) + dictUsable(log2) * (strKeysOnly ? 16 : 24);
}

/** sys.getsizeof of an int (30-bit digits; 0 has one digit since 3.12, and 3.11 also reports 28). */
export function intSize(value: number | bigint): number {
  return intSizeWith(value, 24);
}

/** The smallest log2 size ≥ PyDict_MINSIZE (8) with 2^k ≥ n (calculate_log2_keysize). */
export function dictLog2ForSize(n: number): number {
  let k = 3;
  while (1 << k < n) k++;
  return k;
}

/**
 * insertion_resize: a dict whose table (2^log2) has `nentries` used entries (deleted ones
 * included) and `used` live items is about to insert a new key. Returns the log2 size after
 * the insertion (unchanged when there is room).
 */
export function dictLog2ForInsert(log2: number, nentries: number, used: number): number {
  if (nentries < dictUsable(log2)) return log2;
  return dictLog2ForSize(used * 3); // GROWTH_RATE(d) = used*3
}

/** _PyDict_NewPresized / dict literal of n items: the table it starts with. */
export function dictLog2Presized(n: number): number {
  if (n <= dictUsable(3)) return 3;
  return dictLog2ForSize(((n * 3 + 1) / 2) | 0);
}

/** Set table size after adding to a set of `fill` (used + dummies) and `used`: set_add_entry + set_table_resize. */
export function setTableAfterAdd(tableSize: number, fill: number, used: number): number {
  const mask = tableSize - 1;
  if (fill * 5 < mask * 3) return tableSize;
  const minused = used > 50000 ? used * 2 : used * 4;
  let n = 8;
  while (n <= minused) n <<= 1;
  return n;
}

export interface SizeTable {
  profile: Profile;
  int(value: number | bigint): number;
  float: number;
  bool: number;
  none: number;
  str(text: string): number;
  bytes(n: number): number;
  bytearrayEmpty: number;
  tuple(n: number): number;
  /** list with `allocated` item slots. */
  list(allocated: number): number;
  dictEmpty: number;
  /** A dict whose keys table has 2^log2 slots; str-keyed tables have 16 B entries, others 24 B. */
  dict(log2: number, strKeysOnly: boolean): number;
  /** set/frozenset with a hash table of `tableSize` entries (8 = the inline small table). */
  set(tableSize: number): number;
  /** An instance of a class with a managed __dict__ (the values array is not included). */
  instance: number;
  /** The values array of such an instance, given the shared keys' nentries + dk_usable (3.11; 0 in 3.13 = inline). */
  instanceValues(sharedKeysSize: number): number;
  /** An instance of a `__slots__` class with n slots (no __weakref__ slot). */
  slots(n: number): number;
  /** A materialized instance __dict__. */
  materializedDict: number;
  function: number;
  generator: number;
  genexpr: number;
  boundMethod: number;
  module: number;
  object: number;
  range: number;
  classObject: number;
  /** Measured on 3.11.7; the structs are unchanged in 3.12/3.13. */
  cell: number;
  weakref: number;
  // ---- figures the front end uses (python/): calibrated by the fidelity corpora ----
  /** A generator object without its frame's slots: the front end adds 8 per slot. */
  generatorBase: number;
  builtinMethod: number;
  /** A `__slots__` instance before its slots (add 8 per slot). */
  slotsBase: number;
  iterator: number;
  enumerate: number;
  traceback: number;
  frame: number;
  exception: number;
  descriptor: number;
  dictView: number;
}

function intSizeWith(value: number | bigint, header: number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`intSize: ${value} is not an integer`);
    let a = Math.abs(Math.trunc(value));
    let digits = 1;
    while (a >= 1073741824) {
      a = Math.floor(a / 1073741824);
      digits++;
    }
    return header + 4 * digits;
  }
  let v = value;
  if (v < 0n) v = -v;
  let digits = 0;
  while (v > 0n) {
    digits++;
    v >>= 30n;
  }
  return header + 4 * Math.max(1, digits);
}

function strKind(text: string): { n: number; maxCode: number } {
  let n = 0;
  let maxCode = 0;
  for (const ch of text) {
    n++;
    const c = ch.codePointAt(0)!;
    if (c > maxCode) maxCode = c;
  }
  return { n, maxCode };
}

const common = {
  float: 24,
  bool: 28,
  none: 16,
  bytes: (n: number) => 33 + n,
  bytearrayEmpty: 56,
  tuple: tupleSize,
  list: listSize,
  dictEmpty: 64,
  dict: dictSize,
  set: setSize,
  slots: (n: number) => 32 + PTR * n,
  generator: 176,
  boundMethod: 64,
  module: 72,
  object: 16,
  range: 48,
  cell: 40,
  weakref: 80,
  builtinMethod: 72,
  slotsBase: 32,
  iterator: 48,
  enumerate: 72,
  traceback: 56,
  frame: 136,
  exception: 88,
  descriptor: 72,
  dictView: 56,
};

export const SIZES_311: SizeTable = {
  ...common,
  profile: '3.11',
  int: intSize,
  str(text) {
    const { n, maxCode } = strKind(text);
    if (maxCode < 128) return 49 + n;
    if (maxCode < 256) return 73 + n;
    if (maxCode < 65536) return 74 + 2 * n;
    return 76 + 4 * n;
  },
  instance: 56,
  instanceValues: (size: number) => (((size + 2 + 7) & ~7) + PTR * size),
  materializedDict: 296,
  function: 152,
  genexpr: 200,
  classObject: 1688,
  generatorBase: 168,
};

export const SIZES_313: SizeTable = {
  ...common,
  profile: '3.13',
  int: intSize,
  str(text) {
    const { n, maxCode } = strKind(text);
    if (maxCode < 128) return 41 + n;
    // The 128 one-character Latin-1 strings are static singletons that carry their UTF-8
    // form (_PyUnicode_LATIN1_INIT, 3.12+): 57 + 1 + 3 bytes of UTF-8 (2 + NUL).
    if (maxCode < 256) return n === 1 ? 61 : 57 + n;
    if (maxCode < 65536) return 58 + 2 * n;
    return 60 + 4 * n;
  },
  instance: 48,
  instanceValues: () => 0,
  materializedDict: 296,
  function: 160,
  genexpr: 192,
  classObject: 1704,
  generatorBase: 160,
};

/** SHARED_KEYS_MAX_SIZE: a class's shared (split) keys hold at most 30 attribute names. */
export const SHARED_KEYS_MAX_SIZE = 30;

/**
 * A class's cached shared keys (3.11 `ht_cached_keys`): _PyDict_NewKeysForClass starts with
 * dk_usable = 30; init_inline_values decrements it (down to 1) for every new instance and sizes
 * the values array as nentries + dk_usable; each new attribute name takes one usable slot.
 */
export class SharedKeys {
  nentries = 0;
  usable = SHARED_KEYS_MAX_SIZE;
  /** init_inline_values: the byte size of the new instance's values array (new_values). */
  newInstance(): number {
    if (this.usable > 1) this.usable--;
    const size = this.nentries + this.usable;
    return ((size + 2 + 7) & ~7) + PTR * size;
  }
  /** insert_into_dictkeys of a new name: false when the keys are full (the instance dict must then be materialized). */
  addKey(): boolean {
    if (this.usable <= 0 || this.nentries >= SHARED_KEYS_MAX_SIZE) return false;
    this.nentries++;
    this.usable--;
    return true;
  }
}
