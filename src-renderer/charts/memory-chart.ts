// Pure configuration of the memory-over-time chart: datasets from a min/max-bucketed
// series plus the GC events, the options, and the sizes of server requests.
import type { ChartDataset, ChartOptions, TooltipItem } from 'chart.js';
import { SERIES_METRICS, type GcEvent, type SeriesData, type SeriesMetric } from '../../src-main/common/domain';
import { ARENA_BYTES_COLOR, GEN_COLORS, genColor, GRID_COLOR, LIVE_BYTES_COLOR, TEXT_COLOR, TICK_COLOR } from './colors';
import { formatBytes, formatBytesTick, formatCompactCount, formatCount, formatMs } from './format';

export const NS_PER_MS = 1_000_000;
/** About one bucket per two pixels: each bucket draws a min and a max point. */
export const PIXELS_PER_BUCKET = 2;
export const MIN_BUCKETS = 10;
export const MAX_BUCKETS = 10_000;
/** Collections beyond this in the visible range are not drawn as markers (the table still pages them). */
export const MAX_MARKERS = 10_000;

export function bucketsForWidth(widthPx: number): number {
  if (!Number.isFinite(widthPx) || widthPx <= 0) return MIN_BUCKETS;
  return Math.min(MAX_BUCKETS, Math.max(MIN_BUCKETS, Math.round(widthPx / PIXELS_PER_BUCKET)));
}

export interface ChartPoint {
  x: number;
  y: number;
}

export interface MarkerPoint extends ChartPoint {
  seq: number;
  generation: number;
  collected: number;
  uncollectable: number;
  explicit: boolean;
}

export type MemoryDataset = ChartDataset<'line' | 'scatter', ChartPoint[]>;

interface LineSpec {
  metric: SeriesMetric;
  label: string;
  color: string;
  axis: 'bytes' | 'objects';
  dashed?: boolean;
  fill?: boolean;
}

export const LINE_SPECS: readonly LineSpec[] = [
  { metric: 'liveBytes', label: 'Live bytes', color: LIVE_BYTES_COLOR, axis: 'bytes', fill: true },
  { metric: 'arenaBytes', label: 'Arena bytes (RSS)', color: ARENA_BYTES_COLOR, axis: 'bytes' },
  { metric: 'gen0', label: 'Tracked gen0', color: GEN_COLORS[0], axis: 'objects', dashed: true },
  { metric: 'gen1', label: 'Tracked gen1', color: GEN_COLORS[1], axis: 'objects', dashed: true },
  { metric: 'gen2', label: 'Tracked gen2', color: GEN_COLORS[2], axis: 'objects', dashed: true },
];

const MARKER_STYLE = [
  { pointStyle: 'circle', radius: 3.5 },
  { pointStyle: 'triangle', radius: 5 },
  { pointStyle: 'rectRot', radius: 6.5 },
] as const;

/** Generations with a tracked-objects series; the events may name more (a collector with more generations). */
const SERIES_GENERATIONS = SERIES_METRICS.filter((m) => /^gen\d+$/.test(m)).length;

/** The generations to draw markers for: those of the series, and any other the events name. */
export function markerGenerations(events: readonly GcEvent[]): number {
  let n = SERIES_GENERATIONS;
  for (const e of events) if (e.generation + 1 > n) n = e.generation + 1;
  return n;
}

export function seriesPoints(series: SeriesData, metric: SeriesMetric): ChartPoint[] {
  const values = series.values[metric] ?? [];
  const n = Math.min(series.t.length, values.length);
  const points = new Array<ChartPoint>(n);
  for (let i = 0; i < n; i++) points[i] = { x: series.t[i]! / NS_PER_MS, y: values[i]! };
  return points;
}

/** The value of a metric at time `t` (ns), linearly interpolated between the nearest rows. */
export function valueAt(series: SeriesData, metric: SeriesMetric, t: number): number {
  const ts = series.t;
  const values = series.values[metric] ?? [];
  const n = Math.min(ts.length, values.length);
  if (n === 0) return 0;
  if (t <= ts[0]!) return values[0]!;
  if (t >= ts[n - 1]!) return values[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! <= t) lo = mid;
    else hi = mid;
  }
  const t0 = ts[lo]!;
  const t1 = ts[hi]!;
  if (t1 === t0) return values[hi]!;
  return values[lo]! + ((values[hi]! - values[lo]!) * (t - t0)) / (t1 - t0);
}

/** Collections of one generation as points on the live-bytes line. */
export function markerPoints(series: SeriesData, events: readonly GcEvent[], generation: number): MarkerPoint[] {
  const points: MarkerPoint[] = [];
  for (const e of events) {
    if (e.generation !== generation) continue;
    points.push({
      x: e.t / NS_PER_MS,
      y: valueAt(series, 'liveBytes', e.t),
      seq: e.seq,
      generation: e.generation,
      collected: e.collected,
      uncollectable: e.uncollectable,
      explicit: e.explicit,
    });
  }
  return points;
}

export const MEMORY_LIMIT_COLOR = '#ff9830';
export const MEMORY_LIMIT_LABEL = 'Memory limit';

/** The run's simulated memory limit across the shown range, so the climb towards it is visible. */
export function limitLine(series: SeriesData, memoryLimitBytes: number | null): MemoryDataset | null {
  if (memoryLimitBytes === null) return null;
  return {
    type: 'line',
    label: MEMORY_LIMIT_LABEL,
    data: [
      { x: series.from / NS_PER_MS, y: memoryLimitBytes },
      { x: series.to / NS_PER_MS, y: memoryLimitBytes },
    ],
    yAxisID: 'bytes',
    borderColor: MEMORY_LIMIT_COLOR,
    backgroundColor: MEMORY_LIMIT_COLOR,
    borderWidth: 1.25,
    borderDash: [10, 5],
    pointStyle: 'line',
    pointRadius: 0,
    pointHoverRadius: 0,
    fill: false,
    order: 4,
  };
}

export function buildMemoryDatasets(
  series: SeriesData,
  events: readonly GcEvent[],
  memoryLimitBytes: number | null = null,
): MemoryDataset[] {
  const lines: MemoryDataset[] = LINE_SPECS.map((spec) => ({
    type: 'line',
    label: spec.label,
    data: seriesPoints(series, spec.metric),
    yAxisID: spec.axis,
    // Tracked-object lines stay a little quieter than the byte lines they share the plot with.
    borderColor: spec.axis === 'objects' ? `${spec.color}b3` : spec.color,
    backgroundColor: spec.fill ? `${spec.color}22` : spec.color,
    borderWidth: spec.axis === 'bytes' ? 1.75 : 1,
    borderDash: spec.dashed ? [4, 3] : [],
    fill: spec.fill ? 'origin' : false,
    pointStyle: 'line',
    pointRadius: 0,
    pointHoverRadius: 3,
    stepped: false,
    tension: 0,
    order: spec.axis === 'bytes' ? 2 : 3,
  }));
  const markers: MemoryDataset[] = Array.from({ length: markerGenerations(events) }, (_, g) => g).map((g) => ({
    type: 'scatter',
    label: `Collection gen${g}`,
    data: markerPoints(series, events, g),
    yAxisID: 'bytes',
    borderColor: '#111217',
    borderWidth: 1,
    backgroundColor: genColor(g),
    pointStyle: (MARKER_STYLE[g] ?? MARKER_STYLE[MARKER_STYLE.length - 1]!).pointStyle,
    pointRadius: (MARKER_STYLE[g] ?? MARKER_STYLE[MARKER_STYLE.length - 1]!).radius,
    pointHoverRadius: (MARKER_STYLE[g] ?? MARKER_STYLE[MARKER_STYLE.length - 1]!).radius + 2,
    order: 1 - g / 10,
  }));
  const limit = limitLine(series, memoryLimitBytes);
  return limit ? [...lines, limit, ...markers] : [...lines, ...markers];
}

export function countPoints(datasets: readonly MemoryDataset[]): { seriesPoints: number; markers: number } {
  let series = 0;
  let markers = 0;
  for (const d of datasets) {
    if (d.label === MEMORY_LIMIT_LABEL) continue;
    if (d.type === 'scatter') markers += d.data.length;
    else series += d.data.length;
  }
  return { seriesPoints: series, markers };
}

function tooltipLabel(item: TooltipItem<'line' | 'scatter'>): string {
  const raw = item.raw as Partial<MarkerPoint> & ChartPoint;
  if (raw.seq !== undefined) {
    const how = raw.explicit ? 'gc.collect()' : 'automatic';
    return `Collection #${raw.seq} gen${raw.generation} (${how}): ${formatCount(raw.collected ?? 0)} collected, ${formatCount(raw.uncollectable ?? 0)} uncollectable`;
  }
  const axis = item.dataset.yAxisID;
  return `${item.dataset.label}: ${axis === 'bytes' ? formatBytes(raw.y) : formatCount(raw.y)}`;
}

export interface MemoryChartHandlers {
  /** Called after every zoom or pan step, and when the chart is resized (the bucket count follows the width). */
  onViewChanged: () => void;
}

export function memoryChartOptions(handlers: MemoryChartHandlers): ChartOptions<'line' | 'scatter'> {
  const axisTicks = { color: TICK_COLOR, font: { size: 11 } };
  return {
    parsing: false,
    normalized: true,
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    spanGaps: true,
    onResize: () => handlers.onViewChanged(),
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    scales: {
      x: {
        type: 'linear',
        bounds: 'data',
        title: { display: true, text: 'simulated time', color: TICK_COLOR, font: { size: 11 } },
        ticks: { ...axisTicks, maxRotation: 0, callback: (v) => formatMs(Number(v)) },
        // Chart.js starts ticks at the data minimum (or the zoomed minimum): replace them by round values.
        afterBuildTicks: (scale) => {
          scale.ticks = niceTicks(scale.min, scale.max, Math.max(2, Math.floor(scale.width / 110))).map((value) => ({ value }));
        },
        grid: { color: GRID_COLOR },
      },
      bytes: {
        type: 'linear',
        position: 'left',
        beginAtZero: true,
        // The limits come from afterDataLimits (rounded to a binary step), not from Chart.js's decimal ticks.
        bounds: 'data',
        title: { display: true, text: 'bytes', color: TICK_COLOR, font: { size: 11 } },
        ticks: { ...axisTicks, callback: (v) => formatBytesTick(Number(v)) },
        afterDataLimits: (scale) => {
          const step = byteStep(scale.max - Math.min(0, scale.min), BYTE_TICKS);
          scale.max = Math.max(step, Math.ceil(scale.max / step) * step);
        },
        afterBuildTicks: (scale) => {
          const step = byteStep(scale.max - scale.min, BYTE_TICKS);
          scale.ticks = ticksEvery(scale.min, scale.max, step).map((value) => ({ value }));
        },
        grid: { color: GRID_COLOR },
      },
      objects: {
        type: 'linear',
        position: 'right',
        beginAtZero: true,
        title: { display: true, text: 'tracked objects', color: TICK_COLOR, font: { size: 11 } },
        ticks: { ...axisTicks, callback: (v) => formatCompactCount(Number(v)) },
        grid: { drawOnChartArea: false },
      },
    },
    plugins: {
      legend: {
        position: 'top',
        align: 'start',
        labels: {
          color: TEXT_COLOR,
          boxWidth: 14,
          boxHeight: 8,
          font: { size: 11 },
          padding: 12,
          usePointStyle: true,
          // Series first, then the collection markers, in the order the datasets are declared.
          sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
        },
      },
      tooltip: {
        backgroundColor: '#22252b',
        borderColor: '#34373f',
        borderWidth: 1,
        titleColor: TEXT_COLOR,
        bodyColor: TEXT_COLOR,
        titleFont: { size: 11 },
        bodyFont: { size: 11 },
        callbacks: {
          title: (items) => (items.length ? formatMs(items[0]!.parsed.x ?? 0) : ''),
          label: tooltipLabel,
        },
      },
      decimation: { enabled: true, algorithm: 'min-max' },
      zoom: {
        limits: { x: { min: 'original', max: 'original', minRange: 0.001 } },
        pan: { enabled: true, mode: 'x', onPanComplete: handlers.onViewChanged },
        zoom: {
          mode: 'x',
          wheel: { enabled: true, speed: 0.15 },
          pinch: { enabled: true },
          onZoomComplete: handlers.onViewChanged,
        },
      },
    },
  };
}

/** The 1-2-5 step nearest to `raw`. */
export function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  return (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude;
}

function ticksEvery(min: number, max: number, step: number): number[] {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(decimals)));
  return ticks;
}

/** Round tick values inside [min, max], about `count` of them, with 1-2-5 steps. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min || count < 1) return Number.isFinite(min) ? [min] : [];
  return ticksEvery(min, max, niceStep((max - min) / count));
}

/**
 * A tick step for bytes: 1-2-5 multiples of B, KiB, MiB or GiB, or binary fractions of
 * the unit below one (256 KiB, 512 KiB), so labels read like sizes people use.
 */
export function byteStep(span: number, count: number): number {
  if (!(span > 0) || count < 1) return 1;
  const unit = span >= 1024 ** 3 ? 1024 ** 3 : span >= 1024 ** 2 ? 1024 ** 2 : span >= 1024 ? 1024 : 1;
  const raw = span / unit / count;
  const inUnits = raw >= 1 || unit === 1 ? niceStep(raw) : 2 ** Math.round(Math.log2(raw));
  return Math.max(1, inUnits * unit);
}

const BYTE_TICKS = 6;

/** The time range (ns) to ask the server for, given the visible axis range in ms. */
export function visibleRangeNs(minMs: number, maxMs: number): { from: number; to: number } {
  const from = Math.max(0, Math.floor(minMs * NS_PER_MS));
  const to = Math.max(from, Math.ceil(maxMs * NS_PER_MS));
  return { from, to };
}

// ---- Snapshot marks: a vertical line per snapshot; picking two opens their comparison.

export const SNAPSHOT_MARK_COLOR = '#8ab8ff';
export const SNAPSHOT_PICKED_COLOR = '#ff9830';
/** How close (px) a click must be to a mark to pick it. */
export const MARK_HIT_PX = 6;

export interface SnapshotMark {
  id: number;
  seq: number;
  /** Simulated ms, the x axis unit. */
  x: number;
  picked: boolean;
}

export function snapshotMarks(snapshots: readonly { id: number; seq: number; t: number }[], picked: readonly number[]): SnapshotMark[] {
  return snapshots.map((s) => ({ id: s.id, seq: s.seq, x: s.t / NS_PER_MS, picked: picked.includes(s.id) }));
}

/** The mark nearest to a click at pixel `px`, if within MARK_HIT_PX; `toPixel` maps ms to pixels. */
export function markAt(marks: readonly SnapshotMark[], px: number, toPixel: (ms: number) => number): SnapshotMark | null {
  let best: SnapshotMark | null = null;
  let bestDistance = MARK_HIT_PX + 1e-9;
  for (const m of marks) {
    const d = Math.abs(toPixel(m.x) - px);
    if (d <= bestDistance) {
      best = m;
      bestDistance = d;
    }
  }
  return best;
}
