// The result rows of a search: the first page (200 rows, newest first), the
// next pages on demand (infinite scroll: endTime = the last row's time, rows
// already shown dropped), and live-tail polls that prepend newer rows.
// Every request can be cancelled; a cancelled or replaced request's answer
// is ignored.
import { useCallback, useEffect, useRef, useState } from 'react';
import { post } from '../../api/client';
import type { Row, SearchMeta } from '../../api/types';
import { isAbort } from './useAbortableQuery';
import { mergeNewerPage, mergeOlderPage, nextPageEnd, timeOfColumn } from './rowMerge';
import type { QueryLanguage } from './searchUrlState';

export const PAGE_SIZE = 200;
export const LIVE_ROW_CAP = 5000;

export interface SearchRequest {
  sourceId: string;
  query: string;
  lang: QueryLanguage;
  fromMs: number;
  toMs: number;
  timeColumn: string;
}

interface SearchResponse {
  data: Row[];
  meta: SearchMeta;
}

export interface ResultsState {
  rows: Row[];
  loading: boolean; // the first page
  loadingMore: boolean;
  error: string | null;
  cancelled: boolean;
  hasMore: boolean;
  rowsRead: number;
  durationMs: number;
  partial: boolean;
  partialReason: string | null;
  startedAt: number | null;
  lastLiveAdded: number;
}

const EMPTY: ResultsState = {
  rows: [], loading: false, loadingMore: false, error: null, cancelled: false, hasMore: false,
  rowsRead: 0, durationMs: 0, partial: false, partialReason: null, startedAt: null, lastLiveAdded: 0,
};

function fetchPage(req: SearchRequest, startTime: number, endTime: number, signal: AbortSignal) {
  return post<SearchResponse>(
    '/api/v2/search',
    { sourceId: req.sourceId, query: req.query, whereLanguage: req.lang, startTime, endTime, limit: PAGE_SIZE },
    { signal },
  );
}

export function useSearchResults(req: SearchRequest | null) {
  const [state, setState] = useState<ResultsState>(EMPTY);
  const stateRef = useRef(state);
  stateRef.current = state;
  const controllerRef = useRef<AbortController | null>(null);
  const pollRef = useRef<AbortController | null>(null);
  const cursorRef = useRef<number | null>(null); // overrides nextPageEnd when a page was all duplicates
  const reqRef = useRef(req);
  reqRef.current = req;
  const key = req ? JSON.stringify(req) : null;

  useEffect(() => {
    const r = reqRef.current;
    cursorRef.current = null;
    if (!r) {
      setState(EMPTY);
      return;
    }
    const controller = new AbortController();
    controllerRef.current = controller;
    setState({ ...EMPTY, loading: true, startedAt: Date.now() });
    fetchPage(r, r.fromMs, r.toMs, controller.signal)
      .then((res) => {
        if (controller.signal.aborted) return;
        setState({
          ...EMPTY,
          rows: res.data,
          hasMore: res.data.length >= PAGE_SIZE,
          rowsRead: res.meta.rowsRead,
          durationMs: res.meta.durationMs,
          partial: res.meta.partial,
          partialReason: res.meta.partialReason,
        });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted || isAbort(e)) return;
        setState({ ...EMPTY, error: e instanceof Error ? e.message : String(e) });
      });
    return () => {
      controller.abort();
      pollRef.current?.abort();
    };
  }, [key]);

  const loadMore = useCallback(() => {
    const r = reqRef.current;
    const s = stateRef.current;
    if (!r || s.loading || s.loadingMore || !s.hasMore || s.error) return;
    const timeOf = timeOfColumn(r.timeColumn);
    const next = cursorRef.current ?? nextPageEnd(s.rows, timeOf);
    if (next === null || next < r.fromMs) {
      setState((x) => ({ ...x, hasMore: false }));
      return;
    }
    const controller = new AbortController();
    controllerRef.current = controller;
    setState((x) => ({ ...x, loadingMore: true, cancelled: false, startedAt: Date.now() }));
    fetchPage(r, r.fromMs, Math.min(next, r.toMs), controller.signal)
      .then((res) => {
        if (controller.signal.aborted) return;
        setState((x) => {
          const merged = mergeOlderPage(x.rows, res.data, timeOf);
          const full = res.data.length >= PAGE_SIZE;
          const lastMs = x.rows.length ? timeOf(x.rows[x.rows.length - 1]) : null;
          // A full page of rows already shown (one crowded millisecond): step past it.
          cursorRef.current = merged.added === 0 && full && lastMs !== null ? lastMs - 1 : null;
          return {
            ...x,
            rows: merged.rows,
            loadingMore: false,
            startedAt: null,
            hasMore: full,
            rowsRead: x.rowsRead + res.meta.rowsRead,
            durationMs: x.durationMs + res.meta.durationMs,
            partial: x.partial || res.meta.partial,
            partialReason: x.partialReason ?? res.meta.partialReason,
          };
        });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted || isAbort(e)) return;
        setState((x) => ({ ...x, loadingMore: false, startedAt: null, error: e instanceof Error ? e.message : String(e) }));
      });
  }, []);

  // Live tail: rows from the newest shown up to now, prepended.
  const pollNewer = useCallback(() => {
    const r = reqRef.current;
    const s = stateRef.current;
    if (!r || s.loading || pollRef.current) return;
    const timeOf = timeOfColumn(r.timeColumn);
    const now = Date.now();
    const newest = s.rows.length ? timeOf(s.rows[0]) : NaN;
    const start = Number.isFinite(newest) ? Math.max(r.fromMs, newest) : r.fromMs;
    if (start > now) return;
    const controller = new AbortController();
    pollRef.current = controller;
    fetchPage(r, start, now, controller.signal)
      .then((res) => {
        if (controller.signal.aborted) return;
        setState((x) => {
          const merged = mergeNewerPage(x.rows, res.data, timeOf, PAGE_SIZE, LIVE_ROW_CAP);
          if (merged.reset) cursorRef.current = null;
          return {
            ...x,
            rows: merged.rows,
            lastLiveAdded: merged.added,
            hasMore: merged.reset || x.hasMore || merged.rows.length < x.rows.length + merged.added,
            error: null,
            partial: x.partial || res.meta.partial,
            partialReason: x.partialReason ?? res.meta.partialReason,
          };
        });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted || isAbort(e)) return;
        setState((x) => ({ ...x, error: e instanceof Error ? e.message : String(e) }));
      })
      .finally(() => {
        if (pollRef.current === controller) pollRef.current = null;
      });
  }, []);

  const cancel = useCallback(() => {
    controllerRef.current?.abort();
    pollRef.current?.abort();
    pollRef.current = null;
    setState((x) => (x.loading || x.loadingMore ? { ...x, loading: false, loadingMore: false, cancelled: true, startedAt: null } : x));
  }, []);

  return { ...state, loadMore, pollNewer, cancel };
}
