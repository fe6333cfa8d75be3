// Number and duration formatting for charts, tables and the trace view.
// Span durations arrive in nanoseconds; people read ms, µs or s.

export type ValueUnit = 'none' | 'ns';

// 1234567 ns -> "1.23 ms"; picks the unit that keeps the number readable.
export function formatDurationNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const abs = Math.abs(ns);
  if (abs === 0) return '0 ms';
  if (abs < 1e3) return `${trim(ns)} ns`;
  if (abs < 1e6) return `${trim(ns / 1e3)} µs`;
  if (abs < 1e9) return `${trim(ns / 1e6)} ms`;
  if (abs < 60e9) return `${trim(ns / 1e9)} s`;
  if (abs < 3600e9) return `${trim(ns / 60e9)} min`;
  return `${trim(ns / 3600e9)} h`;
}

// Three significant digits at most, no trailing zeros: 1.5, 12.3, 450.
function trim(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(v.toFixed(digits)));
}

// 1234567 -> "1.23M"; small numbers keep up to 3 decimals.
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs >= 1e12) return `${trim(v / 1e12)}T`;
  if (abs >= 1e9) return `${trim(v / 1e9)}B`;
  if (abs >= 1e6) return `${trim(v / 1e6)}M`;
  if (abs >= 1e4) return `${trim(v / 1e3)}k`;
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toFixed(abs >= 1 ? 2 : 4)));
}

export function formatValue(v: number | null | undefined, unit: ValueUnit): string {
  if (v === null || v === undefined) return '—';
  return unit === 'ns' ? formatDurationNs(v) : formatNumber(v);
}
