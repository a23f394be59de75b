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
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { GcEvent, SeriesData } from '../../src-main/common/domain';
import { bucketsForWidth, buildMemoryDatasets, countPoints, memoryChartOptions, visibleRangeNs } from './memory-chart';

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
  destroy(): void;
}

const VIEW_CHANGE_DEBOUNCE_MS = 120;

export function attachMemoryChart(canvas: HTMLCanvasElement, onViewChange: (view: ViewRequest) => void): MemoryChartHandle {
  let timer: ReturnType<typeof setTimeout> | undefined;
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
  });

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
    destroy() {
      clearTimeout(timer);
      chart.destroy();
    },
  };
}
