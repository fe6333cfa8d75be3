// Retention durations as the settings page shows and reads them: "3d",
// "36h", "90m", "0" (keep forever) — the same forms as `otelstack retention`.

export interface SignalRetention {
  signal: string;
  configuredSeconds: number;
  configuredSource: string;
  overrideSeconds: number | null;
  effectiveSeconds: number;
}

export interface RetentionResponse {
  signals: SignalRetention[];
}

const UNITS: [string, number][] = [
  ['d', 86400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

export function formatRetention(seconds: number): string {
  if (seconds <= 0) return 'forever';
  for (const [unit, size] of UNITS) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

// "72h", "3d", "90m", "0" → seconds; an error message otherwise. The server
// accepts 0 or at least a minute.
export function parseRetention(text: string): number | { error: string } {
  const t = text.trim().toLowerCase();
  if (t === '0' || t === 'forever') return 0;
  const m = /^(\d+)\s*([dhms])$/.exec(t);
  if (!m) return { error: 'Use a number with a unit, e.g. 72h, 3d, 90m, or 0 to keep data forever.' };
  const seconds = Number(m[1]) * UNITS.find(([u]) => u === m[2])![1];
  if (seconds < 60) return { error: 'Keep data at least 1m (or 0 for forever).' };
  return seconds;
}
