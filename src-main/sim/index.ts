// The engine's public surface: see API.md.
export {
  Heap,
  GcModule,
  NULL,
  FIRST_ID,
  GEN0,
  GEN1,
  GEN2,
  PERMANENT,
  DEBUG_STATS,
  DEBUG_COLLECTABLE,
  DEBUG_UNCOLLECTABLE,
  DEBUG_SAVEALL,
  DEBUG_LEAK,
  type HeapOptions,
} from './heap';
export * from './types';
export * as sizes from './sizes';
export { PROFILES, profileSpec, sizesFor, type ProfileId, type ProfileSpec, type CollectorSpec, type FreelistSpec } from './profile';
export { listResize, listSize, tupleSize, setSize, dictSize, intSize, listPreallocateExact, dictLog2ForInsert, dictLog2Presized, dictLog2ForSize, dictUsable, setTableAfterAdd, SharedKeys, SHARED_KEYS_MAX_SIZE, type SizeTable } from './sizes';
export { PyMalloc, ARENA_SIZE, POOL_SIZE, POOL_OVERHEAD, SMALL_REQUEST_THRESHOLD, sizeClassOf, blocksPerPool } from './pymalloc';
export { diffSnapshots, leakSuspects, type SnapshotDiffRow, type LeakSuspect } from './snapshot';
export * as inspect from './inspect';
export type { Collector, CollectorHost } from './collector/collector';
export { GenerationalCollector } from './collector/generational/generational';
export { collectionCostNs, SIM_NS_PER_EDGE, SIM_NS_PER_OBJECT } from './clock';
