// Test doubles: a tiny heap model that produces ProgramSnapshot values the way the front end
// will (groups by type and line, the compact graph), and a runProgram whose state can take them.
import type { GcEvent, GcTotals, RunSettings, Sample } from '../../common/domain';
import type { ProgramSnapshot, ProgramState, RunHooks, RunOptions, RunOutcome, SnapshotCapable, SnapshotGroup } from '../../python/program';
import type { RunProgramFn } from '../recorder/recorder';
import type { SnapshotHooks } from './capture';

export interface ModelObject {
  type: string;
  line: number;
  /** Default 'main.py'. */
  file?: string;
  size: number;
  /** Where the object is: 'u' untracked, 0-2 a generation, 'p' permanent. Default 2. */
  gen?: 'u' | 0 | 1 | 2 | 'p';
  /** Indexes of the objects it references. */
  refs?: number[];
  /** An engine object id (stable across snapshots); given to the graph when every object has one. */
  id?: number;
}

export interface ModelHeap {
  objects: ModelObject[];
  roots: { index: number; label: string }[];
}

const GEN_SLOT = { u: 0, 0: 1, 1: 2, 2: 3, p: 4 } as const;

export function snapshotOf(heap: ModelHeap, reason: ProgramSnapshot['reason'] = 'user', t = 0, maxGraphObjects = 200_000): ProgramSnapshot {
  const groups: SnapshotGroup[] = [];
  const groupIndex = new Map<string, number>();
  const group: number[] = [];
  for (const o of heap.objects) {
    const file = o.file ?? 'main.py';
    const k = `${o.type}\0${file}\0${o.line}`;
    let gi = groupIndex.get(k);
    if (gi === undefined) {
      gi = groups.length;
      groupIndex.set(k, gi);
      groups.push({ type: o.type, filename: file, line: o.line, count: 0, bytes: 0, generations: [0, 0, 0, 0, 0] });
    }
    const g = groups[gi]!;
    g.count++;
    g.bytes += o.size;
    g.generations[GEN_SLOT[o.gen ?? 2]]++;
    group.push(gi);
  }
  if (heap.objects.length > maxGraphObjects) {
    return { t, reason, groups, graph: null, graphOmitted: `more than ${maxGraphObjects} objects` };
  }
  const edgeStart = [0];
  const edgeTargets: number[] = [];
  for (const o of heap.objects) {
    edgeTargets.push(...(o.refs ?? []));
    edgeStart.push(edgeTargets.length);
  }
  const ids = heap.objects.every((o) => o.id !== undefined) ? { ids: heap.objects.map((o) => o.id!) } : {};
  return {
    t,
    reason,
    groups,
    graph: { group, size: heap.objects.map((o) => o.size), edgeStart, edgeTargets, roots: heap.roots, ...ids },
    graphOmitted: null,
  };
}

export interface SnapshotProgram {
  steps: number;
  /** The heap at a step. */
  heapAt: (step: number) => ModelHeap;
  /** A full collection (generation 2) every this many steps; other collections are generation 0. */
  fullCollectionEvery?: number;
  /** Steps at which the script calls tracemalloc.take_snapshot(). */
  scriptSnapshotsAt?: number[];
  /** The script hook passes a taken ProgramSnapshot (true) or the state (false, default). */
  passSnapshot?: boolean;
  /** The state cannot take snapshots (a front end without them). */
  withoutSnapshots?: boolean;
  onStep?: (step: number) => void;
}

export const NS_PER_STEP = 1000;

/** A runProgram double: `steps` steps of NS_PER_STEP simulated ns each. */
export function snapshotRunner(p: SnapshotProgram): RunProgramFn {
  return (_source: string, _filename: string, _settings: RunSettings, runHooks: RunHooks, options?: RunOptions): RunOutcome => {
    const hooks = runHooks as RunHooks & SnapshotHooks;
    const tickEvery = options?.tickEvery ?? 1000;
    const totals: GcTotals = { collections: [0, 0, 0], collected: [0, 0, 0], uncollectable: [0, 0, 0] };
    let step = 0;
    let seq = 0;
    const capable: SnapshotCapable = {
      snapshot: (reason, o) => snapshotOf(p.heapAt(step), reason, step * NS_PER_STEP, o?.maxGraphObjects),
    };
    const state: ProgramState = {
      get steps() {
        return step;
      },
      get timeNs() {
        return step * NS_PER_STEP;
      },
      sample(): Sample {
        const live = p.heapAt(step).objects.reduce((s, o) => s + o.size, 0);
        return { t: step * NS_PER_STEP, liveBytes: live, arenaBytes: 262144, objects: 1, gen0: 0, gen1: 0, gen2: 0, count0: 0 };
      },
      gcTotals: () => structuredClone(totals),
      ...(p.withoutSnapshots ? {} : capable),
    };
    while (step < p.steps) {
      step++;
      if (p.fullCollectionEvery && step % p.fullCollectionEvery === 0) {
        totals.collections[2]++;
        const event: GcEvent = { seq: ++seq, t: step * NS_PER_STEP, generation: 2, collected: 0, uncollectable: 0, explicit: false, sizes: [0, 0, 0, 0] };
        hooks.onCollection?.(event, state);
      }
      if (p.scriptSnapshotsAt?.includes(step)) {
        hooks.onSnapshot?.(p.passSnapshot ? snapshotOf(p.heapAt(step), 'script', step * NS_PER_STEP) : (state as ProgramState & SnapshotCapable));
      }
      if (step % tickEvery === 0) {
        p.onStep?.(step);
        if (hooks.onTick && !hooks.onTick(state)) {
          return { status: 'stopped', failure: { kind: 'stopped', message: 'stopped', traceback: null, location: null }, steps: step, timeNs: step * NS_PER_STEP, gcTotals: totals };
        }
      }
    }
    hooks.onTick?.(state);
    return { status: 'complete', failure: null, steps: step, timeNs: step * NS_PER_STEP, gcTotals: totals };
  };
}
