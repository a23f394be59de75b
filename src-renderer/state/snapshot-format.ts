// Labels and figures of the snapshot views: signed deltas, row highlighting, group names,
// generation shares and snapshot captions.
import type { GenerationSplit, SnapshotCompareRow, SnapshotGroupBy, SnapshotInfo, SnapshotReason } from '../../src-main/common/domain';
import { formatBytes, formatCount, formatMs } from '../charts/format';

const MINUS = '\u2212';

/** A signed count: +1,234, −56, 0. */
export function formatCountDelta(n: number): string {
  if (n === 0 || !Number.isFinite(n)) return Number.isFinite(n) ? '0' : '—';
  return `${n > 0 ? '+' : MINUS}${formatCount(Math.abs(n))}`;
}

/** Signed bytes: +1.50 KiB, −200 B, 0 B. */
export function formatBytesDelta(n: number): string {
  if (n === 0 || !Number.isFinite(n)) return Number.isFinite(n) ? '0 B' : '—';
  return `${n > 0 ? '+' : MINUS}${formatBytes(Math.abs(n))}`;
}

export type DeltaTone = 'grow' | 'shrink' | 'same';

/** How a comparison row is highlighted: growth (bytes first, then count) stands out. */
export function deltaTone(row: Pick<SnapshotCompareRow, 'sizeDiff' | 'countDiff'>): DeltaTone {
  if (row.sizeDiff > 0 || (row.sizeDiff === 0 && row.countDiff > 0)) return 'grow';
  if (row.sizeDiff < 0 || (row.sizeDiff === 0 && row.countDiff < 0)) return 'shrink';
  return 'same';
}

export function toneOf(n: number): DeltaTone {
  return n > 0 ? 'grow' : n < 0 ? 'shrink' : 'same';
}

/** `file:line`, with the interpreter's own objects (line 0) named by the file alone. */
export function placeLabel(filename: string | null, line: number | null): string {
  if (filename === null) return '';
  if (line === null || line === 0) return filename;
  return `${filename}:${line}`;
}

export interface GroupKey {
  type: string | null;
  filename: string | null;
  line: number | null;
}

/** A row's group as text, for the grouping it was fetched with. */
export function groupLabel(row: GroupKey): string {
  const place = placeLabel(row.filename, row.line);
  if (row.type !== null && place) return `${row.type} at ${place}`;
  return row.type ?? place;
}

/** A stable key of a row within its grouping (for {#each} and selection). */
export function groupKey(row: GroupKey): string {
  return `${row.type ?? ''}\u0000${row.filename ?? ''}\u0000${row.line ?? ''}`;
}

/** The fields getRetainers needs to name a group; a grouped-out field is left out. */
export function retainersQuery(row: GroupKey): { type?: string; filename?: string; line?: number } {
  return {
    ...(row.type !== null ? { type: row.type } : {}),
    ...(row.filename !== null ? { filename: row.filename } : {}),
    ...(row.line !== null ? { line: row.line } : {}),
  };
}

/** A row can open the script's source when it names a line of user code. */
export function sourceLineOf(row: GroupKey, scriptFilename: string | null): number | null {
  if (row.line === null || row.line <= 0 || row.filename === null) return null;
  if (scriptFilename !== null && row.filename !== scriptFilename) return null;
  return row.line;
}

export const GENERATION_NAMES = ['untracked', 'gen0', 'gen1', 'gen2', 'permanent'] as const;

/** The colour of each of GENERATION_NAMES, shared by the generation bar and its legend. */
export const GENERATION_COLORS: readonly string[] = ['#5a5d66', 'var(--gen0)', 'var(--gen1)', 'var(--gen2)', '#8ab8ff'];

/** Each part of a generation split as a percentage of the whole (0 when empty). */
export function generationShares(split: GenerationSplit): number[] {
  const total = split.reduce((a, b) => a + b, 0);
  return split.map((n) => (total > 0 ? (n / total) * 100 : 0));
}

export function generationTitle(split: GenerationSplit): string {
  return GENERATION_NAMES.map((name, i) => `${name} ${formatCount(split[i]!)}`).join(' · ');
}

const REASONS: Record<SnapshotReason, string> = {
  script: 'take_snapshot()',
  user: 'button',
  auto: 'automatic',
  'full-collection': 'full collection',
};

export function reasonLabel(reason: SnapshotReason): string {
  return REASONS[reason];
}

/** `#3 · 1.5 ms · automatic` */
export function snapshotLabel(s: Pick<SnapshotInfo, 'seq' | 't' | 'reason'>): string {
  return `#${s.seq} · ${formatMs(s.t / 1_000_000)} · ${reasonLabel(s.reason)}`;
}

export const GROUP_BY_LABELS: Record<SnapshotGroupBy, string> = {
  type: 'Type',
  line: 'Line',
  file: 'File',
  'type-line': 'Type at line',
};

/**
 * Picking snapshots on the timeline: a click toggles a pick; a second pick completes a pair,
 * returned oldest first (base, target).
 */
export function togglePick(picked: readonly number[], id: number, seqOf: (id: number) => number): { picked: number[]; pair: [number, number] | null } {
  if (picked.includes(id)) return { picked: picked.filter((p) => p !== id), pair: null };
  const next = [...picked, id].slice(-2);
  if (next.length < 2) return { picked: next, pair: null };
  const [a, b] = next as [number, number];
  return { picked: next, pair: seqOf(a) <= seqOf(b) ? [a, b] : [b, a] };
}

/** A sparkline's polyline points for values in a w×h box (y grows downwards). */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const max = Math.max(...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - ((v - min) / span) * height).toFixed(1)}`)
    .join(' ');
}
