// The profile table: the ONE place where CPython versions differ. Every version-dependent fact
// (sys.version, thresholds, which collector and when it runs, freelists, struct sizes, compiler
// behaviour) is a field here; code elsewhere reads `heap.spec.<field>` (or `profileSpec(id)`)
// and never compares a version string.
//
// To add a version: add its id to PROFILES in common/domain.ts and a row below (TypeScript then
// insists on every field). To add a difference: add a field to ProfileSpec with a doc comment
// naming the CPython source it comes from, and fill it in for every row.
import { DEFAULT_THRESHOLDS, type Profile } from '../common/domain';
import { SIZES_311, SIZES_313, type SizeTable } from './sizes';

export type ProfileId = Profile;

/** The collector a profile runs (one folder under sim/collector/ per kind). */
export interface CollectorSpec {
  kind: 'generational';
  /** Young-to-old generations (gc.get_count()/get_threshold() length), the permanent one excluded. */
  generations: number;
}

export interface FreelistSpec {
  /** PyTuple_MAXSAVESIZE: tuples of 1..n items are kept (measured with sys._debugmallocstats()). */
  tupleMaxSaveSize: number;
  /** PyTuple_MAXFREELIST: per length. */
  tupleMaxFreelist: number;
  /** PyList_MAXFREELIST. */
  listMax: number;
  /** PyDict_MAXFREELIST. */
  dictMax: number;
}

export interface ProfileSpec {
  id: ProfileId;
  /** sys.version_info[:3] of the CPython this profile simulates. */
  versionInfo: readonly [number, number, number];
  /** sys.version as the simulator reports it. */
  sysVersion: string;
  /** Default gc thresholds (pycore_runtime_init.h); the contract's DEFAULT_THRESHOLDS. */
  thresholds: readonly [number, number, number];
  collector: CollectorSpec;
  /**
   * When a collection that an allocation made due runs: 'allocation' = inside _PyObject_GC_Link,
   * before the new object exists (3.11); 'eval-breaker' = scheduled, run at the next
   * `heap.checkpoint()` (3.12+: _Py_ScheduleGC + the eval breaker; calls, returns, backward jumps).
   */
  collectAt: 'allocation' | 'eval-breaker';
  freelists: FreelistSpec;
  /**
   * Instances keep their attribute values inline (3.13 Py_TPFLAGS_INLINE_VALUES: getsizeof grows
   * by 8 per shared key) rather than in a separate PyMem values array (3.11 init_inline_values).
   */
  inlineValues: boolean;
  /** PEP 709 (3.12+): list/dict/set comprehensions run inline, with no function object. */
  inlinedComprehensions: boolean;
  /**
   * Bytes a heap type with a managed dict allocates beside its type object that tracemalloc sees
   * but getsizeof does not (the instances' shared keys, name strings): 246 measured on 3.11.7
   * for a simple class; 0 where not measured.
   */
  heapTypeSideBytes: number;
  /** ht_cached_keys counted by type_sizeof (768 on 3.11), which only a type with a managed dict
   * has: a type with __slots__ or an exception subclass is this much smaller; 0 where not modeled. */
  typeCachedKeysBytes: number;
  /** sys.getsizeof figures and growth rules (sizes.ts). */
  sizes: SizeTable;
}

const FREELISTS: FreelistSpec = { tupleMaxSaveSize: 20, tupleMaxFreelist: 2000, listMax: 80, dictMax: 80 };

export const PROFILES: Readonly<Record<ProfileId, ProfileSpec>> = {
  '3.11': {
    id: '3.11',
    versionInfo: [3, 11, 7],
    sysVersion: '3.11.7 (simulated)',
    thresholds: DEFAULT_THRESHOLDS['3.11'],
    collector: { kind: 'generational', generations: 3 },
    collectAt: 'allocation',
    freelists: FREELISTS,
    inlineValues: false,
    inlinedComprehensions: false,
    heapTypeSideBytes: 246,
    typeCachedKeysBytes: 768,
    sizes: SIZES_311,
  },
  '3.13': {
    id: '3.13',
    versionInfo: [3, 13, 0],
    sysVersion: '3.13.0 (simulated)',
    thresholds: DEFAULT_THRESHOLDS['3.13'],
    collector: { kind: 'generational', generations: 3 },
    collectAt: 'eval-breaker',
    freelists: FREELISTS,
    inlineValues: true,
    inlinedComprehensions: true,
    heapTypeSideBytes: 0,
    typeCachedKeysBytes: 0,
    sizes: SIZES_313,
  },
};

/** The profile of an id; throws on an id that is not in the table (never falls back to another version). */
export function profileSpec(id: string): ProfileSpec {
  if (!Object.prototype.hasOwnProperty.call(PROFILES, id)) {
    throw new RangeError(`unknown Python profile '${id}' (known: ${Object.keys(PROFILES).join(', ')})`);
  }
  return PROFILES[id as ProfileId];
}

/** The size table of a profile (throws on an unknown id). */
export function sizesFor(id: string): SizeTable {
  return profileSpec(id).sizes;
}
