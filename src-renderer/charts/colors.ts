// One palette for the whole UI, so a generation has the same colour in the chart, the
// markers, the totals and the event table.
export const GEN_COLORS = ['#73bf69', '#f2cc0c', '#ff7383'] as const;
export const LIVE_BYTES_COLOR = '#5794f2';
export const ARENA_BYTES_COLOR = '#b877d9';
export const GRID_COLOR = 'rgba(204, 204, 220, 0.08)';
export const TICK_COLOR = '#8e8e9a';
export const TEXT_COLOR = '#ccccdc';
