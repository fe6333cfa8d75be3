// The ingestion key Get started shows an admin: the first active key, whose
// raw value is fetched only when asked (each reveal is audited).

import { useState } from 'react';
import { post } from '../../api/client';
import { errorText } from '../settings/common/errors';
import { keyState, sortKeys, type ApiKey } from '../settings/common/keyStatus';
import { useApiData } from '../settings/common/useApiData';

export interface IngestionKeyState {
  loading: boolean;
  error: string | null;
  key: ApiKey | null; // null once loaded: no active key
  raw: string | null;
  revealing: boolean;
  reveal: () => Promise<void>;
}

export function useIngestionKey(enabled: boolean): IngestionKeyState {
  const keys = useApiData<{ data: ApiKey[] }>(enabled ? '/api/ingestion-keys' : null);
  const [raw, setRaw] = useState<string | null>(null);
  const [revealing, setRevealing] = useState(false);
  const [revealError, setRevealError] = useState<string | null>(null);
  // Prefer a key that is not being rotated out.
  const active = sortKeys((keys.data?.data ?? []).filter((k) => k.active));
  const key = active.find((k) => keyState(k).kind === 'active') ?? active[0] ?? null;

  async function reveal() {
    if (!key) return;
    setRevealing(true);
    setRevealError(null);
    try {
      setRaw((await post<{ raw: string }>(`/api/ingestion-keys/${key.id}/reveal`)).raw);
    } catch (e) {
      setRevealError(errorText(e));
    } finally {
      setRevealing(false);
    }
  }

  return { loading: keys.loading, error: keys.error ?? revealError, key, raw, revealing, reveal };
}
