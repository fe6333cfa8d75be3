// Runs one request per distinct key (a JSON text of its parameters), aborting
// the previous one when the key changes or on cancel(): the server stops a
// query when its client disconnects. Tracks when it started, so the page can
// show the elapsed time, and tells a user's cancel apart from an error.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  cancelled: boolean;
  startedAt: number | null;
}

export interface AbortableQuery<T> extends QueryState<T> {
  cancel: () => void;
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

export function useAbortableQuery<T>(key: string | null, run: (signal: AbortSignal) => Promise<T>): AbortableQuery<T> {
  const [state, setState] = useState<QueryState<T>>({ data: null, error: null, loading: false, cancelled: false, startedAt: null });
  const controllerRef = useRef<AbortController | null>(null);
  const runRef = useRef(run);
  runRef.current = run;

  useEffect(() => {
    if (key === null) {
      setState({ data: null, error: null, loading: false, cancelled: false, startedAt: null });
      return;
    }
    const controller = new AbortController();
    controllerRef.current = controller;
    setState((s) => ({ data: s.data, error: null, loading: true, cancelled: false, startedAt: Date.now() }));
    runRef
      .current(controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setState({ data, error: null, loading: false, cancelled: false, startedAt: null });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted || isAbort(e)) return;
        setState({ data: null, error: e instanceof Error ? e.message : String(e), loading: false, cancelled: false, startedAt: null });
      });
    return () => controller.abort();
  }, [key]);

  const cancel = useCallback(() => {
    const c = controllerRef.current;
    if (!c || c.signal.aborted) return;
    c.abort();
    setState((s) => (s.loading ? { ...s, loading: false, cancelled: true, startedAt: null } : s));
  }, []);

  return { ...state, cancel };
}
