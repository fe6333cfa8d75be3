// The searchable sources (log and trace kinds) of the team, and which one a
// search uses: the one named in the URL, else "Logs", else the first log source.
import { useEffect, useState } from 'react';
import { get } from '../../api/client';
import type { Source } from '../../api/types';

export interface SourcesState {
  sources: Source[];
  loading: boolean;
  error: string | null;
}

export function useSearchableSources(): SourcesState {
  const [state, setState] = useState<SourcesState>({ sources: [], loading: true, error: null });
  useEffect(() => {
    let alive = true;
    get<{ data: Source[] }>('/api/v2/sources')
      .then((res) => {
        if (!alive) return;
        const sources = res.data.filter((s) => s.kind === 'log' || s.kind === 'trace');
        setState({ sources, loading: false, error: null });
      })
      .catch((e: Error) => alive && setState({ sources: [], loading: false, error: e.message }));
    return () => {
      alive = false;
    };
  }, []);
  return state;
}

export function pickSource(sources: Source[], id: string | null): Source | null {
  return (
    (id ? sources.find((s) => s.id === id) : undefined) ??
    sources.find((s) => s.name === 'Logs' && s.kind === 'log') ??
    sources.find((s) => s.kind === 'log') ??
    sources[0] ??
    null
  );
}
