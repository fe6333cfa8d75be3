// What a key's row says about it: active, active until the end of a rotation
// grace period, expired, or revoked. Keys (ingestion and personal) come from
// the API as {createdAt, lastUsedAt, expiresAt, revokedAt, active}, times in
// milliseconds since the epoch.

export interface ApiKey {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  active: boolean;
}

export interface CreatedKey {
  key: ApiKey;
  raw: string;
}

export type KeyState =
  | { kind: 'active' }
  | { kind: 'expiring'; at: number }
  | { kind: 'expired'; at: number | null }
  | { kind: 'revoked'; at: number };

export function keyState(key: ApiKey): KeyState {
  if (key.revokedAt !== null) return { kind: 'revoked', at: key.revokedAt };
  if (!key.active) return { kind: 'expired', at: key.expiresAt };
  if (key.expiresAt !== null) return { kind: 'expiring', at: key.expiresAt };
  return { kind: 'active' };
}

// Active keys first (newest first), then the ones that no longer work.
export function sortKeys(keys: ApiKey[]): ApiKey[] {
  return [...keys].sort((a, b) => {
    if (a.active !== b.active) return a.active ? -1 : 1;
    return b.createdAt - a.createdAt;
  });
}

// Grace periods offered when rotating: the old key keeps working this long.
export const GRACE_CHOICES: { label: string; seconds: number }[] = [
  { label: 'none (old key stops now)', seconds: 0 },
  { label: '1 hour', seconds: 3600 },
  { label: '24 hours', seconds: 86400 },
  { label: '7 days', seconds: 7 * 86400 },
];
