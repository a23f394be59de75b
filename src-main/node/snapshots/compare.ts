// Grouping, paging and tracemalloc-style comparison of stored snapshot groups. Pure: works on
// GroupColumns and a key lookup, so it is tested without a database.
import type {
  GenerationSplit,
  SnapshotCompareRow,
  SnapshotGroupBy,
  SnapshotRow,
  SnapshotTotals,
} from '../../common/domain';
import type { GroupColumns, SnapshotKey } from './store';

export type KeyLookup = (keyId: number) => SnapshotKey;

export interface Aggregate {
  type: string | null;
  filename: string | null;
  line: number | null;
  count: number;
  bytes: number;
  gens: GenerationSplit;
}

/** The grouping key of a stored (type, file, line) place. */
export function groupKey(k: SnapshotKey, keyId: number, by: SnapshotGroupBy): string | number {
  switch (by) {
    case 'type-line':
      return keyId;
    case 'type':
      return k.type;
    case 'file':
      return k.filename;
    case 'line':
      return `${k.filename}\0${k.line}`;
  }
}

function newAggregate(k: SnapshotKey, by: SnapshotGroupBy): Aggregate {
  return {
    type: by === 'type' || by === 'type-line' ? k.type : null,
    filename: by === 'type' ? null : k.filename,
    line: by === 'line' || by === 'type-line' ? k.line : null,
    count: 0,
    bytes: 0,
    gens: [0, 0, 0, 0, 0],
  };
}

/** Objects kept by a filter: the type or file name contains the text (case-insensitive). */
export function keyFilter(filter: string | undefined, key: KeyLookup): ((keyId: number) => boolean) | null {
  const f = filter?.trim().toLowerCase();
  if (!f) return null;
  const memo = new Map<number, boolean>();
  return (keyId) => {
    let ok = memo.get(keyId);
    if (ok === undefined) {
      const k = key(keyId);
      ok = k.type.toLowerCase().includes(f) || k.filename.toLowerCase().includes(f);
      memo.set(keyId, ok);
    }
    return ok;
  };
}

/** Sums the groups by `by`, keeping only keys the filter accepts. */
export function aggregate(
  cols: GroupColumns,
  by: SnapshotGroupBy,
  key: KeyLookup,
  accept: ((keyId: number) => boolean) | null,
): Map<string | number, Aggregate> {
  const out = new Map<string | number, Aggregate>();
  const n = cols.keyId.length;
  for (let i = 0; i < n; i++) {
    const id = cols.keyId[i]!;
    if (accept && !accept(id)) continue;
    const k = key(id);
    const g = groupKey(k, id, by);
    let a = out.get(g);
    if (!a) out.set(g, (a = newAggregate(k, by)));
    a.count += cols.count[i]!;
    a.bytes += cols.bytes[i]!;
    for (let j = 0; j < 5; j++) a.gens[j]! += cols.gens[5 * i + j]!;
  }
  return out;
}

/** Ascending by type, file, line (absent parts first). */
export function compareKeys(a: Pick<Aggregate, 'type' | 'filename' | 'line'>, b: Pick<Aggregate, 'type' | 'filename' | 'line'>): number {
  const ta = a.type ?? '';
  const tb = b.type ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const fa = a.filename ?? '';
  const fb = b.filename ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0);
}

export type SnapshotSort = 'bytes' | 'count' | 'key';

export function snapshotRows(
  groups: Map<string | number, Aggregate>,
  sort: SnapshotSort,
  offset: number,
  limit: number,
): { rows: SnapshotRow[]; totals: SnapshotTotals; totalRows: number } {
  const all = [...groups.values()];
  const totals: SnapshotTotals = { count: 0, bytes: 0, generations: [0, 0, 0, 0, 0] };
  for (const a of all) {
    totals.count += a.count;
    totals.bytes += a.bytes;
    for (let j = 0; j < 5; j++) totals.generations[j]! += a.gens[j]!;
  }
  const order =
    sort === 'key'
      ? compareKeys
      : sort === 'count'
        ? (a: Aggregate, b: Aggregate) => b.count - a.count || b.bytes - a.bytes || compareKeys(a, b)
        : (a: Aggregate, b: Aggregate) => b.bytes - a.bytes || b.count - a.count || compareKeys(a, b);
  const rows = topK(all, order, offset + limit)
    .slice(offset, offset + limit)
    .map((a) => ({ type: a.type, filename: a.filename, line: a.line, count: a.count, bytes: a.bytes, generations: a.gens }));
  return { rows, totals, totalRows: all.length };
}

/** New and deleted objects per stored key, from object identities. */
export interface IdentityChurn {
  newByKey: Map<number, number>;
  deletedByKey: Map<number, number>;
}

/**
 * Objects (by engine id) of the target missing from the base are new; of the base missing from
 * the target, deleted. An id found in both but under another key (reused) counts as both.
 */
export function identityChurn(
  base: { ids: Float64Array; keyId: Int32Array },
  target: { ids: Float64Array; keyId: Int32Array },
): IdentityChurn {
  const keyOfBaseId = new Map<number, number>();
  for (let i = 0; i < base.ids.length; i++) keyOfBaseId.set(base.ids[i]!, base.keyId[i]!);
  const newByKey = new Map<number, number>();
  const seen = new Set<number>();
  for (let i = 0; i < target.ids.length; i++) {
    const id = target.ids[i]!;
    const k = target.keyId[i]!;
    if (keyOfBaseId.get(id) === k) seen.add(id);
    else newByKey.set(k, (newByKey.get(k) ?? 0) + 1);
  }
  const deletedByKey = new Map<number, number>();
  for (let i = 0; i < base.ids.length; i++) {
    if (seen.has(base.ids[i]!)) continue;
    const k = base.keyId[i]!;
    deletedByKey.set(k, (deletedByKey.get(k) ?? 0) + 1);
  }
  return { newByKey, deletedByKey };
}

/**
 * Numbers for groups: the same (type | file | file:line | key) gets the same id in every snapshot,
 * so a comparison merges on integers. Memoised per stored key; keep one for a connection's life.
 */
export class GroupIds {
  private readonly types = new Map<string, number>();
  private readonly files = new Map<string, number>();

  private static intern(m: Map<string, number>, s: string): number {
    let id = m.get(s);
    if (id === undefined) m.set(s, (id = m.size));
    return id;
  }

  id(keyId: number, by: SnapshotGroupBy, key: KeyLookup): number {
    switch (by) {
      case 'type-line':
        return keyId;
      case 'type':
        return GroupIds.intern(this.types, key(keyId).type);
      case 'file':
        return GroupIds.intern(this.files, key(keyId).filename);
      case 'line': {
        const k = key(keyId);
        return GroupIds.intern(this.files, k.filename) * 4294967296 + k.line;
      }
    }
  }
}

/** Per-group churn for DevTools' # New / # Deleted, by group id. */
export interface Churn {
  newOf(groupId: number): number;
  deletedOf(groupId: number): number;
}

/**
 * tracemalloc's compare_to: one row per group of either snapshot; sorted by |size_diff|, size,
 * |count_diff|, count (all descending, as StatisticDiff._sort_key with reverse=True), then the
 * key ascending so ties are stable. Columnar: only the requested page becomes row objects.
 */
export function compareGroups(
  base: GroupColumns,
  target: GroupColumns,
  by: SnapshotGroupBy,
  key: KeyLookup,
  accept: ((keyId: number) => boolean) | null,
  ids: GroupIds,
  offset: number,
  limit: number,
  churn?: Churn,
): { rows: SnapshotCompareRow[]; totalRows: number; totals: { size: number; sizeDiff: number; count: number; countDiff: number } } {
  const slotOf = new Map<number, number>();
  const groupId: number[] = [];
  const sample: number[] = [];
  const cap = base.keyId.length + target.keyId.length;
  const baseCount = new Float64Array(cap);
  const baseBytes = new Float64Array(cap);
  const count = new Float64Array(cap);
  const size = new Float64Array(cap);
  const add = (cols: GroupColumns, toCount: Float64Array, toBytes: Float64Array) => {
    for (let i = 0; i < cols.keyId.length; i++) {
      const k = cols.keyId[i]!;
      if (accept && !accept(k)) continue;
      const g = ids.id(k, by, key);
      let slot = slotOf.get(g);
      if (slot === undefined) {
        slot = groupId.length;
        slotOf.set(g, slot);
        groupId.push(g);
        sample.push(k);
      }
      toCount[slot]! += cols.count[i]!;
      toBytes[slot]! += cols.bytes[i]!;
    }
  };
  add(base, baseCount, baseBytes);
  add(target, count, size);
  const n = groupId.length;
  const totals = { size: 0, sizeDiff: 0, count: 0, countDiff: 0 };
  const absSize = new Float64Array(n);
  const absCount = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    totals.size += size[s]!;
    totals.count += count[s]!;
    totals.sizeDiff += size[s]! - baseBytes[s]!;
    totals.countDiff += count[s]! - baseCount[s]!;
    absSize[s] = Math.abs(size[s]! - baseBytes[s]!);
    absCount[s] = Math.abs(count[s]! - baseCount[s]!);
  }
  const showType = by === 'type' || by === 'type-line';
  const showFile = by !== 'type';
  const showLine = by === 'line' || by === 'type-line';
  const byKey = (a: number, b: number) => {
    const ka = key(sample[a]!);
    const kb = key(sample[b]!);
    if (showType && ka.type !== kb.type) return ka.type < kb.type ? -1 : 1;
    if (showFile && ka.filename !== kb.filename) return ka.filename < kb.filename ? -1 : 1;
    return showLine ? ka.line - kb.line : 0;
  };
  const display = (s: number) => {
    const k = key(sample[s]!);
    return { type: showType ? k.type : null, filename: showFile ? k.filename : null, line: showLine ? k.line : null };
  };
  const order = (a: number, b: number) =>
    absSize[b]! - absSize[a]! || size[b]! - size[a]! || absCount[b]! - absCount[a]! || count[b]! - count[a]! || byKey(a, b);
  const slots = Array.from({ length: n }, (_, i) => i);
  const rows = topK(slots, order, offset + limit)
    .slice(offset, offset + limit)
    .map((s) => {
      const countDiff = count[s]! - baseCount[s]!;
      return {
        ...display(s),
        size: size[s]!,
        sizeDiff: size[s]! - baseBytes[s]!,
        count: count[s]!,
        countDiff,
        newCount: churn ? churn.newOf(groupId[s]!) : Math.max(countDiff, 0),
        deletedCount: churn ? churn.deletedOf(groupId[s]!) : Math.max(-countDiff, 0),
      };
    });
  return { rows, totalRows: n, totals };
}

/**
 * The first k items of `items` sorted by `order`. For a first page of a big table a partial
 * selection (quickselect around the k-th, then sorting k items) beats sorting everything.
 */
export function topK<T>(items: T[], order: (a: T, b: T) => number, k: number): T[] {
  if (k >= items.length / 4) return items.sort(order).slice(0, k);
  const a = items.slice();
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (order(a[i]!, pivot) < 0) i++;
      while (order(a[j]!, pivot) > 0) j--;
      if (i <= j) {
        const tmp = a[i]!;
        a[i] = a[j]!;
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
  return a.slice(0, k).sort(order);
}
