// Whether this server already has a team (GET /api/installation): before
// that, the sign-in pages send visitors to registration; after, registration
// is closed and joining takes an invitation.
import { useEffect, useState } from 'react';
import { get } from '../api/client';

// null while loading (or if the check failed: the pages then behave as if a
// team existed, and the server still refuses a second registration).
export function useTeamExists(): boolean | null {
  const [exists, setExists] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    get<{ teamExists: boolean }>('/api/installation')
      .then((r) => live && setExists(r.teamExists))
      .catch(() => live && setExists(true));
    return () => {
      live = false;
    };
  }, []);
  return exists;
}
