// The snapshot queries of AppApi over one connection: reading stored groups and graphs, then
// the pure grouping/comparison/retainer/leak code. Throws AppError for the transports.
import { AppError } from '../../common/contract';
import type {
  LeakSuspectsResult,
  RetainersResult,
  SnapshotComparePage,
  SnapshotGroupBy,
  SnapshotInfo,
  SnapshotPage,
  SourceLines,
} from '../../common/domain';
import type { Db } from '../db/open';
import { aggregate, compareGroups, GroupIds, identityChurn, keyFilter, snapshotRows, type Churn, type SnapshotSort } from './compare';
import type { StoredGraph } from './graph-codec';
import { leakSuspects, snapshotCallLines, sourceLineStats } from './leaks';
import { analyzeGraph, retainerPaths, type GraphAnalysis } from './retainers';
import { SnapshotStore } from './store';

export interface PageArgs {
  offset: number;
  limit: number;
}

export class SnapshotQueries {
  readonly store: SnapshotStore;
  private readonly groupIds = new GroupIds();
  /** The last graph analysed: the UI asks for several groups of one snapshot in a row. */
  private analysed: { snapshotId: number; graph: StoredGraph; analysis: GraphAnalysis } | null = null;
  /** The last leak suspects ranked, by session and snapshot ids. */
  private leaksMemo: { key: string; suspects: LeakSuspectsResult['suspects'] } | null = null;

  constructor(private readonly db: Db) {
    this.store = new SnapshotStore(db);
  }

  private key = (id: number) => this.store.key(id);

  private info(snapshotId: number, field = 'snapshotId'): SnapshotInfo {
    const info = this.store.info(snapshotId);
    if (!info) throw new AppError('not-found', `no snapshot ${snapshotId}`, field);
    return info;
  }

  list(sessionId: number): SnapshotInfo[] {
    return this.store.list(sessionId);
  }

  getSnapshot(a: { snapshotId: number; groupBy: SnapshotGroupBy; filter?: string; sort?: SnapshotSort } & PageArgs): SnapshotPage {
    const snapshot = this.info(a.snapshotId);
    const cols = this.store.groups(a.snapshotId);
    const groups = aggregate(cols, a.groupBy, this.key, keyFilter(a.filter, this.key));
    return { snapshot, ...snapshotRows(groups, a.sort ?? 'bytes', a.offset, a.limit) };
  }

  compare(a: { baseId: number; targetId: number; groupBy: SnapshotGroupBy; filter?: string } & PageArgs): SnapshotComparePage {
    const base = this.info(a.baseId, 'baseId');
    const target = this.info(a.targetId, 'targetId');
    const baseCols = this.store.groups(a.baseId, false);
    const targetCols = this.store.groups(a.targetId, false);
    const accept = keyFilter(a.filter, this.key);

    let churn: Churn | undefined;
    let identity: SnapshotComparePage['identity'] = 'counts';
    if (this.store.graphHasIds(a.baseId) && this.store.graphHasIds(a.targetId)) {
      const bg = this.store.graph(a.baseId)!;
      const tg = this.store.graph(a.targetId)!;
      const c = identityChurn({ ids: bg.ids!, keyId: bg.keyId }, { ids: tg.ids!, keyId: tg.keyId });
      // Per stored key -> per displayed group.
      const sumBy = (m: Map<number, number>) => {
        const out = new Map<number, number>();
        for (const [keyId, v] of m) {
          if (accept && !accept(keyId)) continue;
          const g = this.groupIds.id(keyId, a.groupBy, this.key);
          out.set(g, (out.get(g) ?? 0) + v);
        }
        return out;
      };
      const newBy = sumBy(c.newByKey);
      const deletedBy = sumBy(c.deletedByKey);
      churn = { newOf: (g) => newBy.get(g) ?? 0, deletedOf: (g) => deletedBy.get(g) ?? 0 };
      identity = 'objects';
    }
    const page = compareGroups(baseCols, targetCols, a.groupBy, this.key, accept, this.groupIds, a.offset, a.limit, churn);
    return { base, target, identity, ...page };
  }

  retainers(a: { snapshotId: number; type?: string; filename?: string; line?: number; limit: number }): RetainersResult {
    const snapshot = this.info(a.snapshotId);
    if (!snapshot.graphKept) {
      throw new AppError('unavailable', `snapshot ${a.snapshotId} has no object graph: ${snapshot.graphOmitted ?? 'it was not kept'}`, 'snapshotId');
    }
    let cached = this.analysed?.snapshotId === a.snapshotId ? this.analysed : null;
    if (!cached) {
      const graph = this.store.graph(a.snapshotId)!;
      cached = this.analysed = { snapshotId: a.snapshotId, graph, analysis: analyzeGraph(graph) };
    }
    const { graph, analysis } = cached;
    const cols = this.store.groups(a.snapshotId);
    const matches = new Set<number>();
    const untrackedKeys = new Set<number>();
    for (let r = 0; r < cols.keyId.length; r++) {
      const id = cols.keyId[r]!;
      const k = this.key(id);
      if (cols.gens[5 * r] === cols.count[r]) untrackedKeys.add(id);
      if ((a.type === undefined || k.type === a.type) && (a.filename === undefined || k.filename === a.filename) && (a.line === undefined || k.line === a.line)) {
        matches.add(id);
      }
    }
    const report = retainerPaths(graph, analysis, (i) => matches.has(graph.keyId[i]!), a.limit);
    return {
      snapshot,
      objects: report.objects,
      bytes: report.bytes,
      retainedBytes: report.retainedBytes,
      unreachable: report.unreachable,
      totalPaths: report.totalPaths,
      paths: report.paths.map((p) => {
        const steps = p.chain.map((i) => {
          const k = this.key(graph.keyId[i]!);
          return { type: k.type, filename: k.filename, line: k.line, untracked: untrackedKeys.has(graph.keyId[i]!) };
        });
        return {
          root: graph.roots[p.root]?.label ?? 'root',
          steps,
          elidedSteps: p.length - p.chain.length,
          count: p.count,
          bytes: p.bytes,
          retainedBytes: p.retainedBytes,
        };
      }),
    };
  }

  leakSuspects(sessionId: number): LeakSuspectsResult {
    const snapshots = this.store.list(sessionId);
    // Stored snapshots never change: the same list gives the same suspects (the Session view asks on every visit).
    const memoKey = `${sessionId}:${snapshots.map((s) => `${s.id}/${s.t}/${s.count}/${s.bytes}`).join(',')}`;
    if (this.leaksMemo?.key === memoKey) return { snapshots, suspects: this.leaksMemo.suspects };
    const suspects = this.computeLeakSuspects(sessionId, snapshots);
    this.leaksMemo = { key: memoKey, suspects };
    return { snapshots, suspects };
  }

  private computeLeakSuspects(sessionId: number, snapshots: SnapshotInfo[]): LeakSuspectsResult['suspects'] {
    // Graphs are read when the analysis gets to them: one or two in memory at a time.
    const inputs = snapshots.map((s) => ({ cols: this.store.groups(s.id), graph: s.graphKept ? () => this.store.graph(s.id)! : null }));
    const source = (this.db.prepare('SELECT source FROM sessions WHERE id = ?').pluck().get(sessionId) as string | undefined) ?? '';
    const filename = snapshots[0] ? this.store.scriptFilename(snapshots[0].id)! : '';
    return leakSuspects(inputs, this.key, { excludeLines: snapshotCallLines(source, filename) });
  }

  sourceLines(sessionId: number, snapshotId?: number, baseId?: number): SourceLines {
    let targetId = snapshotId ?? null;
    if (targetId !== null) {
      if (this.info(targetId).sessionId !== sessionId) throw new AppError('invalid-argument', `snapshot ${targetId} belongs to another session`, 'snapshotId');
    } else targetId = this.store.list(sessionId).at(-1)?.id ?? null;
    if (baseId !== undefined) this.info(baseId, 'baseId');
    const filename = targetId !== null ? this.store.scriptFilename(targetId)! : baseId !== undefined ? this.store.scriptFilename(baseId)! : '';
    const target = targetId !== null ? this.store.groups(targetId) : null;
    const base = baseId !== undefined ? this.store.groups(baseId) : null;
    return { filename, snapshotId: targetId, baseId: baseId ?? null, lines: filename ? sourceLineStats(filename, target, base, this.key) : [] };
  }
}
