// One palette for the whole UI, so a generation has the same colour in the chart, the
// markers, the totals and the event table.
export const GEN_COLORS = ['#73bf69', '#f2cc0c', '#ff7383'] as const;
/** Generation `g`'s colour; a collector with more generations repeats the oldest's. */
export const genColor = (g: number): string => GEN_COLORS[Math.min(g, GEN_COLORS.length - 1)]!;
export const LIVE_BYTES_COLOR = '#5794f2';
export const ARENA_BYTES_COLOR = '#b877d9';
export const GRID_COLOR = 'rgba(204, 204, 220, 0.08)';
export const TICK_COLOR = '#8e8e9a';
export const TEXT_COLOR = '#ccccdc';
