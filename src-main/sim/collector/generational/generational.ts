// The generational collector of CPython 3.11–3.13 (Modules/gcmodule.c; Python/gc.c in 3.13):
// generations young to old with thresholds and counts, gc_collect_main step by step (update_refs,
// subtract_refs, move_unreachable, tuple/dict untracking, legacy finalizers, weakref callbacks,
// finalizers, resurrection, delete_garbage), the long-lived 25 % rule for the oldest generation.
// The number of generations comes from the profile; the list heads are ids 1..n (n+1 permanent).
import { DEBUG_COLLECTABLE, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE, GEN0, NULL } from '../../constants';
import { collectionCostNs } from '../../clock';
import type { ProfileSpec } from '../../profile';
import { F_COLLECTING, F_FINALIZED, F_WEAKREFS, T_CLEAR, T_DICT, T_FINALIZER, T_LEGACY, T_TUPLE, T_WEAKREF } from '../../store';
import type { CollectionEvent, CollectionTrace, GcStats } from '../../types';
import type { Collector, CollectorHost } from '../collector';

// A collection's temporary lists (ids below FIRST_ID, after the generation and permanent heads).
const UNREACHABLE = 10;
const FINALIZERS = 11;
const WRCB_TO_CALL = 12;
const SEEN = 13;
const STILL_UNREACHABLE = 14;
/** Generation heads are GEN0 .. GEN0 + n - 1 and the permanent one GEN0 + n: all below UNREACHABLE. */
const MAX_GENERATIONS = UNREACHABLE - GEN0 - 1;

export class GenerationalCollector implements Collector {
  readonly kind = 'generational';
  readonly generations: number;
  readonly threshold: number[];
  readonly count: number[];
  readonly stats: GcStats[];
  readonly garbage: number[] = [];
  enabled = true;
  collecting = false;
  debug = 0;
  callbacksInstalled = false;
  traceNextCollection = false;
  /** long_lived_total / long_lived_pending (the oldest generation's 25 % rule). */
  longLivedTotal = 0;
  longLivedPending = 0;
  /** 3.12+: a collection was made due by an allocation; it runs at the next checkpoint(). */
  gcScheduled = false;
  private readonly collectInAlloc: boolean;
  private readonly oldest: number;
  private readonly permanent: number;
  private trace: CollectionTrace | null = null;
  private work = 0;
  private readonly startSizes: Int32Array;
  private readonly startCounts: Float64Array;

  constructor(
    private readonly h: CollectorHost,
    spec: ProfileSpec,
    thresholds?: readonly number[],
  ) {
    const n = spec.collector.generations;
    if (!(n >= 1 && n <= MAX_GENERATIONS)) throw new RangeError(`a generational collector has 1..${MAX_GENERATIONS} generations (profile ${spec.id}: ${n})`);
    this.generations = n;
    this.oldest = n - 1;
    this.permanent = GEN0 + n;
    const t = thresholds ?? spec.thresholds;
    if (t.length !== n) throw new RangeError(`${n} thresholds expected, got ${t.length}`);
    this.threshold = [...t];
    this.count = Array.from({ length: n }, () => 0);
    this.stats = Array.from({ length: n }, () => ({ collections: 0, collected: 0, uncollectable: 0 }));
    this.collectInAlloc = spec.collectAt === 'allocation';
    this.startSizes = new Int32Array(n + 1);
    this.startCounts = new Float64Array(n);
  }

  head(generation: number): number {
    return GEN0 + generation;
  }
  generationOf(id: number): number {
    const o = this.h.owner[id];
    return o >= GEN0 && o <= this.permanent ? o - GEN0 : -1;
  }

  /** _PyObject_GC_Link: count0++ and, when it passes threshold0, a collection (3.11) or its scheduling (3.12+). */
  objectLinked(): void {
    const c = ++this.count[0];
    if (c > this.threshold[0] && this.enabled && this.threshold[0] !== 0 && !this.collecting) {
      if (this.collectInAlloc) {
        this.collecting = true;
        try {
          this.collectGenerations();
        } finally {
          this.collecting = false;
        }
      } else {
        this.gcScheduled = true;
      }
    }
  }
  objectFreed(): void {
    if (this.count[0] > 0) this.count[0]--;
  }

  /** Eval-breaker point (3.12+): runs a scheduled collection. A no-op when collections run in the allocation. */
  checkpoint(): number {
    if (!this.gcScheduled) return 0;
    this.gcScheduled = false;
    if (this.collecting || !this.enabled) return 0; // _Py_RunGC (3.13) checks `enabled`
    this.collecting = true;
    try {
      return this.collectGenerations();
    } finally {
      this.collecting = false;
    }
  }

  collect(generation: number): number {
    if (!Number.isInteger(generation) || generation < 0 || generation > this.oldest) throw new RangeError('invalid generation');
    if (this.collecting) return 0;
    this.collecting = true;
    try {
      return this.collectWithCallback(generation, true);
    } finally {
      this.collecting = false;
    }
  }
  collectNoFail(): number {
    if (this.collecting) return 0;
    this.collecting = true;
    try {
      return this.collectMain(this.oldest, false);
    } finally {
      this.collecting = false;
    }
  }

  freeze(): void {
    for (let i = 0; i < this.generations; i++) {
      this.h.merge(GEN0 + i, this.permanent);
      this.count[i] = 0;
    }
  }
  unfreeze(): void {
    this.h.merge(this.permanent, GEN0 + this.oldest);
  }
  beginBaseline(): number {
    const oldest = GEN0 + this.oldest;
    for (let i = 0; i < this.oldest; i++) this.h.merge(GEN0 + i, oldest);
    return oldest;
  }
  endBaseline(): void {
    this.longLivedTotal = this.h.listLen[GEN0 + this.oldest];
    this.longLivedPending = 0;
    this.count.fill(0);
  }
  checkInvariants(): string[] {
    const problems: string[] = [];
    for (let h = UNREACHABLE; h <= STILL_UNREACHABLE; h++) if (!this.collecting && this.h.listLen[h] !== 0) problems.push(`temporary list ${h} not empty`);
    return problems;
  }

  /** gc_collect_generations: oldest generation over its threshold, with the 25 % rule for the oldest. */
  private collectGenerations(): number {
    for (let i = this.oldest; i >= 0; i--) {
      if (this.count[i] > this.threshold[i]) {
        if (i === this.oldest && this.longLivedPending < Math.trunc(this.longLivedTotal / 4)) continue;
        return this.collectWithCallback(i, false);
      }
    }
    return 0;
  }

  /** gc_collect_with_callback (the caller has set `collecting`). */
  private collectWithCallback(gen: number, explicit: boolean): number {
    const hooks = this.h.hooks;
    const cb = this.callbacksInstalled ? hooks.onGcCallback : undefined;
    cb?.call(hooks, 'start', gen, 0, 0);
    const r = this.collectMain(gen, explicit);
    cb?.call(hooks, 'stop', gen, this.lastCollected, this.lastUncollectable);
    return r;
  }
  private lastCollected = 0;
  /** Python code (a finalizer or weakref callback) ran during the current collection. */
  private codeRan = false;
  private lastUncollectable = 0;

  private output(text: string): void {
    this.h.hooks.onOutput?.(text);
  }
  private fakeAddress(id: number): string {
    return '0x7f' + (0x10000000 + id * 16).toString(16).padStart(10, '0');
  }

  private collectMain(gen: number, explicit: boolean): number {
    const h = this.h;
    const n = this.generations;
    // list lengths (generations, then permanent) and counts when the collection began
    const sizes = this.startSizes;
    for (let i = 0; i <= n; i++) sizes[i] = h.listLen[GEN0 + i];
    const counts = this.startCounts;
    for (let i = 0; i < n; i++) counts[i] = this.count[i];
    const startTime = h.time;
    this.work = 0;
    const trace: CollectionTrace | null = this.traceNextCollection
      ? { young: [], gcRefs: [], unreachable: [], untrackedTuples: [], untrackedDicts: [], survivors: [], finalized: [], resurrected: [], collected: [], uncollectable: [] }
      : null;
    this.traceNextCollection = false;
    this.trace = trace;
    if (this.debug & DEBUG_STATS) {
      this.output(
        `gc: collecting generation ${gen}...\n` +
          `gc: objects in each generation: ${Array.from(sizes.subarray(0, n)).join(' ')}\n` +
          `gc: objects in permanent generation: ${sizes[n]}\n`,
      );
    }
    if (gen + 1 < n) this.count[gen + 1] += 1;
    for (let i = 0; i <= gen; i++) this.count[i] = 0;
    const young = GEN0 + gen;
    for (let i = 0; i < gen; i++) h.merge(GEN0 + i, young);
    const old = gen < this.oldest ? young + 1 : young;

    this.deduceUnreachable(young, UNREACHABLE, true);
    this.untrackTuples(young);
    if (young !== old) {
      if (gen === this.oldest - 1) this.longLivedPending += h.listLen[young];
      if (trace) trace.survivors = h.listIds(young);
      h.merge(young, old);
    } else {
      this.untrackDicts(young);
      if (trace) trace.survivors = h.listIds(young);
      this.longLivedPending = 0;
      this.longLivedTotal = h.listLen[young];
    }

    this.moveLegacyFinalizers(UNREACHABLE, FINALIZERS);
    this.moveLegacyFinalizerReachable(FINALIZERS);
    if (this.debug & DEBUG_COLLECTABLE) {
      for (let x = h.next[UNREACHABLE]; x !== UNREACHABLE; x = h.next[x]) {
        this.output(`gc: collectable <${h.typeName(h.typ[x])} ${this.fakeAddress(x)}>\n`);
      }
    }
    this.codeRan = false;
    let m = this.handleWeakrefs(UNREACHABLE, old);
    this.finalizeGarbage(UNREACHABLE);
    // handle_resurrected_objects: when no Python code ran since deduce_unreachable (no callback,
    // no finalizer), refcounts and references are unchanged and a second pass would find exactly
    // the same set, so it is skipped.
    let finalUnreachable = UNREACHABLE;
    if (this.codeRan) {
      this.handleResurrectedObjects(UNREACHABLE, STILL_UNREACHABLE, old);
      finalUnreachable = STILL_UNREACHABLE;
    }
    m += h.listLen[finalUnreachable];
    if (trace) trace.collected = h.listIds(finalUnreachable);
    this.deleteGarbage(finalUnreachable, old);

    let unc = 0;
    for (let x = h.next[FINALIZERS]; x !== FINALIZERS; x = h.next[x]) {
      unc++;
      if (trace) trace.uncollectable.push(x);
      if (this.debug & DEBUG_UNCOLLECTABLE) this.output(`gc: uncollectable <${h.typeName(h.typ[x])} ${this.fakeAddress(x)}>\n`);
    }
    let examined = 0;
    for (let i = 0; i <= gen; i++) examined += sizes[i];
    const elapsedNs = collectionCostNs(examined, this.work);
    const elapsed = elapsedNs / 1e9;
    if (this.debug & DEBUG_STATS) {
      this.output(`gc: done, ${unc + m} unreachable, ${unc} uncollectable, ${elapsed.toFixed(4)}s elapsed\n`);
    }
    this.handleLegacyFinalizers(FINALIZERS, old);
    if (gen === this.oldest) h.clearFreelists();

    const st = this.stats[gen];
    st.collections++;
    st.collected += m;
    st.uncollectable += unc;
    this.lastCollected = m;
    this.lastUncollectable = unc;
    this.trace = null;
    let e: CollectionEvent | null = null;
    if (h.observed) {
      e = { generation: gen, collected: m, uncollectable: unc, explicit, sizes: Array.from(sizes), count: Array.from(counts), time: startTime, elapsed };
      if (trace) e.trace = trace;
    }
    h.collectionDone(e, elapsedNs);
    return unc + m;
  }

  /**
   * update_refs, subtract_refs, move_unreachable. As in CPython, gc_refs lives in `prev` while
   * this runs (the list is singly linked meanwhile) and move_unreachable rebuilds the back links.
   */
  private deduceUnreachable(base: number, unreachable: number, traceIt: boolean): void {
    const h = this.h;
    const next = h.next;
    const prev = h.prev;
    const rc = h.rc;
    const flags = h.flags;
    const pool = h.pool;
    const refStart = h.refStart;
    const refLength = h.refLength;
    const owner = h.owner;
    const listLen = h.listLen;
    for (let x = next[base]; x !== base; x = next[x]) {
      prev[x] = rc[x];
      flags[x] |= F_COLLECTING;
    }
    let edges = 0;
    for (let x = next[base]; x !== base; x = next[x]) {
      const len = refLength[x];
      if (len === 0) continue;
      const s = refStart[x];
      edges += len;
      for (let i = s, e = s + len; i < e; i++) {
        const v = pool[i];
        if (v !== NULL && flags[v] & F_COLLECTING) prev[v]--;
      }
    }
    if (traceIt && this.trace) {
      for (let x = next[base]; x !== base; x = next[x]) {
        this.trace.young.push(x);
        this.trace.gcRefs.push(prev[x]);
      }
    }
    // move_unreachable
    let lastReachable = base;
    let x = next[base];
    while (x !== base) {
      if (prev[x] !== 0) {
        const len = refLength[x];
        if (len > 0) {
          const s = refStart[x];
          edges += len;
          for (let i = s, e = s + len; i < e; i++) {
            const v = pool[i];
            if (v === NULL || !(flags[v] & F_COLLECTING)) continue;
            if (owner[v] === unreachable) {
              // back from unreachable (real links there) to the end of young, gc_refs = 1
              const vp = prev[v];
              const vn = next[v];
              next[vp] = vn;
              prev[vn] = vp;
              listLen[unreachable]--;
              const tail = prev[base];
              next[tail] = v;
              next[v] = base;
              prev[base] = v;
              owner[v] = base;
              listLen[base]++;
              prev[v] = 1;
            } else if (prev[v] === 0) {
              prev[v] = 1;
            }
          }
        }
        prev[x] = lastReachable;
        flags[x] &= ~F_COLLECTING;
        lastReachable = x;
        x = next[x];
      } else {
        const nx = next[x];
        next[lastReachable] = nx;
        listLen[base]--;
        const last = prev[unreachable];
        next[last] = x;
        prev[x] = last;
        next[x] = unreachable;
        prev[unreachable] = x;
        owner[x] = unreachable;
        listLen[unreachable]++;
        x = nx;
      }
    }
    prev[base] = lastReachable;
    this.work += edges;
    if (traceIt && this.trace) this.trace.unreachable = h.listIds(unreachable);
  }

  private untrackTuples(head: number): void {
    const h = this.h;
    let x = h.next[head];
    while (x !== head) {
      const nx = h.next[x];
      if (h.typeFlags[h.typ[x]] & T_TUPLE) this.maybeUntrackTuple(x);
      x = nx;
    }
  }
  /** _PyTuple_MaybeUntrack. */
  maybeUntrackTuple(t: number): boolean {
    const h = this.h;
    if (h.owner[t] === 0 || !(h.typeFlags[h.typ[t]] & T_TUPLE)) return false;
    const s = h.refStart[t];
    for (let i = 0, n = h.refLength[t]; i < n; i++) {
      const v = h.pool[s + i];
      if (v === NULL || h.mayBeTracked(v)) return false;
    }
    h.unlink(t);
    this.trace?.untrackedTuples.push(t);
    return true;
  }
  private untrackDicts(head: number): void {
    const h = this.h;
    let x = h.next[head];
    while (x !== head) {
      const nx = h.next[x];
      if (h.typeFlags[h.typ[x]] & T_DICT) this.maybeUntrackDict(x);
      x = nx;
    }
  }
  /** _PyDict_MaybeUntrack (keys are checked too: str keys are never tracked, so this equals the str-keyed rule). */
  maybeUntrackDict(d: number): boolean {
    const h = this.h;
    if (h.owner[d] === 0 || !(h.typeFlags[h.typ[d]] & T_DICT)) return false;
    const s = h.refStart[d];
    for (let i = 0, n = h.refLength[d]; i < n; i++) {
      const v = h.pool[s + i];
      if (v !== NULL && h.mayBeTracked(v)) return false;
    }
    h.unlink(d);
    this.trace?.untrackedDicts.push(d);
    return true;
  }

  private moveLegacyFinalizers(unreachable: number, finalizers: number): void {
    const h = this.h;
    if (!h.anyLegacyType) return;
    let x = h.next[unreachable];
    while (x !== unreachable) {
      const nx = h.next[x];
      if (h.typeFlags[h.typ[x]] & T_LEGACY) {
        h.flags[x] &= ~F_COLLECTING;
        h.move(x, finalizers);
      }
      x = nx;
    }
  }
  private moveLegacyFinalizerReachable(finalizers: number): void {
    const h = this.h;
    for (let x = h.next[finalizers]; x !== finalizers; x = h.next[x]) {
      const s = h.refStart[x];
      for (let i = 0, n = h.refLength[x]; i < n; i++) {
        const v = h.pool[s + i];
        if (v !== NULL && h.flags[v] & F_COLLECTING) {
          h.move(v, finalizers);
          h.flags[v] &= ~F_COLLECTING;
        }
      }
    }
  }

  private handleWeakrefs(unreachable: number, old: number): number {
    const h = this.h;
    if (h.weakrefs.target.size === 0) return 0;
    let x = h.next[unreachable];
    while (x !== unreachable) {
      const nx = h.next[x];
      if (h.typeFlags[h.typ[x]] & T_WEAKREF) h.weakrefs.clear(x);
      if (h.flags[x] & F_WEAKREFS) {
        for (const w of [...(h.weakrefs.to.get(x) ?? [])]) {
          h.weakrefs.clear(w);
          const cb = h.refLength[w] > 0 ? h.pool[h.refStart[w]] : NULL;
          if (cb === NULL) continue;
          if (h.flags[w] & F_COLLECTING) continue; // trash itself: cleared, no callback
          h.rc[w]++;
          if (h.owner[w] !== 0) h.move(w, WRCB_TO_CALL);
          else h.link(w, WRCB_TO_CALL);
        }
      }
      x = nx;
    }
    let freed = 0;
    if (h.listLen[WRCB_TO_CALL] > 0) this.codeRan = true;
    while (h.listLen[WRCB_TO_CALL] > 0) {
      const w = h.next[WRCB_TO_CALL];
      const cb = h.pool[h.refStart[w]];
      h.hooks.runWeakrefCallback?.(w, cb);
      h.decref(w);
      if (h.next[WRCB_TO_CALL] === w) h.move(w, old);
      else freed++;
    }
    return freed;
  }

  private finalizeGarbage(collectable: number): void {
    const h = this.h;
    if (!h.anyFinalizerType) return;
    let any = false;
    for (let x = h.next[collectable]; x !== collectable; x = h.next[x]) {
      if (h.typeFlags[h.typ[x]] & T_FINALIZER && !(h.flags[x] & F_FINALIZED)) {
        any = true;
        break;
      }
    }
    if (!any) return;
    this.codeRan = true;
    while (h.listLen[collectable] > 0) {
      const x = h.next[collectable];
      h.move(x, SEEN);
      if (!(h.flags[x] & F_FINALIZED) && h.typeFlags[h.typ[x]] & T_FINALIZER) {
        h.flags[x] |= F_FINALIZED;
        this.trace?.finalized.push(x);
        h.rc[x]++;
        h.hooks.runFinalizer?.(x);
        h.decref(x);
      }
    }
    h.merge(SEEN, collectable);
  }

  private handleResurrectedObjects(unreachable: number, still: number, old: number): void {
    const h = this.h;
    // gc_list_clear_collecting(unreachable) then update_refs sets COLLECTING again: nothing to do
    this.deduceUnreachable(unreachable, still, false);
    if (this.trace) this.trace.resurrected = h.listIds(unreachable);
    h.merge(unreachable, old);
  }

  private deleteGarbage(collectable: number, old: number): void {
    const h = this.h;
    const saveAll = (this.debug & DEBUG_SAVEALL) !== 0;
    while (h.listLen[collectable] > 0) {
      const x = h.next[collectable];
      if (saveAll) {
        this.appendGarbage(x);
      } else if (h.typeFlags[h.typ[x]] & T_CLEAR) {
        h.rc[x]++;
        h.clearRefs(x, h.types[h.typ[x]].clearKeeps);
        h.hooks.onClear?.(x);
        h.decref(x);
      }
      if (h.next[collectable] === x) {
        h.flags[x] &= ~F_COLLECTING;
        h.move(x, old);
      }
    }
  }

  private appendGarbage(x: number): void {
    const h = this.h;
    if (h.hooks.appendToGarbage) h.hooks.appendToGarbage(x);
    else {
      h.rc[x]++;
      this.garbage.push(x);
    }
  }

  private handleLegacyFinalizers(finalizers: number, old: number): void {
    const h = this.h;
    const saveAll = (this.debug & DEBUG_SAVEALL) !== 0;
    for (let x = h.next[finalizers]; x !== finalizers; x = h.next[x]) {
      if (saveAll || h.typeFlags[h.typ[x]] & T_LEGACY) this.appendGarbage(x);
    }
    h.merge(finalizers, old);
  }

}
