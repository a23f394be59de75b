import { describe, expect, it } from 'vitest';
import type { GcEvent, SeriesData } from '../../src-main/common/domain';
import { GEN_COLORS } from './colors';
import {
  bucketsForWidth,
  buildMemoryDatasets,
  countPoints,
  markerPoints,
  memoryChartOptions,
  MAX_BUCKETS,
  niceTicks,
  byteStep,
  valueAt,
  visibleRangeNs,
  snapshotMarks,
  markAt,
} from './memory-chart';

function series(t: number[], liveBytes: number[]): SeriesData {
  const zeros = t.map(() => 0);
  return {
    from: t[0] ?? 0,
    to: t[t.length - 1] ?? 0,
    total: t.length,
    t,
    values: { liveBytes, arenaBytes: liveBytes.map((b) => b * 2), objects: zeros, gen0: t.map((_, i) => i), gen1: zeros, gen2: zeros, count0: zeros },
  };
}

function gc(seq: number, t: number, generation: number): GcEvent {
  return { seq, t, generation, collected: seq * 10, uncollectable: 0, explicit: false, sizes: [0, 0, 0, 0] };
}

describe('bucketsForWidth', () => {
  it('asks for about one bucket per two pixels, within the server limits', () => {
    expect(bucketsForWidth(1200)).toBe(600);
    expect(bucketsForWidth(0)).toBe(10);
    expect(bucketsForWidth(Number.NaN)).toBe(10);
    expect(bucketsForWidth(1e9)).toBe(MAX_BUCKETS);
  });
});

describe('valueAt', () => {
  const s = series([0, 1_000_000, 2_000_000], [100, 300, 200]);
  it('interpolates between rows and clamps at the ends', () => {
    expect(valueAt(s, 'liveBytes', 500_000)).toBe(200);
    expect(valueAt(s, 'liveBytes', 1_500_000)).toBe(250);
    expect(valueAt(s, 'liveBytes', -5)).toBe(100);
    expect(valueAt(s, 'liveBytes', 9e9)).toBe(200);
  });
  it('handles the duplicate times of a min/max bucket and an empty series', () => {
    const minMax = series([0, 1_000_000, 1_000_000, 2_000_000], [0, 50, 90, 100]);
    expect(valueAt(minMax, 'liveBytes', 1_000_000)).toBe(90);
    expect(valueAt(series([], []), 'liveBytes', 5)).toBe(0);
  });
});

describe('buildMemoryDatasets', () => {
  const s = series([0, 1_000_000, 2_000_000], [100, 300, 200]);
  const events = [gc(1, 500_000, 0), gc(2, 1_000_000, 1), gc(3, 1_500_000, 0), gc(4, 2_000_000, 2)];
  const datasets = buildMemoryDatasets(s, events);

  it('draws live and arena bytes on the bytes axis and tracked objects per generation on the second axis', () => {
    const lines = datasets.filter((d) => d.type === 'line');
    expect(lines.map((d) => [d.label, d.yAxisID])).toEqual([
      ['Live bytes', 'bytes'],
      ['Arena bytes (RSS)', 'bytes'],
      ['Tracked gen0', 'objects'],
      ['Tracked gen1', 'objects'],
      ['Tracked gen2', 'objects'],
    ]);
    expect(lines[0]!.data).toEqual([{ x: 0, y: 100 }, { x: 1, y: 300 }, { x: 2, y: 200 }]);
    expect(lines[1]!.data[1]).toEqual({ x: 1, y: 600 });
    expect(lines[2]!.data.map((p) => p.y)).toEqual([0, 1, 2]);
  });

  it('adds one scatter dataset per generation, coloured like that generation, on the live-bytes line', () => {
    const markers = datasets.filter((d) => d.type === 'scatter');
    expect(markers.map((d) => d.label)).toEqual(['Collection gen0', 'Collection gen1', 'Collection gen2']);
    expect(markers.map((d) => d.backgroundColor)).toEqual([...GEN_COLORS]);
    expect(markers[0]!.data.map((p) => [p.x, p.y])).toEqual([[0.5, 200], [1.5, 250]]);
    expect(markers[2]!.data[0]).toMatchObject({ x: 2, y: 200, seq: 4, generation: 2, collected: 40 });
    expect(String(datasets.find((d) => d.label === 'Tracked gen2')!.borderColor).startsWith(GEN_COLORS[2])).toBe(true);
  });

  it('draws markers for every generation the events name, beyond the three of the series', () => {
    const more = buildMemoryDatasets(s, [...events, gc(5, 2_000_000, 3)]).filter((d) => d.type === 'scatter');
    expect(more.map((d) => d.label)).toEqual(['Collection gen0', 'Collection gen1', 'Collection gen2', 'Collection gen3']);
    expect(more[3]!.data).toMatchObject([{ seq: 5, generation: 3 }]);
    expect(more[3]!.backgroundColor).toBe(GEN_COLORS[2]);
  });

  it('counts series points and markers', () => {
    expect(countPoints(datasets)).toEqual({ seriesPoints: 15, markers: 4 });
    expect(markerPoints(s, events, 1)).toHaveLength(1);
  });
});

describe('memoryChartOptions', () => {
  it('is configured for large pre-bucketed data with zoom and pan on x', () => {
    const calls: string[] = [];
    const options = memoryChartOptions({ onViewChanged: () => calls.push('view') });
    expect(options.parsing).toBe(false);
    expect(options.normalized).toBe(true);
    expect(options.animation).toBe(false);
    expect(options.scales?.['x']?.type).toBe('linear');
    const zoom = options.plugins?.zoom;
    expect(zoom?.zoom?.wheel?.enabled).toBe(true);
    expect(zoom?.zoom?.pinch?.enabled).toBe(true);
    expect(zoom?.pan?.enabled).toBe(true);
    expect(zoom?.zoom?.mode).toBe('x');
    zoom?.zoom?.onZoomComplete?.({ chart: null as never });
    zoom?.pan?.onPanComplete?.({ chart: null as never });
    options.onResize?.(null as never, { width: 800, height: 300 });
    expect(calls).toEqual(['view', 'view', 'view']);
  });
});

describe('visibleRangeNs', () => {
  it('converts the axis milliseconds to a non-negative ns range', () => {
    expect(visibleRangeNs(1.5, 2.25)).toEqual({ from: 1_500_000, to: 2_250_000 });
    expect(visibleRangeNs(-3, 1)).toEqual({ from: 0, to: 1_000_000 });
  });
});

describe('niceTicks', () => {
  it('puts round 1-2-5 steps inside the range, whatever its bounds', () => {
    expect(niceTicks(0.0541, 5.7, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(niceTicks(304.7, 681.8, 8)).toEqual([350, 400, 450, 500, 550, 600, 650]);
    expect(niceTicks(0, 1000, 4)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0.0012, 0.0019, 4)).toEqual([0.0012, 0.0014, 0.0016, 0.0018]);
  });
  it('degrades gracefully on an empty or invalid range', () => {
    expect(niceTicks(3, 3, 5)).toEqual([3]);
    expect(niceTicks(Number.NaN, 1, 5)).toEqual([]);
  });
});

describe('byteStep', () => {
  it('steps in round binary units', () => {
    expect(byteStep(4.5 * 1024 ** 2, 6)).toBe(1024 ** 2);
    expect(byteStep(1.14 * 1024 ** 2, 6)).toBe(256 * 1024);
    expect(byteStep(300 * 1024, 6)).toBe(50 * 1024);
    expect(byteStep(2048, 6)).toBe(256);
    expect(byteStep(500, 6)).toBe(100);
    expect(byteStep(0, 6)).toBe(1);
  });
});

describe('the memory limit line', () => {
  const s = series([1_000_000, 3_000_000], [10, 20]);
  it('spans the shown range at the limit, on the bytes axis, and is not counted as data', () => {
    const datasets = buildMemoryDatasets(s, [], 8 * 1024 * 1024);
    const limit = datasets.find((d) => d.label === 'Memory limit')!;
    expect(limit.yAxisID).toBe('bytes');
    expect(limit.data).toEqual([{ x: 1, y: 8388608 }, { x: 3, y: 8388608 }]);
    expect(countPoints(datasets)).toEqual({ seriesPoints: 10, markers: 0 });
  });
  it('is absent without a limit', () => {
    expect(buildMemoryDatasets(s, []).some((d) => d.label === 'Memory limit')).toBe(false);
  });
});

describe('snapshot marks', () => {
  const snaps = [
    { id: 4, seq: 1, t: 1_000_000 },
    { id: 9, seq: 2, t: 2_000_000 },
  ];
  it('places one mark per snapshot at its simulated time, flagging the picked ones', () => {
    expect(snapshotMarks(snaps, [9])).toEqual([
      { id: 4, seq: 1, x: 1, picked: false },
      { id: 9, seq: 2, x: 2, picked: true },
    ]);
  });
  it('hits the nearest mark within a few pixels, and nothing farther', () => {
    const marks = snapshotMarks(snaps, []);
    const toPixel = (ms: number) => ms * 100;
    expect(markAt(marks, 104, toPixel)?.id).toBe(4);
    expect(markAt(marks, 197, toPixel)?.id).toBe(9);
    expect(markAt(marks, 150, toPixel)).toBeNull();
  });
});
