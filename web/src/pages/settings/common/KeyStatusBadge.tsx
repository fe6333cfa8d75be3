// The status cell of a key table: Active, Active until <time> (rotation
// grace), Expired, Revoked — times in the user's time zone.

import { formatTime, useTimeZone } from '../../../lib/timezone';
import { keyState, type ApiKey } from './keyStatus';

export default function KeyStatusBadge({ apiKey }: { apiKey: ApiKey }) {
  const tz = useTimeZone();
  const state = keyState(apiKey);
  switch (state.kind) {
    case 'active':
      return <span className="badge badge-ok">Active</span>;
    case 'expiring':
      return (
        <span className="badge badge-warn" title="Replaced by rotation; works until the grace period ends">
          Active until {formatTime(state.at, tz)}
        </span>
      );
    case 'expired':
      return <span className="badge badge-off">Expired{state.at !== null ? ` ${formatTime(state.at, tz)}` : ''}</span>;
    case 'revoked':
      return <span className="badge badge-off">Revoked {formatTime(state.at, tz)}</span>;
  }
}
