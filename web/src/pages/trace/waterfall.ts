// Layout math of the trace waterfall: spans (rows of GET /api/v2/traces/:id)
// become a depth-first list ordered as a tree by ParentSpanId (children by
// start time; spans whose parent is missing sit at the root), each with its
// offset and duration in nanoseconds relative to the trace start, plus the
// time-axis ticks. Timestamps are RFC 3339 strings with nanoseconds, kept
// exact as BigInt until they become small offsets.
import type { Row } from '../../api/types';

export interface WaterfallSpan {
  row: Row;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  startNs: bigint;
  durationNs: number;
  isError: boolean;
}

export interface WaterfallRow {
  key: string; // unique per row (span id, or id + position when ids repeat)
  span: WaterfallSpan;
  depth: number;
  offsetNs: number; // start relative to the trace start
  durationNs: number;
  childCount: number;
  orphan: boolean; // has a parent id that is not in the trace
}

export interface Waterfall {
  rows: WaterfallRow[];
  startNs: bigint; // earliest span start (0n without spans)
  totalNs: number; // earliest start to latest end
  services: string[]; // sorted
  errorCount: number;
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

// "2026-11-22T04:52:53.403000001Z" -> nanoseconds since the epoch; numbers are
// taken as nanoseconds already (Events timestamps). null when unreadable.
export function parseTimestampNs(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Above 2^53 a JSON number has lost its last digits: round to whole
    // microseconds, which brings back exporters' usual precision.
    return Math.abs(value) > Number.MAX_SAFE_INTEGER ? BigInt(Math.round(value / 1000)) * 1000n : BigInt(Math.round(value));
  }
  if (typeof value !== 'string') return null;
  const m = RFC3339.exec(value);
  if (!m) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : BigInt(ms) * 1_000_000n;
  }
  const baseMs = Date.parse(m[1] + m[3]);
  if (Number.isNaN(baseMs)) return null;
  const fraction = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(baseMs) * 1_000_000n + BigInt(fraction);
}

export function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

export function toWaterfallSpan(row: Row): WaterfallSpan | null {
  const startNs = parseTimestampNs(row.Timestamp);
  if (startNs === null) return null;
  const duration = Number(row.Duration);
  return {
    row,
    spanId: text(row.SpanId),
    parentSpanId: text(row.ParentSpanId),
    name: text(row.SpanName),
    service: text(row.ServiceName),
    startNs,
    durationNs: Number.isFinite(duration) && duration > 0 ? duration : 0,
    isError: text(row.StatusCode).toLowerCase() === 'error' || row.StatusCode === 2,
  };
}

export function buildWaterfall(rows: Row[]): Waterfall {
  const spans = rows.map(toWaterfallSpan).filter((s): s is WaterfallSpan => s !== null);
  if (spans.length === 0) return { rows: [], startNs: 0n, totalNs: 0, services: [], errorCount: 0 };

  let startNs = spans[0].startNs;
  let endNs = spans[0].startNs + BigInt(spans[0].durationNs);
  for (const s of spans) {
    if (s.startNs < startNs) startNs = s.startNs;
    const end = s.startNs + BigInt(s.durationNs);
    if (end > endNs) endNs = end;
  }

  const ids = new Set(spans.map((s) => s.spanId).filter((id) => id !== ''));
  const children = new Map<string, WaterfallSpan[]>();
  const roots: WaterfallSpan[] = [];
  for (const s of spans) {
    if (s.parentSpanId !== '' && s.parentSpanId !== s.spanId && ids.has(s.parentSpanId)) {
      const list = children.get(s.parentSpanId);
      if (list) list.push(s);
      else children.set(s.parentSpanId, [s]);
    } else {
      roots.push(s);
    }
  }
  const byStart = (a: WaterfallSpan, b: WaterfallSpan) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0);
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);

  const out: WaterfallRow[] = [];
  const visited = new Set<WaterfallSpan>();
  const usedKeys = new Set<string>();
  const expanded = new Set<string>(); // span ids whose children were laid out (repeated ids)
  const walk = (root: WaterfallSpan) => {
    const stack: { span: WaterfallSpan; depth: number }[] = [{ span: root, depth: 0 }];
    while (stack.length > 0) {
      const { span, depth } = stack.pop()!;
      if (visited.has(span)) continue;
      visited.add(span);
      const kids = span.spanId !== '' && !expanded.has(span.spanId) ? (children.get(span.spanId) ?? []) : [];
      if (span.spanId !== '') expanded.add(span.spanId);
      let key = span.spanId || `row-${out.length}`;
      if (usedKeys.has(key)) key = `${key}#${out.length}`;
      usedKeys.add(key);
      out.push({
        key,
        span,
        depth,
        offsetNs: Number(span.startNs - startNs),
        durationNs: span.durationNs,
        childCount: kids.length,
        orphan: span.parentSpanId !== '' && !ids.has(span.parentSpanId),
      });
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i], depth: depth + 1 });
    }
  };
  for (const r of roots) walk(r);
  // Spans in a parent cycle are reachable from no root: show them at the root.
  for (const s of [...spans].sort(byStart)) if (!visited.has(s)) walk(s);

  return {
    rows: out,
    startNs,
    totalNs: Number(endNs - startNs),
    services: [...new Set(spans.map((s) => s.service))].sort(),
    errorCount: spans.filter((s) => s.isError).length,
  };
}

// The rows left when the subtrees under `collapsed` keys are hidden.
export function visibleRows(rows: WaterfallRow[], collapsed: ReadonlySet<string>): WaterfallRow[] {
  if (collapsed.size === 0) return rows;
  const out: WaterfallRow[] = [];
  let hideDeeperThan = Infinity;
  for (const row of rows) {
    if (row.depth > hideDeeperThan) continue;
    hideDeeperThan = Infinity;
    out.push(row);
    if (collapsed.has(row.key) && row.childCount > 0) hideDeeperThan = row.depth;
  }
  return out;
}

// A 1-2-5 step giving at most `maxTicks` intervals over `totalNs`, and the
// tick offsets from 0 to the total.
export function timeTicks(totalNs: number, maxTicks = 6): number[] {
  if (!(totalNs > 0)) return [0];
  const raw = totalNs / maxTicks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = 0; t <= totalNs + step * 1e-9; t += step) ticks.push(t);
  return ticks;
}

// Bar geometry in percent of the track: a zero-length span still shows.
export function barPosition(offsetNs: number, durationNs: number, totalNs: number): { left: number; width: number } {
  if (!(totalNs > 0)) return { left: 0, width: 100 };
  const left = Math.min(100, Math.max(0, (offsetNs / totalNs) * 100));
  const width = Math.max(0, Math.min(100 - left, (durationNs / totalNs) * 100));
  return { left, width };
}

// Link ids come as hex, or base64 from some row renderings: hex either way.
export function idToHex(value: unknown, hexLength: number): string {
  const s = text(value);
  if (s === '' || new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(s)) return s.toLowerCase();
  try {
    const bytes = atob(s);
    if (bytes.length * 2 !== hexLength) return s;
    return Array.from(bytes, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return s;
  }
}
