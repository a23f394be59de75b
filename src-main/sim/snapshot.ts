// Comparing snapshots (Heap.snapshot() rows aggregated by (type, site)).
import type { TypeSiteRow } from './types';

export interface SnapshotDiffRow {
  type: number;
  typeName: string;
  site: number;
  countBefore: number;
  countAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  countDelta: number;
  bytesDelta: number;
}

const keyOf = (r: TypeSiteRow) => r.type * 4294967296 + (r.site >>> 0);

/** Per (type, site) change between two snapshots, largest byte growth first; unchanged groups are left out. */
export function diffSnapshots(before: TypeSiteRow[], after: TypeSiteRow[]): SnapshotDiffRow[] {
  const rows = new Map<number, SnapshotDiffRow>();
  const get = (r: TypeSiteRow) => {
    const k = keyOf(r);
    let d = rows.get(k);
    if (!d) {
      d = { type: r.type, typeName: r.typeName, site: r.site, countBefore: 0, countAfter: 0, bytesBefore: 0, bytesAfter: 0, countDelta: 0, bytesDelta: 0 };
      rows.set(k, d);
    }
    return d;
  };
  for (const r of before) {
    const d = get(r);
    d.countBefore = r.count;
    d.bytesBefore = r.bytes;
  }
  for (const r of after) {
    const d = get(r);
    d.countAfter = r.count;
    d.bytesAfter = r.bytes;
  }
  const out: SnapshotDiffRow[] = [];
  for (const d of rows.values()) {
    d.countDelta = d.countAfter - d.countBefore;
    d.bytesDelta = d.bytesAfter - d.bytesBefore;
    if (d.countDelta !== 0 || d.bytesDelta !== 0) out.push(d);
  }
  return out.sort((a, b) => b.bytesDelta - a.bytesDelta || b.countDelta - a.countDelta || a.type - b.type || a.site - b.site);
}

export interface LeakSuspect {
  type: number;
  typeName: string;
  site: number;
  /** Object counts in each snapshot, oldest first. */
  counts: number[];
  bytesGrowth: number;
}

/**
 * Groups whose object count never decreases across the snapshots and grows overall by at least
 * `minGrowth` objects: the usual shape of a leak (an unbounded cache, a registry never pruned).
 */
export function leakSuspects(snapshots: TypeSiteRow[][], minGrowth = 1): LeakSuspect[] {
  if (snapshots.length < 2) return [];
  const series = new Map<number, { row: TypeSiteRow; counts: number[]; bytes: number[] }>();
  snapshots.forEach((snap, i) => {
    for (const r of snap) {
      const k = keyOf(r);
      let s = series.get(k);
      if (!s) {
        s = { row: r, counts: new Array(snapshots.length).fill(0), bytes: new Array(snapshots.length).fill(0) };
        series.set(k, s);
      }
      s.counts[i] = r.count;
      s.bytes[i] = r.bytes;
    }
  });
  const out: LeakSuspect[] = [];
  for (const s of series.values()) {
    const c = s.counts;
    let monotonic = true;
    for (let i = 1; i < c.length; i++) if (c[i] < c[i - 1]) monotonic = false;
    if (!monotonic || c[c.length - 1] - c[0] < minGrowth) continue;
    out.push({ type: s.row.type, typeName: s.row.typeName, site: s.row.site, counts: c, bytesGrowth: s.bytes[s.bytes.length - 1] - s.bytes[0] });
  }
  return out.sort((a, b) => b.bytesGrowth - a.bytesGrowth || a.type - b.type || a.site - b.site);
}
