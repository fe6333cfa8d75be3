// The histogram above the results: which bucket size to ask for, and how
// the /api/v2/charts/series answer (one element per bucket and group, empty
// buckets left out) becomes stacked bars: one count array per group over
// every bucket of the range, groups ordered by severity, coloured by
// components/severity.ts.
import { levelColor } from '../../components/severity';
import type { SignalKind } from './rowFields';

export interface SeriesPoint {
  ts_bucket: number;
  group: unknown[];
  [key: string]: unknown;
}

export interface Granularity {
  ms: number;
  label: string; // as the API takes it: "30 second", "5 minute", …
}

const STEPS: [number, string][] = [
  [1, 'second'], [2, 'second'], [5, 'second'], [10, 'second'], [15, 'second'], [30, 'second'],
  [1, 'minute'], [2, 'minute'], [5, 'minute'], [10, 'minute'], [15, 'minute'], [30, 'minute'],
  [1, 'hour'], [2, 'hour'], [3, 'hour'], [6, 'hour'], [12, 'hour'],
  [1, 'day'], [2, 'day'], [7, 'day'], [30, 'day'],
];
const UNIT: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

// The smallest round bucket size giving at most `maxBuckets` over the range.
export function chooseGranularity(rangeMs: number, maxBuckets = 120): Granularity {
  for (const [n, unit] of STEPS) {
    const ms = n * UNIT[unit];
    if (rangeMs / ms <= maxBuckets) return { ms, label: `${n} ${unit}` };
  }
  const [n, unit] = STEPS[STEPS.length - 1];
  return { ms: n * UNIT[unit], label: `${n} ${unit}` };
}

// Levels from the most to the least severe; unknown ones come last.
const LEVEL_ORDER = ['FATAL', 'CRITICAL', 'EMERGENCY', 'ALERT', 'ERROR', 'ERR', 'WARN', 'WARNING', 'NOTICE', 'INFO', 'INFORMATION', 'DEBUG', 'TRACE'];
const STATUS_ORDER = ['ERROR', 'OK', 'UNSET'];

function levelRank(level: string, kind: SignalKind): number {
  const order = kind === 'trace' ? STATUS_ORDER : LEVEL_ORDER;
  const i = order.indexOf(level.toUpperCase().replace(/\d+$/, ''));
  return i < 0 ? order.length + (level === '' ? 1 : 0) : i;
}

export interface HistogramGroup {
  name: string; // '' when the rows have no level
  color: string;
  counts: number[];
  total: number;
}

export interface Histogram {
  xs: number[]; // bucket starts, epoch seconds (uPlot's unit)
  stepMs: number;
  groups: HistogramGroup[]; // most severe first
  total: number;
}

function groupName(group: unknown[]): string {
  const v = group[0];
  return v === null || v === undefined ? '' : String(v);
}

// Every bucket of [fromMs, toMs] with each group's count (0 where absent).
export function buildHistogram(points: SeriesPoint[], fromMs: number, toMs: number, stepMs: number, kind: SignalKind): Histogram {
  const first = Math.floor(fromMs / stepMs) * stepMs;
  const n = Math.max(1, Math.floor((toMs - first) / stepMs) + 1);
  const xs = Array.from({ length: n }, (_, i) => (first + i * stepMs) / 1000);
  const byName = new Map<string, HistogramGroup>();
  let total = 0;
  for (const p of points) {
    const count = Number(p['series_0.data'] ?? 0);
    if (!Number.isFinite(count) || count === 0) continue;
    const i = Math.round((p.ts_bucket - first) / stepMs);
    if (i < 0 || i >= n) continue;
    const name = groupName(p.group);
    let g = byName.get(name);
    if (!g) {
      g = { name, color: levelColor(name, kind), counts: new Array(n).fill(0), total: 0 };
      byName.set(name, g);
    }
    g.counts[i] += count;
    g.total += count;
    total += count;
  }
  const groups = [...byName.values()].sort(
    (a, b) => levelRank(a.name, kind) - levelRank(b.name, kind) || a.name.localeCompare(b.name),
  );
  return { xs, stepMs, groups, total };
}

// Running sums from the bottom of the stack: stacks[i] is the top of group
// i's bar when groups are drawn least severe at the bottom. Drawing the
// tallest (index 0) first and the others over it gives stacked bars.
export function stackCounts(groups: HistogramGroup[]): number[][] {
  const n = groups[0]?.counts.length ?? 0;
  const stacks: number[][] = groups.map(() => new Array(n).fill(0));
  for (let b = 0; b < n; b++) {
    let sum = 0;
    for (let g = groups.length - 1; g >= 0; g--) {
      sum += groups[g].counts[b];
      stacks[g][b] = sum;
    }
  }
  return stacks;
}
