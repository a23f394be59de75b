// Leak suspects across a session's snapshots, and per-line statistics for the Source view.
// Pure: works on GroupColumns and a key lookup.
import type { LeakSuspect, SourceLineStat } from '../../common/domain';
import type { KeyLookup } from './compare';
import type { GroupColumns } from './store';

/** Strict increases needed: growing across at least three snapshots. */
export const MIN_GROWTH_STEPS = 2;

/**
 * Groups (type at file:line) whose count and bytes never decrease from one snapshot to the next
 * (absent = 0), whose bytes increase at least MIN_GROWTH_STEPS times, and that have tracked
 * objects in generation 2 or the permanent generation in the last snapshot. Ranked by bytes
 * growth, then count growth. A group that grows and then shrinks is not a suspect: its memory
 * came back.
 */
export function leakSuspects(snapshots: GroupColumns[], key: KeyLookup): LeakSuspect[] {
  const s = snapshots.length;
  if (s < MIN_GROWTH_STEPS + 1) return [];
  const series = new Map<number, { counts: number[]; bytes: number[] }>();
  snapshots.forEach((cols, i) => {
    for (let r = 0; r < cols.keyId.length; r++) {
      const k = cols.keyId[r]!;
      let e = series.get(k);
      if (!e) series.set(k, (e = { counts: new Array<number>(s).fill(0), bytes: new Array<number>(s).fill(0) }));
      e.counts[i] = cols.count[r]!;
      e.bytes[i] = cols.bytes[r]!;
    }
  });
  const last = snapshots[s - 1]!;
  const gen2Share = new Map<number, number>();
  for (let r = 0; r < last.keyId.length; r++) {
    const tracked = last.count[r]! - last.gens[5 * r]!;
    if (tracked > 0) gen2Share.set(last.keyId[r]!, (last.gens[5 * r + 3]! + last.gens[5 * r + 4]!) / tracked);
  }
  const out: LeakSuspect[] = [];
  for (const [keyId, e] of series) {
    const share = gen2Share.get(keyId);
    if (!share) continue;
    let steps = 0;
    let ok = true;
    for (let i = 1; i < s && ok; i++) {
      if (e.counts[i]! < e.counts[i - 1]! || e.bytes[i]! < e.bytes[i - 1]!) ok = false;
      else if (e.bytes[i]! > e.bytes[i - 1]!) steps++;
    }
    if (!ok || steps < MIN_GROWTH_STEPS) continue;
    const k = key(keyId);
    out.push({
      type: k.type,
      filename: k.filename,
      line: k.line,
      counts: e.counts,
      bytes: e.bytes,
      bytesGrowth: e.bytes[s - 1]! - e.bytes[0]!,
      countGrowth: e.counts[s - 1]! - e.counts[0]!,
      gen2Share: share,
    });
  }
  return out.sort(
    (a, b) => b.bytesGrowth - a.bytesGrowth || b.countGrowth - a.countGrowth || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) || a.filename.localeCompare(b.filename) || a.line - b.line,
  );
}

/** Count and bytes per line of `filename` (all types), with diffs against `base` when given. */
export function sourceLineStats(filename: string, target: GroupColumns | null, base: GroupColumns | null, key: KeyLookup): SourceLineStat[] {
  const byLine = new Map<number, SourceLineStat>();
  const add = (cols: GroupColumns, sign: 1 | -1) => {
    for (let r = 0; r < cols.keyId.length; r++) {
      const k = key(cols.keyId[r]!);
      if (k.filename !== filename || k.line <= 0) continue;
      let e = byLine.get(k.line);
      if (!e) byLine.set(k.line, (e = { line: k.line, count: 0, bytes: 0, countDiff: 0, bytesDiff: 0 }));
      if (sign === 1) {
        e.count += cols.count[r]!;
        e.bytes += cols.bytes[r]!;
      }
      if (base) {
        e.countDiff += sign * cols.count[r]!;
        e.bytesDiff += sign * cols.bytes[r]!;
      }
    }
  };
  if (target) add(target, 1);
  if (base) add(base, -1);
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}
