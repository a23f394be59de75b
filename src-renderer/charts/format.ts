// Human-readable figures for the UI: bytes, counts, simulated durations and dates.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Bytes for an axis label: trailing zeros dropped (1 MiB, 1.5 MiB, 512 KiB). */
export function formatBytesTick(bytes: number): string {
  return formatBytes(bytes).replace(/\.(\d*?)0+ /, (_, kept: string) => (kept ? `.${kept} ` : ' '));
}

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

/** A compact count for axis ticks: 950, 12.5k, 3.2M. */
export function formatCompactCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}G`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(1)));
}

/** A simulated duration given in nanoseconds. */
export function formatDurationNs(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return '—';
  if (ns < 1_000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${trim(ns / 1_000)} µs`;
  if (ns < 1_000_000_000) return `${trim(ns / 1_000_000)} ms`;
  const seconds = ns / 1_000_000_000;
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** Simulated milliseconds, as shown on the chart's time axis. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (Math.abs(ms) >= 1000) return `${trim(ms / 1000)} s`;
  if (Math.abs(ms) >= 1) return `${trim(ms)} ms`;
  return `${trim(ms * 1000)} µs`;
}

/** An ISO 8601 instant as `2026-11-23 21:14` in the viewer's time zone. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
