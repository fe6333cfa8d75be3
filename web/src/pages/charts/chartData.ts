// Charts as data: the chart specification (what the explorer form and
// dashboard tiles describe), how it becomes a POST /api/v2/charts/series
// request, and how the answer becomes chart data (time series, a single
// number, or a table). No React here; chartData.test.ts covers it.
import type { SearchMeta, Source } from '../../api/types';
import type { ValueUnit } from '../../components/charts/format';

export const AGG_FNS = ['count', 'sum', 'avg', 'min', 'max', 'count_distinct', 'p50', 'p90', 'p95', 'p99'] as const;
export type AggFn = (typeof AGG_FNS)[number] | 'quantile';
export const DISPLAY_TYPES = ['line', 'stacked_bar', 'number', 'table'] as const;
export type DisplayType = (typeof DISPLAY_TYPES)[number];
export const GRANULARITIES = ['auto', '1 minute', '5 minute', '1 hour', '1 day'] as const;
export type WhereLanguage = 'lucene' | 'sql';

export interface SeriesSpec {
  aggFn: AggFn;
  field: string; // ignored for count
  level?: number; // quantile
  where?: string; // extra condition of this series (a tile's aggCondition)
  whereLanguage?: WhereLanguage;
  alias?: string;
}

export interface ChartSpec {
  sourceId: string;
  series: SeriesSpec[]; // 1 to 5
  where: string;
  whereLanguage: WhereLanguage;
  groupBy: string; // comma-separated fields
  granularity: string; // auto or "<N> <unit>"
  displayType: DisplayType;
}

export interface TimeRange {
  startTime: number; // ms
  endTime: number; // ms
}

export interface SeriesRequest {
  startTime: number;
  endTime: number;
  granularity: string;
  series: {
    sourceId: string;
    aggFn: string;
    field?: string;
    level?: number;
    where: string;
    whereLanguage: WhereLanguage;
    groupBy: string[];
  }[];
}

export interface SeriesResponseRow {
  ts_bucket: number;
  group: unknown[];
  [key: string]: unknown;
}

export interface SeriesResponse {
  data: SeriesResponseRow[];
  meta?: SearchMeta;
}

export const RANGE_PRESETS = [
  { key: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { key: '1h', label: 'Last 1 hour', ms: 3600_000 },
  { key: '4h', label: 'Last 4 hours', ms: 4 * 3600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 24 * 3600_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['key'];

export function isRangePreset(value: string | null): value is RangePreset {
  return RANGE_PRESETS.some((p) => p.key === value);
}

export function rangeFromPreset(preset: RangePreset, nowMs: number): TimeRange {
  const p = RANGE_PRESETS.find((r) => r.key === preset) ?? RANGE_PRESETS[1];
  return { startTime: nowMs - p.ms, endTime: nowMs };
}

// The server's "auto" ladder (about 120 buckets); mirrored here so the chart
// knows its bucket width and can draw empty buckets.
const AUTO_LADDER_S = [1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800];
export const AUTO_BUCKETS = 120;

const UNIT_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

export function granularitySeconds(granularity: string, range: TimeRange): number {
  const g = granularity.trim();
  if (g === '' || g === 'auto') {
    const spanS = Math.max(0, range.endTime - range.startTime) / 1000;
    return AUTO_LADDER_S.find((s) => Math.floor(spanS / s) <= AUTO_BUCKETS) ?? AUTO_LADDER_S[AUTO_LADDER_S.length - 1];
  }
  const m = /^(\d+)\s*(second|minute|hour|day|s|m|h|d)s?$/.exec(g);
  if (!m) return granularitySeconds('auto', range);
  const unit = { s: 'second', m: 'minute', h: 'hour', d: 'day' }[m[2]] ?? m[2];
  return Number(m[1]) * UNIT_SECONDS[unit];
}

// "5 minute", "30 second", "1 hour" for a bucket width.
export function describeSeconds(seconds: number): string {
  for (const [unit, s] of [['day', 86400], ['hour', 3600], ['minute', 60]] as const) {
    if (seconds % s === 0) return `${seconds / s} ${unit}`;
  }
  return `${seconds} second`;
}

// One bucket that holds the whole range: buckets start at multiples of the
// granularity since the epoch, so a bucket longer than "now" since 1970
// starts at 0 and contains every time up to the range end. This gives exact
// whole-range aggregates (also for averages and quantiles).
export function wholeRangeGranularity(range: TimeRange): string {
  return `${Math.floor(range.endTime / 86_400_000) + 1} day`;
}

// "ServiceName, Map['a,b'], http.route" -> fields, commas inside quotes or
// brackets kept.
export function parseGroupBy(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
    } else if (ch === '[' || ch === '(') {
      depth++;
    } else if ((ch === ']' || ch === ')') && depth > 0) {
      depth--;
    } else if (ch === ',' && depth === 0) {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

export interface CombinedWhere {
  where: string;
  whereLanguage: WhereLanguage;
  // The filter could not be ANDed (other language): it was left out.
  skipped: boolean;
}

// ANDs non-empty conditions of the same language; a condition in another
// language than the base is skipped (and reported).
export function combineWhere(
  base: { where: string; whereLanguage: WhereLanguage },
  extra: { where: string; whereLanguage: WhereLanguage } | undefined,
): CombinedWhere {
  const a = base.where.trim();
  const b = extra?.where.trim() ?? '';
  if (!b) return { where: a, whereLanguage: base.whereLanguage, skipped: false };
  if (!a) return { where: b, whereLanguage: extra!.whereLanguage, skipped: false };
  if (extra!.whereLanguage !== base.whereLanguage) return { where: a, whereLanguage: base.whereLanguage, skipped: true };
  return { where: `(${a}) AND (${b})`, whereLanguage: base.whereLanguage, skipped: false };
}

export interface BuiltRequest {
  request: SeriesRequest;
  bucketMs: number | null; // null: one whole-range bucket (number, table)
  filterSkipped: boolean; // the dashboard filter is in another language
}

// The request for a chart. line/stacked_bar: buckets of the chosen (or auto)
// granularity. number: one whole-range bucket, no grouping. table: one
// whole-range bucket per group.
export function buildSeriesRequest(
  spec: ChartSpec,
  range: TimeRange,
  filter?: { where: string; whereLanguage: WhereLanguage },
): BuiltRequest {
  const overTime = spec.displayType === 'line' || spec.displayType === 'stacked_bar';
  const bucketS = overTime ? granularitySeconds(spec.granularity, range) : null;
  const groupBy = spec.displayType === 'number' ? [] : parseGroupBy(spec.groupBy);
  const withFilter = combineWhere({ where: spec.where, whereLanguage: spec.whereLanguage }, filter);
  const series = spec.series.slice(0, 5).map((s) => {
    const where = combineWhere(withFilter, s.where ? { where: s.where, whereLanguage: s.whereLanguage ?? 'lucene' } : undefined);
    return {
      sourceId: spec.sourceId,
      aggFn: s.aggFn,
      ...(s.aggFn !== 'count' ? { field: s.field } : {}),
      ...(s.aggFn === 'quantile' && s.level !== undefined ? { level: s.level } : {}),
      where: where.where,
      whereLanguage: where.whereLanguage,
      groupBy,
    };
  });
  return {
    request: {
      startTime: range.startTime,
      endTime: range.endTime,
      granularity: bucketS === null ? wholeRangeGranularity(range) : describeSeconds(bucketS),
      series,
    },
    bucketMs: bucketS === null ? null : bucketS * 1000,
    filterSkipped: withFilter.skipped,
  };
}

// "p95(Duration)", "count()"; the alias when set.
export function seriesLabel(s: SeriesSpec): string {
  if (s.alias) return s.alias;
  if (s.aggFn === 'count') return 'count()';
  if (s.aggFn === 'quantile') return `quantile(${s.level ?? '?'})(${s.field})`;
  return `${s.aggFn}(${s.field})`;
}

// Span durations are nanoseconds: aggregates of the duration column (other
// than counts) are shown as durations.
export function seriesUnit(s: SeriesSpec, source: Source | undefined): ValueUnit {
  if (s.aggFn === 'count' || s.aggFn === 'count_distinct') return 'none';
  const durationField = source?.durationExpression ?? (source?.kind === 'trace' ? 'Duration' : undefined);
  return durationField !== undefined && s.field.trim() === durationField ? 'ns' : 'none';
}

// Counts of an empty bucket are 0; other aggregates have no value there.
export function fillsWithZero(s: SeriesSpec): boolean {
  return s.aggFn === 'count' || s.aggFn === 'count_distinct';
}

export function groupLabel(group: unknown[]): string {
  if (group.length === 0) return '';
  return group.map((g) => (g === null || g === undefined || g === '' ? '(empty)' : String(g))).join(' · ');
}

function numeric(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export interface TimeSeries {
  key: string;
  label: string;
  seriesIndex: number;
  group: unknown[]; // the group-by values ([] when not grouped)
  values: (number | null)[];
}

export interface TimeSeriesData {
  x: number[]; // bucket starts, ms
  series: TimeSeries[];
  totalSeries: number; // before the cap
}

export const MAX_CHART_SERIES = 30;

// One line per (series, group), largest total first; buckets over the whole
// range are filled (0 for counts, gaps otherwise). With more than
// `maxSeries` lines, the largest are kept.
export function toTimeSeries(
  response: SeriesResponse,
  specs: SeriesSpec[],
  range: TimeRange,
  bucketMs: number,
  maxSeries = MAX_CHART_SERIES,
): TimeSeriesData {
  const first = Math.floor(range.startTime / bucketMs) * bucketMs;
  const x: number[] = [];
  for (let t = first; t <= range.endTime && x.length < 20000; t += bucketMs) x.push(t);
  // Buckets the server returns outside the computed grid (should not
  // happen) are added rather than dropped.
  const extra = response.data.map((r) => r.ts_bucket).filter((t) => t < first || t > range.endTime || (t - first) % bucketMs !== 0);
  const allX = extra.length ? [...new Set([...x, ...extra])].sort((a, b) => a - b) : x;
  const index = new Map(allX.map((t, i) => [t, i]));

  const lines = new Map<string, TimeSeries & { total: number }>();
  const multi = specs.length > 1;
  const ensure = (seriesIndex: number, group: unknown[]) => {
    const gl = groupLabel(group);
    const key = `${seriesIndex}\u0000${JSON.stringify(group)}`;
    let line = lines.get(key);
    if (!line) {
      const sl = seriesLabel(specs[seriesIndex]);
      const label = gl === '' ? sl : multi ? `${sl} · ${gl}` : gl;
      const fill = fillsWithZero(specs[seriesIndex]) ? 0 : null;
      line = { key, label, seriesIndex, group, values: new Array(allX.length).fill(fill), total: 0 };
      lines.set(key, line);
    }
    return line;
  };
  for (const row of response.data) {
    const i = index.get(row.ts_bucket);
    if (i === undefined) continue;
    const group = Array.isArray(row.group) ? row.group : [];
    specs.forEach((_, s) => {
      const key = `series_${s}.data`;
      if (!(key in row)) return;
      const v = numeric(row[key]);
      const line = ensure(s, group);
      line.values[i] = v;
      if (v !== null) line.total += Math.abs(v);
    });
  }
  // Largest first (legend order, bottom of a stack), capped.
  const all = [...lines.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label)).slice(0, maxSeries);
  const totalSeries = lines.size;
  return {
    x: allX,
    series: all.map(({ key, label, seriesIndex, group, values }) => ({ key, label, seriesIndex, group, values })),
    totalSeries,
  };
}

// The single number of a whole-range request (first series; the request
// has one bucket and no grouping, so one row); null when the range has no
// rows (0 for counts).
export function toNumber(response: SeriesResponse, spec: SeriesSpec): number | null {
  const row = response.data[0];
  const v = row ? numeric(row['series_0.data']) : null;
  return v ?? (fillsWithZero(spec) ? 0 : null);
}

export interface TableData {
  groupColumns: string[];
  valueColumns: string[];
  rows: { key: string; group: string[]; values: (number | null)[] }[];
}

// One row per group of a whole-range request, ordered by the first value,
// largest first.
export function toTable(response: SeriesResponse, specs: SeriesSpec[], groupBy: string[]): TableData {
  const rows = new Map<string, { key: string; group: string[]; values: (number | null)[] }>();
  for (const row of response.data) {
    const group = Array.isArray(row.group) ? row.group : [];
    const key = JSON.stringify(group);
    let out = rows.get(key);
    if (!out) {
      out = { key, group: group.map((g) => (g === null || g === undefined || g === '' ? '(empty)' : String(g))), values: specs.map(() => null) };
      rows.set(key, out);
    }
    specs.forEach((_, s) => {
      const v = numeric(row[`series_${s}.data`]);
      if (v !== null) out!.values[s] = (out!.values[s] ?? 0) + v;
    });
  }
  const sorted = [...rows.values()].sort((a, b) => (b.values[0] ?? -Infinity) - (a.values[0] ?? -Infinity));
  return { groupColumns: groupBy, valueColumns: specs.map(seriesLabel), rows: sorted };
}
