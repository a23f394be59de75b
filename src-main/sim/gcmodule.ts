// The `gc` module's functions (Modules/gcmodule.c) over a Collector and the object store.
import type { Collector } from './collector/collector';
import { referrersOf, traverse } from './inspect';
import type { ObjectStore } from './store';
import type { GcStats } from './types';

/** The `gc` module's state and functions: `heap.gc`. */
export class GcModule {
  constructor(
    private readonly store: ObjectStore,
    private readonly c: Collector,
  ) {}

  /** Set when gc.callbacks is non-empty: collections then call hooks.onGcCallback. */
  get callbacksInstalled(): boolean {
    return this.c.callbacksInstalled;
  }
  set callbacksInstalled(on: boolean) {
    this.c.callbacksInstalled = on;
  }
  collect(generation = this.c.generations - 1): number {
    return this.c.collect(generation);
  }
  /** _PyGC_CollectNoFail (interpreter shutdown): a full collection without gc.callbacks; stats still count it. */
  collectNoFail(): number {
    return this.c.collectNoFail();
  }
  enable(): void {
    this.c.enabled = true;
  }
  disable(): void {
    this.c.enabled = false;
  }
  isEnabled(): boolean {
    return this.c.enabled;
  }
  getThreshold(): number[] {
    return [...this.c.threshold];
  }
  setThreshold(t0: number, ...older: (number | undefined)[]): void {
    const t = this.c.threshold;
    t[0] = t0;
    for (let i = 0; i < older.length && i + 1 < t.length; i++) {
      const v = older[i];
      if (v !== undefined) t[i + 1] = v;
    }
  }
  getCount(): number[] {
    return [...this.c.count];
  }
  getStats(): GcStats[] {
    return this.c.stats.map((s) => ({ ...s }));
  }
  freeze(): void {
    this.c.freeze();
  }
  unfreeze(): void {
    this.c.unfreeze();
  }
  getFreezeCount(): number {
    return this.store.listSize(this.c.head(this.c.generations));
  }
  isTracked(id: number): boolean {
    return this.store.isTracked(id);
  }
  isFinalized(id: number): boolean {
    return this.store.isGcType(this.store.typeOf(id)) && this.store.isFinalized(id);
  }
  /** gc.get_objects(generation): ids in list order; every generation when undefined. */
  getObjects(generation?: number): number[] {
    const n = this.c.generations;
    if (generation === undefined) {
      const out: number[] = [];
      for (let g = 0; g < n; g++) out.push(...this.store.listIds(this.c.head(g)));
      return out;
    }
    if (generation < 0 || generation >= n) throw new RangeError(`generation parameter must be less than the number of available generations (${n})`);
    return this.store.listIds(this.c.head(generation));
  }
  getReferrers(...ids: number[]): number[] {
    return referrersOf(this.store, this.c, ids);
  }
  getReferents(...ids: number[]): number[] {
    return ids.flatMap((id) => traverse(this.store, id));
  }
  setDebug(flags: number): void {
    this.c.debug = flags;
  }
  getDebug(): number {
    return this.c.debug;
  }
  get garbage(): number[] {
    return this.c.garbage;
  }
  get collecting(): boolean {
    return this.c.collecting;
  }
}
