// Heap snapshots for the snapshot, comparison and retainer views: live objects grouped by
// (type, allocation line), plus the object graph when the heap is small enough.
import type { Runtime, Frame, Id } from './vm/runtime';
import type { ProgramSnapshot, SnapshotGraph, SnapshotGroup, SnapshotOptions } from './program';

const DEFAULT_MAX_GRAPH = 200_000;

export function captureSnapshot(rt: Runtime, globals: Map<string, Id>, t: number, reason: ProgramSnapshot['reason'], options: SnapshotOptions = {}): ProgramSnapshot {
  const h = rt.heap;
  const groups: SnapshotGroup[] = [];
  const groupOf = new Map<string, number>();
  const ids: number[] = [];
  const objGroup: number[] = [];
  for (let id = 1; id <= rt.maxId; id++) {
    if (!h.isAlive(id)) continue;
    const typeName = h.typeName(h.typeOf(id));
    const site = h.site(id);
    const line = site > 0 ? site : 0;
    const key = typeName + '\u0000' + line;
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groups.length;
      groupOf.set(key, g);
      groups.push({ type: typeName, filename: line ? rt.filename : '<interpreter>', line, count: 0, bytes: 0, generations: [0, 0, 0, 0, 0] });
    }
    const row = groups[g];
    row.count++;
    row.bytes += h.sizeOf(id) + h.extraBytes(id);
    const gen = h.generationOf(id);
    row.generations[gen < 0 ? 0 : gen + 1]++;
    ids.push(id);
    objGroup.push(g);
  }
  const max = options.maxGraphObjects ?? DEFAULT_MAX_GRAPH;
  let graph: SnapshotGraph | null = null;
  let graphOmitted: string | null = null;
  if (ids.length > max) {
    graphOmitted = `the heap had ${ids.length} live objects, more than the graph limit of ${max}`;
  } else {
    const index = new Map<number, number>();
    ids.forEach((id, i) => index.set(id, i));
    const edgeStart: number[] = [];
    const edgeTargets: number[] = [];
    const size: number[] = [];
    for (const id of ids) {
      edgeStart.push(edgeTargets.length);
      size.push(h.sizeOf(id) + h.extraBytes(id));
      const n = h.refLen(id);
      for (let i = 0; i < n; i++) {
        const v = h.getRef(id, i);
        const j = v ? index.get(v) : undefined;
        if (j !== undefined) edgeTargets.push(j);
      }
    }
    edgeStart.push(edgeTargets.length);
    graph = { ids: ids.map((id) => h.birth(id)), group: objGroup, size, edgeStart, edgeTargets, roots: rootsOf(rt, globals, index) };
  }
  return { t, reason, groups, graph, graphOmitted };
}

/** Names for what holds objects from outside the heap: globals, frame locals, the interpreter. */
function rootsOf(rt: Runtime, globals: Map<string, Id>, index: Map<number, number>): { index: number; label: string }[] {
  const labels = new Map<number, string>();
  for (const [name, id] of globals) if (!labels.has(id)) labels.set(id, `global '${name}'`);
  for (let f: Frame | null = rt.frame; f; f = f.back) {
    f.code.localNames.forEach((name, i) => {
      const v = f!.fast[i];
      if (v && !labels.has(v)) labels.set(v, `local '${name}' in ${f!.code.name}()`);
    });
  }
  const out: { index: number; label: string }[] = [];
  for (const id of rt.heap.roots()) {
    const i = index.get(id);
    if (i === undefined) continue;
    const label = labels.get(id) ?? (rt.heap.generationOf(id) === 3 ? 'permanent generation' : 'interpreter');
    out.push({ index: i, label });
  }
  return out;
}
