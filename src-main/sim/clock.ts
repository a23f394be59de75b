// The simulated clock's collection part: what a collection costs, as a function of the work it
// did. The engine has no wall clock (same input, same session, byte for byte); it counts work:
//   heap.time      allocations so far (each object's birth serial)
//   heap.gcWorkNs  simulated nanoseconds spent in collections so far (the sum of every
//                  CollectionEvent.elapsed, in ns)
// The front end adds its own interpreter steps to these to make its time.perf_counter().

/** Per object examined (update_refs, move_unreachable, the list walks): calibrated on CPython 3.11 (2M objects ≈ 0.125 s). */
export const SIM_NS_PER_OBJECT = 50;
/** Per referent visited (subtract_refs, move_unreachable). */
export const SIM_NS_PER_EDGE = 6;

/** Simulated duration (ns) of a collection that examined `objects` objects and visited `edges` referents. */
export function collectionCostNs(objects: number, edges: number): number {
  return edges * SIM_NS_PER_EDGE + objects * SIM_NS_PER_OBJECT;
}
