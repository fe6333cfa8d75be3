import { describe, expect, it } from 'vitest';
import {
  describeRelative,
  isRelative,
  isTimeExpr,
  parseDateTime,
  parseNaturalRange,
  resolveRange,
  resolveTimeExpr,
  startOfDay,
} from './timeRange';

// 2026-11-22 14:30:15.500 UTC, a Sunday.
const NOW = Date.UTC(2026, 10, 22, 14, 30, 15, 500);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function nat(text: string, tz: 'utc' | 'local' = 'utc', now = NOW) {
  const r = parseNaturalRange(text, now, tz);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error}`);
  return r.range;
}

function natError(text: string) {
  const r = parseNaturalRange(text, NOW, 'utc');
  if (r.ok) throw new Error(`expected ${text} to fail, got ${JSON.stringify(r.range)}`);
  return r.error;
}

describe('time expressions', () => {
  it('resolves now and relative offsets', () => {
    expect(resolveTimeExpr('now', NOW)).toBe(NOW);
    expect(resolveTimeExpr('now-15m', NOW)).toBe(NOW - 15 * MIN);
    expect(resolveTimeExpr('now-30s', NOW)).toBe(NOW - 30_000);
    expect(resolveTimeExpr('now-4h', NOW)).toBe(NOW - 4 * HOUR);
    expect(resolveTimeExpr('now-7d', NOW)).toBe(NOW - 7 * DAY);
    expect(resolveTimeExpr('now-2w', NOW)).toBe(NOW - 14 * DAY);
  });
  it('resolves absolute milliseconds', () => {
    expect(resolveTimeExpr('1700000000000', NOW)).toBe(1700000000000);
  });
  it('rejects garbage', () => {
    for (const bad of ['', 'now-', 'now-5', 'now-5y', 'now+5m', 'yesterday', '12abc', '-5']) {
      expect(resolveTimeExpr(bad, NOW)).toBeNull();
      expect(isTimeExpr(bad)).toBe(false);
    }
  });
  it('knows relative from absolute', () => {
    expect(isRelative('now-1h')).toBe(true);
    expect(isRelative('now')).toBe(true);
    expect(isRelative('1700000000000')).toBe(false);
  });
  it('resolves a range and refuses an inverted one', () => {
    expect(resolveRange({ from: 'now-1h', to: 'now' }, NOW)).toEqual({ fromMs: NOW - HOUR, toMs: NOW });
    expect(resolveRange({ from: 'now', to: 'now-1h' }, NOW)).toBeNull();
    expect(resolveRange({ from: 'bad', to: 'now' }, NOW)).toBeNull();
  });
  it('describes relative ranges', () => {
    expect(describeRelative({ from: 'now-15m', to: 'now' })).toBe('Last 15 minutes');
    expect(describeRelative({ from: 'now-1h', to: 'now' })).toBe('Last 1 hour');
    expect(describeRelative({ from: 'now-2h', to: 'now' })).toBe('Last 2 hours');
    expect(describeRelative({ from: 'now-1d', to: 'now' })).toBe('Last 1 day');
    expect(describeRelative({ from: '1700000000000', to: 'now' })).toBeNull();
    expect(describeRelative({ from: 'now-1h', to: '1700000000000' })).toBeNull();
  });
});

describe('parseDateTime', () => {
  it('reads dates and times in UTC', () => {
    expect(parseDateTime('2026-11-21 10:00', NOW, 'utc')).toBe(Date.UTC(2026, 10, 21, 10, 0));
    expect(parseDateTime('2026-11-21T10:00:30', NOW, 'utc')).toBe(Date.UTC(2026, 10, 21, 10, 0, 30));
    expect(parseDateTime('2026-11-21 10:00:30.250', NOW, 'utc')).toBe(Date.UTC(2026, 10, 21, 10, 0, 30, 250));
    expect(parseDateTime('2026-11-21', NOW, 'utc')).toBe(Date.UTC(2026, 10, 21));
    expect(parseDateTime('10:30', NOW, 'utc')).toBe(Date.UTC(2026, 10, 22, 10, 30));
    expect(parseDateTime('3:15pm', NOW, 'utc')).toBe(Date.UTC(2026, 10, 22, 15, 15));
    expect(parseDateTime('12:00 am', NOW, 'utc')).toBe(Date.UTC(2026, 10, 22, 0, 0));
  });
  it('reads the output of formatTime back', () => {
    expect(parseDateTime('2026-11-22 10:01:02.345', NOW, 'utc')).toBe(Date.UTC(2026, 10, 22, 10, 1, 2, 345));
  });
  it('reads dates in the local zone', () => {
    expect(parseDateTime('2026-11-21 10:00', NOW, 'local')).toBe(new Date(2026, 10, 21, 10, 0).getTime());
  });
  it('honours an explicit Z', () => {
    expect(parseDateTime('2026-11-21T10:00Z', NOW, 'local')).toBe(Date.UTC(2026, 10, 21, 10, 0));
  });
  it('accepts expressions and epoch ms', () => {
    expect(parseDateTime('now', NOW, 'utc')).toBe(NOW);
    expect(parseDateTime('now-1h', NOW, 'utc')).toBe(NOW - HOUR);
    expect(parseDateTime('1700000000000', NOW, 'utc')).toBe(1700000000000);
  });
  it('rejects invalid dates', () => {
    for (const bad of ['2026-13-01', '2026-11-21 25:00', '10:61', 'tomorrowish', '13:00pm', '', '2026']) {
      expect(parseDateTime(bad, NOW, 'utc')).toBeNull();
    }
  });
});

describe('parseNaturalRange', () => {
  it('reads "last N units" in many spellings', () => {
    expect(nat('last 15 minutes')).toEqual({ from: 'now-15m', to: 'now' });
    expect(nat('Last 15 Minutes')).toEqual({ from: 'now-15m', to: 'now' });
    expect(nat('past 2 hours')).toEqual({ from: 'now-2h', to: 'now' });
    expect(nat('previous 3 days')).toEqual({ from: 'now-3d', to: 'now' });
    expect(nat('last hour')).toEqual({ from: 'now-1h', to: 'now' });
    expect(nat('last an hour')).toEqual({ from: 'now-1h', to: 'now' });
    expect(nat('past week')).toEqual({ from: 'now-1w', to: 'now' });
    expect(nat('last 30s')).toEqual({ from: 'now-30s', to: 'now' });
    expect(nat('last 90 secs')).toEqual({ from: 'now-90s', to: 'now' });
    expect(nat('  last   5    min ')).toEqual({ from: 'now-5m', to: 'now' });
  });
  it('reads bare durations and expressions', () => {
    expect(nat('15m')).toEqual({ from: 'now-15m', to: 'now' });
    expect(nat('2 hours')).toEqual({ from: 'now-2h', to: 'now' });
    expect(nat('now-6h')).toEqual({ from: 'now-6h', to: 'now' });
  });
  it('reads today and yesterday (UTC)', () => {
    expect(nat('today')).toEqual({ from: String(Date.UTC(2026, 10, 22)), to: 'now' });
    expect(nat('yesterday')).toEqual({
      from: String(Date.UTC(2026, 10, 21)),
      to: String(Date.UTC(2026, 10, 22) - 1),
    });
  });
  it('reads yesterday across a month boundary', () => {
    const firstOfDec = Date.UTC(2026, 11, 1, 8);
    expect(nat('yesterday', 'utc', firstOfDec)).toEqual({
      from: String(Date.UTC(2026, 10, 30)),
      to: String(Date.UTC(2026, 11, 1) - 1),
    });
  });
  it('reads today in the local zone', () => {
    const local = new Date(NOW);
    const midnight = new Date(local.getFullYear(), local.getMonth(), local.getDate()).getTime();
    expect(nat('today', 'local')).toEqual({ from: String(midnight), to: 'now' });
    expect(startOfDay(NOW, 'local')).toBe(midnight);
  });
  it('reads "since"', () => {
    expect(nat('since 10:30')).toEqual({ from: String(Date.UTC(2026, 10, 22, 10, 30)), to: 'now' });
    expect(nat('from 9:00')).toEqual({ from: String(Date.UTC(2026, 10, 22, 9, 0)), to: 'now' });
    expect(nat('since yesterday')).toEqual({ from: String(Date.UTC(2026, 10, 21)), to: 'now' });
    expect(nat('since today')).toEqual({ from: String(Date.UTC(2026, 10, 22)), to: 'now' });
    expect(nat('since 2026-11-20 08:00')).toEqual({ from: String(Date.UTC(2026, 10, 20, 8)), to: 'now' });
  });
  it('reads "since" a later clock time as yesterday', () => {
    expect(nat('since 23:00')).toEqual({ from: String(Date.UTC(2026, 10, 21, 23)), to: 'now' });
  });
  it('reads absolute ranges', () => {
    expect(nat('2026-11-21 10:00 to 2026-11-21 12:00')).toEqual({
      from: String(Date.UTC(2026, 10, 21, 10)),
      to: String(Date.UTC(2026, 10, 21, 12)),
    });
    expect(nat('between 2026-11-21 10:00 and 2026-11-21 12:30')).toEqual({
      from: String(Date.UTC(2026, 10, 21, 10)),
      to: String(Date.UTC(2026, 10, 21, 12, 30)),
    });
    expect(nat('2026-11-21 10:00 until 2026-11-21 12:00')).toEqual({
      from: String(Date.UTC(2026, 10, 21, 10)),
      to: String(Date.UTC(2026, 10, 21, 12)),
    });
    expect(nat('2026-11-21 10:00 – 2026-11-21 12:00').from).toBe(String(Date.UTC(2026, 10, 21, 10)));
  });
  it('puts a bare end time on the start day', () => {
    expect(nat('2026-11-20 10:00 to 12:00')).toEqual({
      from: String(Date.UTC(2026, 10, 20, 10)),
      to: String(Date.UTC(2026, 10, 20, 12)),
    });
  });
  it('treats a bare end date as the whole day', () => {
    expect(nat('2026-11-19 to 2026-11-20')).toEqual({
      from: String(Date.UTC(2026, 10, 19)),
      to: String(Date.UTC(2026, 10, 21) - 1),
    });
  });
  it('keeps "to now" relative', () => {
    expect(nat('2026-11-22 10:00 to now')).toEqual({ from: String(Date.UTC(2026, 10, 22, 10)), to: 'now' });
    expect(nat('now-2h to now-1h')).toEqual({ from: String(NOW - 2 * HOUR), to: String(NOW - HOUR) });
  });
  it('reads a single date as that day and a single time as since', () => {
    expect(nat('2026-11-20')).toEqual({ from: String(Date.UTC(2026, 10, 20)), to: String(Date.UTC(2026, 10, 21) - 1) });
    expect(nat('2026-11-22 09:15')).toEqual({ from: String(Date.UTC(2026, 10, 22, 9, 15)), to: 'now' });
  });
  it('explains what it cannot read', () => {
    expect(natError('')).toMatch(/Type a time range/);
    expect(natError('banana')).toMatch(/Cannot understand "banana"/);
    expect(natError('last 0 minutes')).toMatch(/Cannot/);
    expect(natError('last 5 fortnights')).toMatch(/Cannot/);
    expect(natError('2026-11-21 12:00 to 2026-11-21 10:00')).toMatch(/start is after the end/);
    expect(natError('since 2027-01-01')).toMatch(/future/);
    expect(natError('2026-11-21 10:00 to banana')).toMatch(/Cannot read a time in "banana"/);
    expect(natError('hour')).toMatch(/Cannot understand/);
  });
});
