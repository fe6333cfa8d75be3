// The user's display time zone: the browser's local zone or UTC, chosen in
// the user menu and kept in localStorage. formatTime renders every timestamp
// the UI shows, so the whole UI follows the choice.
import { useSyncExternalStore } from 'react';

export type TimeZoneChoice = 'local' | 'utc';

const KEY = 'otelstack.timezone';
const listeners = new Set<() => void>();

export function getTimeZone(): TimeZoneChoice {
  return typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === 'utc' ? 'utc' : 'local';
}

export function setTimeZone(choice: TimeZoneChoice) {
  localStorage.setItem(KEY, choice);
  for (const l of listeners) l();
}

export function useTimeZone(): TimeZoneChoice {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getTimeZone,
    () => 'local',
  );
}

function pad(n: number, width = 2) {
  return String(n).padStart(width, '0');
}

// "2026-11-22 10:01:02.345" in the chosen zone (milliseconds since the epoch).
export function formatTime(ms: number, tz: TimeZoneChoice = getTimeZone()): string {
  const d = new Date(ms);
  const utc = tz === 'utc';
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const da = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const mi = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const ms3 = utc ? d.getUTCMilliseconds() : d.getMilliseconds();
  return `${y}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms3, 3)}`;
}

// Row timestamps come from the API as RFC 3339 strings with nanoseconds
// (row_json): milliseconds since the epoch, or NaN.
export function parseRowTime(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  return Date.parse(value);
}
