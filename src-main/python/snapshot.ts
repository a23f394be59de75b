// Heap snapshots for the snapshot, comparison and retainer views: the engine's inspection
// (sim/inspect.ts snapshotDetailed, one pass over the store) regrouped by (type name, allocation
// line) and with its roots named after the globals and frame locals that hold them.
import type { DetailedSnapshot } from '../sim';
import type { Runtime, Frame, Id } from './vm/runtime';
import type { ProgramSnapshot, SnapshotGraph, SnapshotGroup, SnapshotOptions } from './program';

const DEFAULT_MAX_GRAPH = 200_000;

export function captureSnapshot(rt: Runtime, globals: Map<string, Id>, t: number, reason: ProgramSnapshot['reason'], options: SnapshotOptions = {}): ProgramSnapshot {
  const max = options.maxGraphObjects ?? DEFAULT_MAX_GRAPH;
  const d: DetailedSnapshot = rt.heap.snapshotDetailed(max);
  // The engine groups by (type id, site); the views group by (type name, line): sites ≤ 0
  // (the interpreter, the baseline) are line 0, and types of the same name share a row.
  const groups: SnapshotGroup[] = [];
  const groupOf = new Map<string, number>();
  const remap = new Int32Array(d.groups.length);
  d.groups.forEach((eg, i) => {
    const line = eg.site > 0 ? eg.site : 0;
    const key = eg.typeName + '\u0000' + line;
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groups.length;
      groupOf.set(key, g);
      groups.push({ type: eg.typeName, filename: line ? rt.filename : '<interpreter>', line, count: 0, bytes: 0, generations: [0, 0, 0, 0, 0] });
    }
    remap[i] = g;
    const row = groups[g];
    row.count += eg.count;
    row.bytes += eg.bytes;
    for (let k = 0; k < row.generations.length && k < eg.generations.length; k++) row.generations[k] += eg.generations[k];
  });
  const e = d.graph;
  if (e === null) {
    const live = groups.reduce((n, g) => n + g.count, 0);
    return { t, reason, groups, graph: null, graphOmitted: `the heap had ${live} live objects, more than the graph limit of ${max}` };
  }
  const group = e.group;
  for (let i = 0; i < group.length; i++) group[i] = remap[group[i]];
  const graph: SnapshotGraph = { ids: e.births, group, size: e.size, edgeStart: e.edgeStart, edgeTargets: e.edgeTargets, roots: rootsOf(rt, globals, e.ids, e.externalRefs) };
  return { t, reason, groups, graph, graphOmitted: null };
}

/** Names for what holds objects from outside the heap: globals, frame locals, the interpreter. */
function rootsOf(rt: Runtime, globals: Map<string, Id>, ids: number[], externalRefs: number[]): { index: number; label: string }[] {
  const labels = new Map<number, string>();
  for (const [name, id] of globals) if (!labels.has(id)) labels.set(id, `global '${name}'`);
  for (let f: Frame | null = rt.frame; f; f = f.back) {
    f.code.localNames.forEach((name, i) => {
      const v = f!.fast[i];
      if (v && !labels.has(v)) labels.set(v, `local '${name}' in ${f!.code.name}()`);
    });
  }
  const permanent = rt.heap.collector.generations;
  const out: { index: number; label: string }[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (externalRefs[i] <= 0) continue;
    const id = ids[i];
    const label = labels.get(id) ?? (rt.heap.generationOf(id) === permanent ? 'permanent generation' : 'interpreter');
    out.push({ index: i, label });
  }
  return out;
}
