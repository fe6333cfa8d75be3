import { describe, expect, it } from 'vitest';
import { mergeNewerPage, mergeOlderPage, nextPageEnd, rowKey, timeOfColumn } from './rowMerge';

const BASE = Date.UTC(2026, 10, 22, 4, 0, 0);
const iso = (ms: number, ns = 0) => new Date(ms).toISOString().replace('Z', '') + String(ns).padStart(6, '0') + 'Z';
const row = (ms: number, body: string, ns = 0) => ({ Timestamp: iso(ms, ns).replace(/\.(\d{3})\d{3}(\d{6})Z$/, '.$1$2Z'), Body: body });
const timeOf = timeOfColumn('Timestamp');

describe('row identity', () => {
  it('hashes rows stably and distinctly', () => {
    expect(rowKey({ a: 1 })).toBe(rowKey({ a: 1 }));
    expect(rowKey({ a: 1 })).not.toBe(rowKey({ a: 2 }));
    expect(rowKey({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });
  it('reads row times as ms', () => {
    expect(timeOf({ Timestamp: '2026-11-22T04:00:00.123456789Z' })).toBe(BASE + 123);
  });
});

describe('older pages', () => {
  it('asks for the last row millisecond plus one', () => {
    expect(nextPageEnd([row(BASE + 5, 'a'), row(BASE + 2, 'b')], timeOf)).toBe(BASE + 3);
    expect(nextPageEnd([], timeOf)).toBeNull();
  });
  it('drops rows at the boundary that are already shown', () => {
    const existing = [row(BASE + 10, 'a'), row(BASE + 5, 'b'), row(BASE + 5, 'c')];
    const page = [row(BASE + 6, 'a6?'), row(BASE + 5, 'c'), row(BASE + 5, 'b'), row(BASE + 5, 'd'), row(BASE + 1, 'e')];
    const m = mergeOlderPage(existing, page, timeOf);
    expect(m.rows.map((r) => r.Body)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(m.added).toBe(2);
  });
  it('keeps identical rows that are genuinely two', () => {
    const existing = [row(BASE + 5, 'x')];
    const page = [row(BASE + 5, 'x'), row(BASE + 5, 'x')];
    expect(mergeOlderPage(existing, page, timeOf).rows).toHaveLength(2);
  });
  it('takes the first page whole', () => {
    const page = [row(BASE, 'a')];
    expect(mergeOlderPage([], page, timeOf)).toEqual({ rows: page, added: 1 });
  });
  it('reports a page of nothing new', () => {
    const existing = [row(BASE + 5, 'a')];
    expect(mergeOlderPage(existing, [row(BASE + 5, 'a')], timeOf).added).toBe(0);
  });
});

describe('newer pages (live tail)', () => {
  it('prepends only new rows', () => {
    const existing = [row(BASE + 10, 'a'), row(BASE + 10, 'b'), row(BASE + 3, 'c')];
    const page = [row(BASE + 20, 'n2'), row(BASE + 11, 'n1'), row(BASE + 10, 'b'), row(BASE + 10, 'new-same-ms'), row(BASE + 10, 'a')];
    const m = mergeNewerPage(existing, page, timeOf, 200, 1000);
    expect(m.rows.map((r) => r.Body)).toEqual(['n2', 'n1', 'new-same-ms', 'a', 'b', 'c']);
    expect(m.added).toBe(3);
    expect(m.reset).toBe(false);
  });
  it('keeps the same array when nothing is new', () => {
    const existing = [row(BASE + 10, 'a')];
    const m = mergeNewerPage(existing, [row(BASE + 10, 'a')], timeOf, 200, 1000);
    expect(m.rows).toBe(existing);
    expect(m.added).toBe(0);
  });
  it('replaces everything after a full page (a possible gap)', () => {
    const existing = [row(BASE, 'old')];
    const page = [row(BASE + 3, 'x'), row(BASE + 2, 'y')];
    const m = mergeNewerPage(existing, page, timeOf, 2, 1000);
    expect(m.reset).toBe(true);
    expect(m.rows.map((r) => r.Body)).toEqual(['x', 'y']);
  });
  it('caps the number of rows kept', () => {
    const existing = [row(BASE + 2, 'b'), row(BASE + 1, 'c')];
    const m = mergeNewerPage(existing, [row(BASE + 3, 'a')], timeOf, 200, 2);
    expect(m.rows.map((r) => r.Body)).toEqual(['a', 'b']);
  });
});
