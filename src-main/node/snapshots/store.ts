// Snapshot rows in SQLite (migration 0002): writing a ProgramSnapshot, reading one back as
// columns for the pure query code. SQL only with bound parameters.
import type { GenerationSplit, SnapshotInfo, SnapshotReason } from '../../common/domain';
import type { ProgramSnapshot } from '../../python/program';
import type { Db } from '../db/open';
import { decodeGraph, encodeGraph, type StoredGraph } from './graph-codec';

/** Graphs above this many objects (or edges, times 10) are not stored. */
export const MAX_GRAPH_OBJECTS = 200_000;

export interface SnapshotKey {
  type: string;
  filename: string;
  line: number;
}

/** One snapshot's groups as parallel arrays (row i = one (type, file, line) place). */
export interface GroupColumns {
  keyId: Int32Array;
  count: Float64Array;
  bytes: Float64Array;
  /** 5 per row: untracked, gen0, gen1, gen2, permanent (empty when read without them). */
  gens: Float64Array;
}


interface SnapshotRowDb {
  id: number;
  session_id: number;
  seq: number;
  t: number;
  reason: SnapshotReason;
  script_filename: string;
  group_count: number;
  total_count: number;
  total_bytes: number;
  untracked: number;
  gen0: number;
  gen1: number;
  gen2: number;
  permanent: number;
  graph_kept: number;
  graph_omitted: string | null;
}

const INFO_COLUMNS = `id, session_id, seq, t, reason, script_filename, group_count, total_count, total_bytes,
  untracked, gen0, gen1, gen2, permanent, graph IS NOT NULL AS graph_kept, graph_omitted`;

export const LIST_SNAPSHOTS_SQL = `SELECT ${INFO_COLUMNS} FROM snapshots WHERE session_id = ? ORDER BY seq`;
export const SNAPSHOT_INFO_SQL = `SELECT ${INFO_COLUMNS} FROM snapshots WHERE id = ?`;
export const SNAPSHOT_GROUPS_SQL =
  'SELECT key_id, count, bytes, untracked, gen0, gen1, gen2, permanent FROM snapshot_groups WHERE snapshot_id = ?';
export const SNAPSHOT_COUNTS_SQL = 'SELECT key_id, count, bytes FROM snapshot_groups WHERE snapshot_id = ?';
/** The counts with their keys, in one pass: the first read of a snapshot. */
export const SNAPSHOT_COUNTS_WITH_KEYS_SQL = `SELECT g.key_id, g.count, g.bytes, k.type, k.filename, k.line FROM snapshot_groups g
  JOIN snapshot_keys k ON k.id = g.key_id WHERE g.snapshot_id = ?`;
export const SNAPSHOT_KEYS_SQL = `SELECT k.id, k.type, k.filename, k.line FROM snapshot_groups g
  JOIN snapshot_keys k ON k.id = g.key_id WHERE g.snapshot_id = ?`;
export const SNAPSHOT_GRAPH_SQL = 'SELECT graph, graph_roots FROM snapshots WHERE id = ?';
export const FIND_KEY_SQL = 'SELECT id FROM snapshot_keys WHERE type = ? AND filename = ? AND line = ?';

export class SnapshotStore {
  private readonly stmts;
  /** Keys never change once written (rows are only ever added), so this cache stays valid. */
  private readonly keysById = new Map<number, SnapshotKey>();
  private readonly idByKey = new Map<string, number>();
  /** Snapshots whose keys are all in keysById. */
  private readonly keysLoaded = new Set<number>();
  private readonly insertTx;

  constructor(readonly db: Db) {
    this.stmts = {
      nextSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM snapshots WHERE session_id = ?').pluck(),
      findKey: db.prepare(FIND_KEY_SQL).pluck(),
      insertKey: db.prepare('INSERT INTO snapshot_keys (type, filename, line) VALUES (?, ?, ?)'),
      insertSnapshot: db.prepare(
        `INSERT INTO snapshots (session_id, seq, t, reason, script_filename, group_count, total_count, total_bytes,
           untracked, gen0, gen1, gen2, permanent, graph, graph_objects, graph_has_ids, graph_roots, graph_omitted)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertGroup: db.prepare(
        `INSERT INTO snapshot_groups (snapshot_id, key_id, count, bytes, untracked, gen0, gen1, gen2, permanent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      list: db.prepare(LIST_SNAPSHOTS_SQL),
      info: db.prepare(SNAPSHOT_INFO_SQL),
      groups: db.prepare(SNAPSHOT_GROUPS_SQL).raw(),
      counts: db.prepare(SNAPSHOT_COUNTS_SQL).raw(),
      countsWithKeys: db.prepare(SNAPSHOT_COUNTS_WITH_KEYS_SQL).raw(),
      keys: db.prepare(SNAPSHOT_KEYS_SQL).raw(),
      graph: db.prepare(SNAPSHOT_GRAPH_SQL),
      hasIds: db.prepare('SELECT graph_has_ids FROM snapshots WHERE id = ?').pluck(),
    };
    this.insertTx = db.transaction((sessionId: number, snap: ProgramSnapshot, scriptFilename: string, maxGraphObjects: number) =>
      this.insertNow(sessionId, snap, scriptFilename, maxGraphObjects),
    );
  }

  /**
   * Stores a snapshot (one transaction) and returns its id. BEGIN IMMEDIATE: runs in several
   * workers may intern the same new key at once, and a deferred transaction that read before
   * another's commit could not upgrade to a write (SQLITE_BUSY_SNAPSHOT under WAL).
   */
  insert(sessionId: number, snapshot: ProgramSnapshot, scriptFilename: string, maxGraphObjects = MAX_GRAPH_OBJECTS): number {
    try {
      return this.insertTx.immediate(sessionId, snapshot, scriptFilename, maxGraphObjects) as number;
    } catch (e) {
      // Keys interned by the rolled-back transaction do not exist: forget every cached key.
      this.idByKey.clear();
      this.keysById.clear();
      this.keysLoaded.clear();
      throw e;
    }
  }

  private insertNow(sessionId: number, snap: ProgramSnapshot, scriptFilename: string, maxGraphObjects: number): number {
    // The front end's group index -> key id; groups with the same key are merged.
    const keyOfGroup = new Int32Array(snap.groups.length);
    const merged = new Map<number, { count: number; bytes: number; gens: number[] }>();
    const totals = { count: 0, bytes: 0, gens: [0, 0, 0, 0, 0] };
    snap.groups.forEach((g, i) => {
      const keyId = this.internKey(g.type, g.filename, g.line);
      keyOfGroup[i] = keyId;
      let row = merged.get(keyId);
      if (!row) merged.set(keyId, (row = { count: 0, bytes: 0, gens: [0, 0, 0, 0, 0] }));
      row.count += g.count;
      row.bytes += g.bytes;
      totals.count += g.count;
      totals.bytes += g.bytes;
      for (let k = 0; k < 5; k++) {
        row.gens[k]! += g.generations[k]!;
        totals.gens[k]! += g.generations[k]!;
      }
    });

    let graphBlob: Buffer | null = null;
    let graphObjects = 0;
    let graphRoots: string | null = null;
    let omitted = snap.graphOmitted;
    let hasIds = false;
    const graph = snap.graph;
    if (graph) {
      const n = graph.group.length;
      if (n > maxGraphObjects) omitted = `the heap had ${n} objects; graphs are kept up to ${maxGraphObjects}`;
      else if (graph.edgeTargets.length > 10 * maxGraphObjects) {
        omitted = `the heap had ${graph.edgeTargets.length} references; graphs are kept up to ${10 * maxGraphObjects}`;
      } else {
        const keyId = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const g = graph.group[i]!;
          if (!(g >= 0 && g < keyOfGroup.length)) throw new Error(`snapshot graph object ${i} is in group ${g}; the snapshot has ${keyOfGroup.length} groups`);
          keyId[i] = keyOfGroup[g]!;
        }
        hasIds = Array.isArray(graph.ids) && graph.ids.length === n;
        graphBlob = encodeGraph({
          n,
          keyId,
          size: Float64Array.from(graph.size),
          edgeStart: Int32Array.from(graph.edgeStart),
          edgeTargets: Int32Array.from(graph.edgeTargets),
          ids: hasIds ? Float64Array.from(graph.ids!) : null,
        });
        graphObjects = n;
        graphRoots = JSON.stringify(graph.roots);
        omitted = null;
      }
    } else omitted ??= 'the front end did not provide an object graph';

    const seq = this.stmts.nextSeq.get(sessionId) as number;
    const info = this.stmts.insertSnapshot.run(
      sessionId, seq, snap.t, snap.reason, scriptFilename, merged.size, totals.count, totals.bytes,
      ...totals.gens, graphBlob, graphObjects, hasIds ? 1 : 0, graphRoots, graphBlob ? null : omitted,
    );
    const id = Number(info.lastInsertRowid);
    const insertGroup = this.stmts.insertGroup;
    for (const [keyId, r] of merged) insertGroup.run(id, keyId, r.count, r.bytes, ...r.gens);
    return id;
  }

  private internKey(type: string, filename: string, line: number): number {
    const k = `${type}\0${filename}\0${line}`;
    let id = this.idByKey.get(k);
    if (id !== undefined) return id;
    id = (this.stmts.findKey.get(type, filename, line) as number | undefined) ?? Number(this.stmts.insertKey.run(type, filename, line).lastInsertRowid);
    this.idByKey.set(k, id);
    this.keysById.set(id, { type, filename, line });
    return id;
  }

  list(sessionId: number): SnapshotInfo[] {
    return (this.stmts.list.all(sessionId) as SnapshotRowDb[]).map(toInfo);
  }

  info(id: number): SnapshotInfo | null {
    const row = this.stmts.info.get(id) as SnapshotRowDb | undefined;
    return row ? toInfo(row) : null;
  }

  scriptFilename(id: number): string | null {
    return (this.stmts.info.get(id) as SnapshotRowDb | undefined)?.script_filename ?? null;
  }

  /** The groups of a snapshot; without generations (an empty `gens`) when only counts and bytes are needed. */
  groups(snapshotId: number, withGenerations = true): GroupColumns {
    if (!withGenerations && !this.keysLoaded.has(snapshotId)) return this.countsWithKeys(snapshotId);
    const rows = (withGenerations ? this.stmts.groups : this.stmts.counts).all(snapshotId) as number[][];
    const n = rows.length;
    const out: GroupColumns = { keyId: new Int32Array(n), count: new Float64Array(n), bytes: new Float64Array(n), gens: new Float64Array(withGenerations ? 5 * n : 0) };
    let missing = false;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      out.keyId[i] = r[0]!;
      out.count[i] = r[1]!;
      out.bytes[i] = r[2]!;
      if (withGenerations) for (let k = 0; k < 5; k++) out.gens[5 * i + k] = r[3 + k]!;
      if (!missing && !this.keysById.has(r[0]!)) missing = true;
    }
    if (missing) {
      for (const [id, type, filename, line] of this.stmts.keys.all(snapshotId) as [number, string, string, number][]) {
        if (!this.keysById.has(id)) this.keysById.set(id, { type, filename, line });
      }
    }
    this.keysLoaded.add(snapshotId);
    return out;
  }

  private countsWithKeys(snapshotId: number): GroupColumns {
    const rows = this.stmts.countsWithKeys.all(snapshotId) as [number, number, number, string, string, number][];
    const n = rows.length;
    const out: GroupColumns = { keyId: new Int32Array(n), count: new Float64Array(n), bytes: new Float64Array(n), gens: new Float64Array(0) };
    for (let i = 0; i < n; i++) {
      const [id, count, bytes, type, filename, line] = rows[i]!;
      out.keyId[i] = id;
      out.count[i] = count;
      out.bytes[i] = bytes;
      if (!this.keysById.has(id)) this.keysById.set(id, { type, filename, line });
    }
    this.keysLoaded.add(snapshotId);
    return out;
  }

  /** A key read by groups() (or written by insert()). */
  key(id: number): SnapshotKey {
    const k = this.keysById.get(id);
    if (!k) throw new Error(`snapshot key ${id} was not loaded`);
    return k;
  }

  /** The stored graph, or null when it was not kept. */
  graph(snapshotId: number): StoredGraph | null {
    const row = this.stmts.graph.get(snapshotId) as { graph: Buffer | null; graph_roots: string | null } | undefined;
    if (!row?.graph) return null;
    return decodeGraph(row.graph, JSON.parse(row.graph_roots ?? '[]') as StoredGraph['roots']);
  }

  graphHasIds(snapshotId: number): boolean {
    return this.stmts.hasIds.get(snapshotId) === 1;
  }
}

function toInfo(r: SnapshotRowDb): SnapshotInfo {
  return {
    id: r.id,
    sessionId: r.session_id,
    seq: r.seq,
    t: r.t,
    reason: r.reason,
    groups: r.group_count,
    count: r.total_count,
    bytes: r.total_bytes,
    generations: [r.untracked, r.gen0, r.gen1, r.gen2, r.permanent] as GenerationSplit,
    graphKept: r.graph_kept === 1,
    graphOmitted: r.graph_omitted,
  };
}
