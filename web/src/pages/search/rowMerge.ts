// Paging through results newest first. The API pages by time only: the next
// (older) page asks for endTime = the last row's millisecond, so rows of
// that millisecond come again and are dropped here; live tail asks for rows
// since the newest one and drops those already shown. Rows have no id, so a
// row is identified by its whole JSON text (counted, so that two identical
// rows stay two rows).
import type { Row } from '../../api/types';
import { parseRowTime } from '../../lib/timezone';

export function rowIdentity(row: Row): string {
  return JSON.stringify(row);
}

// A short stable hash of a row, for the URL (`row=`).
export function rowKey(row: Row): string {
  const text = rowIdentity(row);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

export type TimeOf = (row: Row) => number;

export const timeOfColumn =
  (column: string): TimeOf =>
  (row) =>
    Math.floor(parseRowTime(row[column]));

function countIdentities(rows: Iterable<Row>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const id = rowIdentity(r);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function dropKnown(page: Row[], known: Map<string, number>, inWindow: (ms: number) => boolean, timeOf: TimeOf): Row[] {
  const out: Row[] = [];
  for (const row of page) {
    if (inWindow(timeOf(row))) {
      const id = rowIdentity(row);
      const n = known.get(id) ?? 0;
      if (n > 0) {
        known.set(id, n - 1);
        continue;
      }
    }
    out.push(row);
  }
  return out;
}

// The endTime (ms, inclusive) that asks for the page after `rows`: the last
// row's millisecond plus one, because the server cuts at endTime*1e6 ns and
// rows carry nanoseconds (rows already shown come again and are dropped).
export function nextPageEnd(rows: Row[], timeOf: TimeOf): number | null {
  if (!rows.length) return null;
  const last = timeOf(rows[rows.length - 1]);
  return Number.isFinite(last) ? last + 1 : null;
}

export interface OlderMerge {
  rows: Row[];
  added: number;
}

// `existing` followed by the rows of `page` (an older page) not yet shown.
// Rows after the last row's millisecond were all shown already (or arrived
// late and belong at the top), so they are dropped.
export function mergeOlderPage(existing: Row[], page: Row[], timeOf: TimeOf): OlderMerge {
  if (!existing.length) return { rows: page.slice(), added: page.length };
  const lastMs = timeOf(existing[existing.length - 1]);
  const tail: Row[] = [];
  for (let i = existing.length - 1; i >= 0 && timeOf(existing[i]) <= lastMs + 1; i--) tail.push(existing[i]);
  const fresh = dropKnown(page, countIdentities(tail), (ms) => ms >= lastMs, timeOf).filter((r) => timeOf(r) <= lastMs);
  return { rows: existing.concat(fresh), added: fresh.length };
}

export interface NewerMerge {
  rows: Row[];
  added: number;
  reset: boolean; // the page was full: there may be a gap, so it replaced everything
}

// The rows of `page` (rows at or after the newest shown) not yet shown,
// followed by `existing`; at most `cap` rows are kept.
export function mergeNewerPage(existing: Row[], page: Row[], timeOf: TimeOf, limit: number, cap: number): NewerMerge {
  if (page.length >= limit) return { rows: page.slice(0, cap), added: page.length, reset: true };
  if (!existing.length) return { rows: page.slice(0, cap), added: page.length, reset: false };
  const newestMs = timeOf(existing[0]);
  const head: Row[] = [];
  for (let i = 0; i < existing.length && timeOf(existing[i]) >= newestMs; i++) head.push(existing[i]);
  const fresh = dropKnown(page, countIdentities(head), (ms) => ms <= newestMs, timeOf).filter((r) => timeOf(r) >= newestMs);
  if (!fresh.length) return { rows: existing, added: 0, reset: false };
  return { rows: fresh.concat(existing).slice(0, cap), added: fresh.length, reset: false };
}
