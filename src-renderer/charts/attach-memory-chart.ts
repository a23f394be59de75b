// Binds the memory chart to a canvas. Zoom and pan report the visible range (debounced)
// so the caller can refetch a min/max-bucketed series for just that range.
import {
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { GcEvent, SeriesData } from '../../src-main/common/domain';
import {
  bucketsForWidth,
  buildMemoryDatasets,
  countPoints,
  markAt,
  memoryChartOptions,
  SNAPSHOT_MARK_COLOR,
  SNAPSHOT_PICKED_COLOR,
  visibleRangeNs,
  type SnapshotMark,
} from './memory-chart';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip, Legend, Decimation, Filler, zoomPlugin);

export interface ViewRequest {
  /** null = the whole session. */
  range: { from: number; to: number } | null;
  buckets: number;
}

export interface MemoryChartHandle {
  update(series: SeriesData, events: readonly GcEvent[], memoryLimitBytes: number | null): { seriesPoints: number; markers: number };
  resetZoom(): void;
  /** What to fetch for the current view and width. */
  currentView(): ViewRequest;
  /** Draws a vertical mark per snapshot; returns how many are drawn. */
  setSnapshotMarks(marks: readonly SnapshotMark[]): number;
  destroy(): void;
}

const VIEW_CHANGE_DEBOUNCE_MS = 120;

/** Where a snapshot mark is drawn, in CSS pixels from the canvas's left edge. */
export interface DrawnMark {
  id: number;
  seq: number;
  px: number;
  /** The plot area's top edge, where the mark starts. */
  top: number;
  picked: boolean;
}

/** Vertical snapshot marks over the plot; reports where they were drawn so the caller can place their labels. */
function snapshotMarksPlugin(getMarks: () => readonly SnapshotMark[], onDrawn: (drawn: DrawnMark[]) => void): Plugin<'line' | 'scatter'> {
  let lastReport = '';
  return {
    id: 'snapshotMarks',
    afterDatasetsDraw(chart) {
      const x = chart.scales['x'];
      const area = chart.chartArea;
      if (!x || !area) return;
      const ctx = chart.ctx;
      const drawn: DrawnMark[] = [];
      ctx.save();
      for (const m of getMarks()) {
        const px = x.getPixelForValue(m.x);
        if (!Number.isFinite(px) || px < area.left - 0.5 || px > area.right + 0.5) continue;
        ctx.strokeStyle = m.picked ? SNAPSHOT_PICKED_COLOR : SNAPSHOT_MARK_COLOR;
        ctx.lineWidth = m.picked ? 2 : 1;
        ctx.setLineDash(m.picked ? [] : [3, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        drawn.push({ id: m.id, seq: m.seq, px: Math.round(px * 10) / 10, top: Math.round(area.top), picked: m.picked });
      }
      ctx.restore();
      const report = JSON.stringify(drawn);
      if (report !== lastReport) {
        lastReport = report;
        onDrawn(drawn);
      }
    },
  };
}

/** Room between the legend and the plot for the snapshot marks' labels. */
const MARK_LABEL_ROOM_PX = 18;
const legendRoomPlugin: Plugin<'line' | 'scatter'> = {
  id: 'snapshotMarkRoom',
  beforeInit(chart) {
    const legend = chart.legend;
    if (!legend) return;
    const fit = legend.fit.bind(legend);
    legend.fit = () => {
      fit();
      legend.height += MARK_LABEL_ROOM_PX;
    };
  },
};

export function attachMemoryChart(
  canvas: HTMLCanvasElement,
  onViewChange: (view: ViewRequest) => void,
  onMarkClick: (snapshotId: number) => void = () => {},
  onMarksDrawn: (drawn: DrawnMark[]) => void = () => {},
): MemoryChartHandle {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let marks: readonly SnapshotMark[] = [];
  const currentView = (): ViewRequest => {
    const width = chart.chartArea?.width ?? canvas.clientWidth;
    const buckets = bucketsForWidth(width);
    if (!chart.isZoomedOrPanned()) return { range: null, buckets };
    const x = chart.scales['x']!;
    return { range: visibleRangeNs(x.min, x.max), buckets };
  };
  const chart: Chart<'line' | 'scatter', { x: number; y: number }[]> = new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: memoryChartOptions({
      onViewChanged: () => {
        clearTimeout(timer);
        timer = setTimeout(() => onViewChange(currentView()), VIEW_CHANGE_DEBOUNCE_MS);
      },
    }),
    plugins: [legendRoomPlugin, snapshotMarksPlugin(() => marks, onMarksDrawn)],
  });
  chart.options.onClick = (event) => {
    const x = chart.scales['x'];
    if (!x || event.x === null) return;
    const hit = markAt(marks, event.x, (ms) => x.getPixelForValue(ms));
    if (hit) onMarkClick(hit.id);
  };

  return {
    update(series, events, memoryLimitBytes) {
      const datasets = buildMemoryDatasets(series, events, memoryLimitBytes);
      // Keep each dataset's hidden state (legend clicks) across refetches.
      const hidden = new Map(chart.data.datasets.map((d, i) => [d.label, !chart.isDatasetVisible(i)]));
      chart.data.datasets = datasets;
      datasets.forEach((d, i) => {
        if (hidden.get(d.label)) chart.setDatasetVisibility(i, false);
      });
      chart.update('none');
      return countPoints(datasets);
    },
    resetZoom() {
      clearTimeout(timer);
      chart.resetZoom('none');
      onViewChange(currentView());
    },
    currentView,
    setSnapshotMarks(next) {
      marks = next;
      chart.update('none');
      return marks.length;
    },
    destroy() {
      clearTimeout(timer);
      chart.destroy();
    },
  };
}
