import { describe, expect, it } from 'vitest';
import { keyState, sortKeys, type ApiKey } from './keyStatus';

const key = (over: Partial<ApiKey>): ApiKey => ({
  id: '1',
  name: 'k',
  createdAt: 1000,
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
  active: true,
  ...over,
});

describe('keyState', () => {
  it('reads the four states from real API rows', () => {
    expect(keyState(key({}))).toEqual({ kind: 'active' });
    expect(keyState(key({ expiresAt: 5000 }))).toEqual({ kind: 'expiring', at: 5000 });
    expect(keyState(key({ expiresAt: 5000, active: false }))).toEqual({ kind: 'expired', at: 5000 });
    expect(keyState(key({ revokedAt: 7000, active: false }))).toEqual({ kind: 'revoked', at: 7000 });
  });
});

describe('sortKeys', () => {
  it('puts working keys first, newest first', () => {
    const sorted = sortKeys([
      key({ id: 'old', createdAt: 1 }),
      key({ id: 'dead', createdAt: 9, active: false }),
      key({ id: 'new', createdAt: 5 }),
    ]);
    expect(sorted.map((k) => k.id)).toEqual(['new', 'old', 'dead']);
  });
});
