// The `gc` module's functions over a Heap (Modules/gcmodule.c, 3.11).
import { GEN0, GEN1, GEN2, GEN_HEAD, PERMANENT } from './constants';
import type { Heap } from './heap';
import type { GcStats } from './types';

/** The `gc` module's state and functions (Modules/gcmodule.c). */
export class GcModule {
  /** Set when gc.callbacks is non-empty: collections then call hooks.onGcCallback. */
  callbacksInstalled = false;
  constructor(private readonly heap: Heap) {}

  collect(generation = 2): number {
    if (!Number.isInteger(generation) || generation < 0 || generation > 2) throw new RangeError('invalid generation');
    const h = this.heap;
    if (h.collecting) return 0;
    h.collecting = true;
    try {
      return h.collectWithCallback(generation, true);
    } finally {
      h.collecting = false;
    }
  }
  /** _PyGC_CollectNoFail (interpreter shutdown): a full collection without gc.callbacks; stats still count it. */
  collectNoFail(): number {
    const h = this.heap;
    if (h.collecting) return 0;
    h.collecting = true;
    try {
      return h.collectMainUnobserved(2);
    } finally {
      h.collecting = false;
    }
  }
  enable(): void {
    this.heap.enabled = true;
  }
  disable(): void {
    this.heap.enabled = false;
  }
  isEnabled(): boolean {
    return this.heap.enabled;
  }
  getThreshold(): [number, number, number] {
    return [...this.heap.threshold] as [number, number, number];
  }
  setThreshold(t0: number, t1?: number, t2?: number): void {
    const t = this.heap.threshold;
    t[0] = t0;
    if (t1 !== undefined) t[1] = t1;
    if (t2 !== undefined) t[2] = t2;
  }
  getCount(): [number, number, number] {
    const c = this.heap.count;
    return [c[0], c[1], c[2]];
  }
  getStats(): GcStats[] {
    return this.heap.stats.map((s) => ({ ...s }));
  }
  freeze(): void {
    this.heap.freeze();
  }
  unfreeze(): void {
    this.heap.unfreeze();
  }
  getFreezeCount(): number {
    return this.heap.listSize(PERMANENT);
  }
  isTracked(id: number): boolean {
    return this.heap.isTracked(id);
  }
  isFinalized(id: number): boolean {
    return this.heap.isGcType(this.heap.typeOf(id)) && this.heap.isFinalized(id);
  }
  /** gc.get_objects(generation): ids in list order; all three generations when undefined. */
  getObjects(generation?: number): number[] {
    if (generation === undefined) return [...this.heap.listIds(GEN0), ...this.heap.listIds(GEN1), ...this.heap.listIds(GEN2)];
    if (generation < 0 || generation > 2) throw new RangeError('generation parameter must be less than the number of available generations (3)');
    return this.heap.listIds(GEN_HEAD[generation]);
  }
  getReferrers(...ids: number[]): number[] {
    return this.heap.referrersOf(ids);
  }
  getReferents(...ids: number[]): number[] {
    return ids.flatMap((id) => this.heap.traverse(id));
  }
  setDebug(flags: number): void {
    this.heap.debug = flags;
  }
  getDebug(): number {
    return this.heap.debug;
  }
  get garbage(): number[] {
    return this.heap.garbage;
  }
  get collecting(): boolean {
    return this.heap.collecting;
  }
}
