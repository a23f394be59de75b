// sys.getsizeof figures of CPython 3.11 / 3.13 on 64-bit (spec §5.1) and the growth
// rules of lists, dicts and sets (listobject.c, dictobject.c, setobject.c).
import type { Profile } from '../common/domain';

export function intSize(v: number): number {
  let a = Math.abs(v);
  let digits = 1;
  while (a >= 2 ** 30) {
    a = Math.floor(a / 2 ** 30);
    digits++;
  }
  return 24 + 4 * digits;
}

export function strSize(s: string, profile: Profile): number {
  let max = 0;
  let len = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c > max) max = c;
    len++;
  }
  const is311 = profile === '3.11';
  if (max < 128) return (is311 ? 49 : 41) + len;
  if (max < 256) return (is311 ? 73 : 60) + len;
  if (max < 65536) return (is311 ? 74 : 58) + 2 * len;
  return (is311 ? 76 : 60) + 4 * len;
}

export const listSize = (allocated: number): number => 56 + 8 * allocated;
export const tupleSize = (n: number): number => 40 + 8 * n;

/** list_resize: the new allocation for newLen, or the old one when no resize happens. */
export function listResize(allocated: number, len: number, newLen: number): number {
  if (allocated >= newLen && newLen >= allocated >> 1) return allocated;
  let next = (newLen + (newLen >> 3) + 6) & ~3;
  if (newLen - len > next - newLen) next = (newLen + 3) & ~3;
  if (newLen === 0) next = 0;
  return next;
}

export const usableOf = (log2: number): number => ((1 << log2) * 2) / 3 | 0;

export function dictLog2For(minSize: number): number {
  let log2 = 3;
  while (1 << log2 < minSize) log2++;
  return log2;
}

/** Size of a dict with a keys table of 2**log2 slots (log2 = 0: the shared empty keys). */
export function dictSize(log2: number, strKeys: boolean): number {
  if (log2 === 0) return 64;
  const slots = 1 << log2;
  const indexBytes = slots <= 128 ? 1 : slots <= 0xffff ? 2 : slots <= 0xffffffff ? 4 : 8;
  return 64 + 32 + slots * indexBytes + usableOf(log2) * (strKeys ? 16 : 24);
}

/** The keys table CPython presizes for a literal / comprehension-free build of n items. */
export function dictLog2Presized(n: number): number {
  if (n <= 5) return 3;
  return dictLog2For(((n * 3 + 1) / 2) | 0);
}

export const setSize = (table: number): number => 216 + (table > 8 ? 16 * table : 0);

export interface FixedSizes {
  none: number;
  bool: number;
  float: number;
  function: number;
  cell: number;
  boundMethod: number;
  builtinMethod: number;
  generator: number;
  module: number;
  object: number;
  range: number;
  classObject: number;
  instance: number;
  slotsBase: number;
  iterator: number;
  enumerate: number;
  traceback: number;
  frame: number;
  exception: number;
  weakref: number;
  descriptor: number;
  dictView: number;
}

export function fixedSizes(profile: Profile): FixedSizes {
  const is311 = profile === '3.11';
  return {
    none: 16,
    bool: 28,
    float: 24,
    function: is311 ? 152 : 160,
    cell: 40,
    boundMethod: 64,
    builtinMethod: 72,
    generator: is311 ? 168 : 160,
    module: 72,
    object: 16,
    range: 48,
    classObject: is311 ? 1688 : 1704,
    instance: is311 ? 56 : 48,
    slotsBase: 32,
    iterator: 48,
    enumerate: 72,
    traceback: 56,
    frame: 136,
    exception: 88,
    weakref: 80,
    descriptor: 72,
    dictView: 56,
  };
}
