// Re-export shim: the one size table is src-main/sim/sizes.ts (a profile's table: heap.sizes or
// sizesFor(profile)). No logic here; the front end will import from sim directly.
export { intSize, listSize, tupleSize, listResize, dictUsable as usableOf, dictLog2ForSize as dictLog2For, dictSize, dictLog2Presized, setSize } from '../sim/sizes';
export type { SizeTable as FixedSizes } from '../sim/sizes';
export { sizesFor as fixedSizes } from '../sim/profile';
