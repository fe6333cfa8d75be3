// A timestamp in the user's time zone, or a dash (e.g. "never used").

import { formatTime, useTimeZone } from '../../../lib/timezone';

export default function TimeCell({ ms, empty = '—' }: { ms: number | null | undefined; empty?: string }) {
  const tz = useTimeZone();
  if (ms === null || ms === undefined) return <span className="muted">{empty}</span>;
  return <span className="mono time-cell">{formatTime(ms, tz)}</span>;
}
