// Time ranges for search-like pages: the expressions kept in URLs ("now",
// "now-15m", or absolute milliseconds), the presets of the time picker, and a
// parser for what people type ("last 15 minutes", "yesterday", "since 10:30",
// "2026-11-21 10:00 to 2026-11-21 12:00"). Everything takes `now` and the
// display time zone as arguments, so it is deterministic and testable.
import type { TimeZoneChoice } from '../../lib/timezone';

// A time expression: "now", "now-<N><unit>" (s, m, h, d, w) or epoch ms.
export type TimeExpr = string;

export interface TimeRangeExpr {
  from: TimeExpr;
  to: TimeExpr;
}

export interface ResolvedRange {
  fromMs: number;
  toMs: number;
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const UNIT_WORDS: Record<string, string> = {
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', wk: 'w', wks: 'w', week: 'w', weeks: 'w',
};

const UNIT_NAMES: Record<string, [string, string]> = {
  s: ['second', 'seconds'],
  m: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  w: ['week', 'weeks'],
};

export const DEFAULT_RANGE: TimeRangeExpr = { from: 'now-15m', to: 'now' };

export const TIME_PRESETS: { label: string; from: TimeExpr }[] = [
  { label: 'Last 5 minutes', from: 'now-5m' },
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last 1 hour', from: 'now-1h' },
  { label: 'Last 4 hours', from: 'now-4h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
];

const RELATIVE_RE = /^now(?:-(\d+)([smhdw]))?$/;

// True when the expression is a valid time expression.
export function isTimeExpr(expr: string): boolean {
  return RELATIVE_RE.test(expr) || /^\d{1,16}$/.test(expr);
}

export function isRelative(expr: TimeExpr): boolean {
  return RELATIVE_RE.test(expr);
}

// The expression as epoch milliseconds at `now`, or null when invalid.
export function resolveTimeExpr(expr: TimeExpr, now: number): number | null {
  const rel = RELATIVE_RE.exec(expr);
  if (rel) return rel[1] ? now - Number(rel[1]) * UNIT_MS[rel[2]] : now;
  if (/^\d{1,16}$/.test(expr)) return Number(expr);
  return null;
}

// Both ends at `now`; null when either is invalid or from > to.
export function resolveRange(range: TimeRangeExpr, now: number): ResolvedRange | null {
  const fromMs = resolveTimeExpr(range.from, now);
  const toMs = resolveTimeExpr(range.to, now);
  if (fromMs === null || toMs === null || fromMs > toMs) return null;
  return { fromMs, toMs };
}

// "Last 15 minutes" for "now-15m".."now"; null for anything else.
export function describeRelative(range: TimeRangeExpr): string | null {
  if (range.to !== 'now') return null;
  const preset = TIME_PRESETS.find((p) => p.from === range.from);
  if (preset) return preset.label;
  const rel = RELATIVE_RE.exec(range.from);
  if (!rel || !rel[1]) return null;
  const n = Number(rel[1]);
  const [one, many] = UNIT_NAMES[rel[2]];
  return `Last ${n} ${n === 1 ? one : many}`;
}

// --- Calendar arithmetic in the display zone ---------------------------

interface Civil {
  y: number;
  mo: number; // 1-12
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function toMs(c: Civil, tz: TimeZoneChoice): number {
  return tz === 'utc'
    ? Date.UTC(c.y, c.mo - 1, c.d, c.h, c.mi, c.s, c.ms)
    : new Date(c.y, c.mo - 1, c.d, c.h, c.mi, c.s, c.ms).getTime();
}

function civilOf(ms: number, tz: TimeZoneChoice): Civil {
  const t = new Date(ms);
  return tz === 'utc'
    ? { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds(), ms: t.getUTCMilliseconds() }
    : { y: t.getFullYear(), mo: t.getMonth() + 1, d: t.getDate(), h: t.getHours(), mi: t.getMinutes(), s: t.getSeconds(), ms: t.getMilliseconds() };
}

// Midnight starting the day `dayOffset` days from the day of `now`.
export function startOfDay(now: number, tz: TimeZoneChoice, dayOffset = 0): number {
  const c = civilOf(now, tz);
  return toMs({ y: c.y, mo: c.mo, d: c.d + dayOffset, h: 0, mi: 0, s: 0, ms: 0 }, tz);
}

const DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATETIME_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})[ t](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(z)?$/i;
const CLOCK_RE = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?$/i;

function validCivil(c: Civil): boolean {
  return c.mo >= 1 && c.mo <= 12 && c.d >= 1 && c.d <= 31 && c.h <= 23 && c.mi <= 59 && c.s <= 59;
}

// A time of day ("10:30", "9:05:10", "3:15pm") on the day of `now`.
function parseClock(text: string, now: number, tz: TimeZoneChoice): number | null {
  const m = CLOCK_RE.exec(text);
  if (!m) return null;
  let h = Number(m[1]);
  const ampm = m[4]?.toLowerCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    if (ampm === 'pm' && h !== 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
  }
  const day = civilOf(now, tz);
  const c: Civil = { y: day.y, mo: day.mo, d: day.d, h, mi: Number(m[2]), s: Number(m[3] ?? 0), ms: 0 };
  return validCivil(c) ? toMs(c, tz) : null;
}

// An absolute point: "2026-11-21 10:00[:00[.000]]", "2026-11-21T10:00Z",
// "2026-11-21" (midnight), "10:30" (today), "now", "now-1h" or epoch ms.
export function parseDateTime(text: string, now: number, tz: TimeZoneChoice): number | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  const expr = resolveTimeExpr(t.replace(/\s+/g, ''), now);
  if (expr !== null && !/^\d{1,4}$/.test(t)) return expr;
  const dm = DATE_RE.exec(t);
  if (dm) {
    const c: Civil = { y: Number(dm[1]), mo: Number(dm[2]), d: Number(dm[3]), h: 0, mi: 0, s: 0, ms: 0 };
    return validCivil(c) ? toMs(c, tz) : null;
  }
  const m = DATETIME_RE.exec(t);
  if (m) {
    const c: Civil = {
      y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]),
      h: Number(m[4]), mi: Number(m[5]), s: Number(m[6] ?? 0),
      ms: m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0,
    };
    if (!validCivil(c)) return null;
    return toMs(c, m[8] ? 'utc' : tz);
  }
  return parseClock(t, now, tz);
}

export type NaturalRangeResult = { ok: true; range: TimeRangeExpr } | { ok: false; error: string };

const fail = (error: string): NaturalRangeResult => ({ ok: false, error });
const ok = (from: TimeExpr, to: TimeExpr): NaturalRangeResult => ({ ok: true, range: { from, to } });
const abs = (ms: number) => String(ms);

// A duration like "15 minutes", "2h", "an hour", "hour" -> "15m", "2h", "1h".
function parseDuration(text: string): string | null {
  const m = /^(?:(\d+)|an?|one)?\s*([a-z]+)$/.exec(text.trim());
  if (!m) return null;
  const unit = UNIT_WORDS[m[2]];
  if (!unit) return null;
  const n = m[1] ? Number(m[1]) : 1;
  if (!(n > 0)) return null;
  return `${n}${unit}`;
}

// What people type into the time picker, as a range of time expressions.
// Relative phrases stay relative ("now-15m".."now") so they move with time.
export function parseNaturalRange(input: string, now: number, tz: TimeZoneChoice): NaturalRangeResult {
  const text = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '') return fail('Type a time range, e.g. "last 15 minutes"');

  // "last 15 minutes", "past 2 hours", "previous day", "15m", "now-15m"
  const last = /^(?:(?:last|past|previous) )?(.+)$/.exec(text);
  if (last) {
    const dur = parseDuration(last[1]) ?? (/^now-\d+[smhdw]$/.test(last[1]) ? last[1].slice(4) : null);
    if (dur && (last[1] !== text || /^\d/.test(text) || text.startsWith('now-'))) return ok(`now-${dur}`, 'now');
  }

  if (text === 'today') return ok(abs(startOfDay(now, tz)), 'now');
  if (text === 'yesterday') return ok(abs(startOfDay(now, tz, -1)), abs(startOfDay(now, tz) - 1));

  // "since 10:30", "since yesterday", "since 2026-11-21 10:00", "from 10:30"
  const since = /^(?:since|from|after) (.+)$/.exec(text);
  if (since && !/ (?:to|until|-|–) /.test(since[1])) {
    let fromMs: number | null;
    if (since[1] === 'today') fromMs = startOfDay(now, tz);
    else if (since[1] === 'yesterday') fromMs = startOfDay(now, tz, -1);
    else {
      fromMs = parseDateTime(since[1], now, tz);
      // "since 23:00" typed at 01:00 means yesterday's 23:00.
      if (fromMs !== null && fromMs > now && CLOCK_RE.test(since[1])) fromMs -= 86_400_000;
    }
    if (fromMs === null) return fail(`Cannot read a time in "${since[1]}"`);
    if (fromMs > now) return fail('That time is in the future');
    return ok(abs(fromMs), 'now');
  }

  // "A to B", "A until B", "A – B", "between A and B"
  const between = /^(?:between |from )?(.+?) (?:to|until|and|-|–) (.+)$/.exec(text);
  if (between) {
    const fromMs = parseDateTime(between[1], now, tz);
    if (fromMs === null) return fail(`Cannot read a time in "${between[1]}"`);
    let toMs = parseDateTime(between[2], now, tz);
    if (toMs === null) return fail(`Cannot read a time in "${between[2]}"`);
    // "2026-11-21 10:00 to 12:00": a bare clock time is on the start's day.
    if (CLOCK_RE.test(between[2]) && !CLOCK_RE.test(between[1])) {
      toMs = parseClock(between[2], fromMs, tz)!;
    }
    // A bare date as the end means the whole of that day.
    if (DATE_RE.test(between[2])) toMs = startOfDay(toMs, tz, 1) - 1;
    if (fromMs > toMs) return fail('The start is after the end');
    const toExpr = between[2].replace(/\s+/g, '') === 'now' ? 'now' : abs(toMs);
    return ok(abs(fromMs), toExpr);
  }

  // A single date is that whole day; a single point in time is "since".
  if (DATE_RE.test(text)) {
    const start = parseDateTime(text, now, tz);
    if (start === null) return fail(`Cannot read a date in "${text}"`);
    return ok(abs(start), abs(startOfDay(start, tz, 1) - 1));
  }
  const point = parseDateTime(text, now, tz);
  if (point !== null && point <= now && !isRelative(text)) return ok(abs(point), 'now');

  return fail(`Cannot understand "${input.trim()}": try "last 2 hours", "yesterday", "since 10:30" or "2026-11-21 10:00 to 2026-11-21 12:00"`);
}
