// The team's sources (GET /api/v2/sources), loaded once per page.
import { useEffect, useState } from 'react';
import { get } from '../../api/client';
import type { Source } from '../../api/types';

export interface SourcesState {
  sources: Source[];
  loading: boolean;
  error: string | null;
}

export function useSources(): SourcesState {
  const [state, setState] = useState<SourcesState>({ sources: [], loading: true, error: null });
  useEffect(() => {
    const controller = new AbortController();
    get<{ data: Source[] }>('/api/v2/sources', { signal: controller.signal })
      .then((r) => setState({ sources: r.data, loading: false, error: null }))
      .catch((e) => {
        if (!controller.signal.aborted) setState({ sources: [], loading: false, error: e instanceof Error ? e.message : String(e) });
      });
    return () => controller.abort();
  }, []);
  return state;
}

// Sources that charts can aggregate (sessions have no rows of their own here).
export function chartableSources(sources: Source[]): Source[] {
  return sources.filter((s) => s.kind === 'log' || s.kind === 'trace' || s.kind === 'metric');
}
