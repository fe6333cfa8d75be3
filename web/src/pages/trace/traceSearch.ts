// The link from a trace to the search page: q=TraceId:<id> over the trace's
// time span widened by 5 minutes each side (from/to in ms, as the search
// page reads them).
import type { Row } from '../../api/types';
import { nsToMs, parseTimestampNs } from './waterfall';

export const SEARCH_MARGIN_MS = 5 * 60 * 1000;

// Earliest start and latest end (ms) over spans (start + Duration) and logs.
export function traceTimeRangeMs(spans: Row[], logs: Row[]): { startMs: number; endMs: number } | null {
  let start: bigint | null = null;
  let end: bigint | null = null;
  const take = (from: bigint, to: bigint) => {
    if (start === null || from < start) start = from;
    if (end === null || to > end) end = to;
  };
  for (const s of spans) {
    const t = parseTimestampNs(s.Timestamp);
    if (t === null) continue;
    const d = Number(s.Duration);
    take(t, t + BigInt(Number.isFinite(d) && d > 0 ? Math.round(d) : 0));
  }
  for (const l of logs) {
    const t = parseTimestampNs(l.Timestamp);
    if (t !== null) take(t, t);
  }
  if (start === null || end === null) return null;
  return { startMs: nsToMs(start), endMs: Math.ceil(Number(end) / 1e6) };
}

export function traceSearchHref(traceId: string, range: { startMs: number; endMs: number } | null): string {
  const params = new URLSearchParams({ q: `TraceId:${traceId}` });
  if (range) {
    params.set('from', String(range.startMs - SEARCH_MARGIN_MS));
    params.set('to', String(range.endMs + SEARCH_MARGIN_MS));
  }
  return `/search?${params.toString()}`;
}
