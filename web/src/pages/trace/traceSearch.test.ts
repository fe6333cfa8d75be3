import { describe, expect, it } from 'vitest';
import { traceSearchHref, traceTimeRangeMs } from './traceSearch';

describe('traceTimeRangeMs', () => {
  it('spans spans and logs', () => {
    const r = traceTimeRangeMs(
      [{ Timestamp: '2026-11-22T04:52:53.403000000Z', Duration: 120_000_000 }],
      [{ Timestamp: '2026-11-22T04:52:53.600000000Z' }],
    );
    const base = Date.parse('2026-11-22T04:52:53.403Z');
    expect(r).toEqual({ startMs: base, endMs: base + 197 });
  });
  it('is null without times', () => {
    expect(traceTimeRangeMs([], [])).toBeNull();
  });
});

describe('traceSearchHref', () => {
  it('widens the range by five minutes', () => {
    const href = traceSearchHref('ab', { startMs: 1_000_000, endMs: 2_000_000 });
    const params = new URLSearchParams(href.split('?')[1]);
    expect(href.startsWith('/search?')).toBe(true);
    expect(params.get('q')).toBe('TraceId:ab');
    expect(params.get('from')).toBe(String(1_000_000 - 300_000));
    expect(params.get('to')).toBe(String(2_000_000 + 300_000));
  });
});
