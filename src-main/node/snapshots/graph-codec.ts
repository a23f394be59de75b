// The stored form of a snapshot's object graph: one BLOB of typed arrays. Float64 sections
// first so every view is aligned: [header i32 x4][size f64 n][ids f64 n, optional]
// [keyId i32 n][edgeStart i32 n+1][edgeTargets i32 m].
const VERSION = 1;
const HEADER_BYTES = 16;

/** A decoded graph: object i belongs to the snapshot_keys row keyId[i]. */
export interface StoredGraph {
  n: number;
  keyId: Int32Array;
  size: Float64Array;
  edgeStart: Int32Array;
  edgeTargets: Int32Array;
  /** Engine object ids, when the front end gave them (stable across snapshots of one run). */
  ids: Float64Array | null;
  roots: { index: number; label: string }[];
}

export function encodeGraph(g: Omit<StoredGraph, 'roots'>): Buffer {
  const n = g.n;
  const m = g.edgeTargets.length;
  const hasIds = g.ids !== null;
  const bytes = HEADER_BYTES + 8 * n * (hasIds ? 2 : 1) + 4 * (n + n + 1 + m);
  const buf = new ArrayBuffer(bytes);
  new Int32Array(buf, 0, 4).set([VERSION, n, m, hasIds ? 1 : 0]);
  let at = HEADER_BYTES;
  new Float64Array(buf, at, n).set(g.size);
  at += 8 * n;
  if (hasIds) {
    new Float64Array(buf, at, n).set(g.ids!);
    at += 8 * n;
  }
  new Int32Array(buf, at, n).set(g.keyId);
  at += 4 * n;
  new Int32Array(buf, at, n + 1).set(g.edgeStart);
  at += 4 * (n + 1);
  new Int32Array(buf, at, m).set(g.edgeTargets);
  return Buffer.from(buf);
}

export function decodeGraph(blob: Uint8Array, roots: StoredGraph['roots']): StoredGraph {
  // A copy: SQLite's buffer may start at any offset, typed views need alignment.
  const buf = blob.slice().buffer;
  const [version, n, m, hasIds] = new Int32Array(buf, 0, 4);
  if (version !== VERSION) throw new Error(`unknown snapshot graph format ${version}`);
  let at = HEADER_BYTES;
  const size = new Float64Array(buf, at, n!);
  at += 8 * n!;
  let ids: Float64Array | null = null;
  if (hasIds) {
    ids = new Float64Array(buf, at, n!);
    at += 8 * n!;
  }
  const keyId = new Int32Array(buf, at, n!);
  at += 4 * n!;
  const edgeStart = new Int32Array(buf, at, n! + 1);
  at += 4 * (n! + 1);
  const edgeTargets = new Int32Array(buf, at, m!);
  return { n: n!, keyId, size, edgeStart, edgeTargets, ids, roots };
}
