// The search page (/search), like HyperDX's search or Grafana Explore: pick
// a log or trace source, write a query (search syntax or SQL), pick a time
// range; see a histogram of matches over time, the matching rows (newest
// first, infinite scroll, live tail), facets to filter by, and any row's
// fields in a side panel. The whole state is in the URL (searchUrlState.ts).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { post } from '../../api/client';
import type { Row, Source } from '../../api/types';
import TimePicker from '../../components/search/TimePicker';
import { isRelative, resolveRange, type TimeRangeExpr } from '../../components/search/timeRange';
import { formatTime, useTimeZone } from '../../lib/timezone';
import ColumnChooser from './ColumnChooser';
import FacetsSidebar, { FACET_FIELDS, type FacetsResponse } from './FacetsSidebar';
import Histogram from './Histogram';
import { buildHistogram, chooseGranularity, type Histogram as HistogramData, type SeriesPoint } from './histogramData';
import LiveTailToggle from './LiveTailToggle';
import QueryBar from './QueryBar';
import { appendFilter, errorPosition } from './queryFilters';
import QueryProgress from './QueryProgress';
import ResultsTable from './ResultsTable';
import { cachedRowKey } from './rowKeyCache';
import RowPanel from './RowPanel';
import { attributeKeys, DEFAULT_COLUMNS, LEVEL_COLUMN, SIGNAL_COLUMNS, type SignalKind } from './rowFields';
import SavedSearches, { type SavedSearch } from './SavedSearches';
import { parseColumns, parseSearchState, serializeSearchState, type QueryLanguage, type SearchState } from './searchUrlState';
import { useAbortableQuery } from './useAbortableQuery';
import { useSearchResults, type SearchRequest } from './useSearchResults';
import { pickSource, useSearchableSources } from './useSources';
import './SearchPage.css';

const LIVE_POLL_MS = 2000;
const LIVE_CHART_EVERY = 5; // polls between histogram/facets refreshes

function defaultColumns(source: Source | null, kind: SignalKind): string[] {
  const expr = source?.defaultTableSelectExpression;
  if (typeof expr === 'string' && !/[()]/.test(expr)) {
    const cols = parseColumns(expr);
    if (cols.length) return cols;
  }
  return DEFAULT_COLUMNS[kind];
}

function timeColumnOf(source: Source | null): string {
  const t = source?.timestampValueExpression;
  return t && /^\w+$/.test(t) ? t : 'Timestamp';
}

interface HistogramResult {
  histogram: HistogramData;
  partial: boolean;
  partialReason: string | null;
}

export default function SearchPage() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseSearchState(params), [params]);
  const tz = useTimeZone();
  const { sources, loading: sourcesLoading, error: sourcesError } = useSearchableSources();
  const source = pickSource(sources, state.source);
  const kind: SignalKind = source?.kind === 'trace' ? 'trace' : 'log';
  const timeColumn = timeColumnOf(source);
  const columns = state.columns ?? defaultColumns(source, kind);

  const update = useCallback(
    (patch: Partial<SearchState>, replace = false) => {
      setParams((prev) => serializeSearchState({ ...parseSearchState(prev), ...patch }), { replace });
    },
    [setParams],
  );

  // A shared link names its source.
  useEffect(() => {
    if (source && state.source !== source.id) update({ source: source.id }, true);
  }, [source, state.source, update]);

  // The query being typed; it runs (goes into the URL) on Enter.
  const [draft, setDraft] = useState(state.q);
  useEffect(() => setDraft(state.q), [state.q]);

  const [runCounter, setRunCounter] = useState(0);
  // Relative ranges are resolved when a search runs.
  const runNow = useMemo(() => Date.now(), [source?.id, state.q, state.lang, state.from, state.to, runCounter]);
  const range = useMemo(() => resolveRange({ from: state.from, to: state.to }, runNow), [state.from, state.to, runNow]);

  const run = () => {
    if (draft !== state.q) update({ q: draft, row: null });
    else setRunCounter((c) => c + 1);
  };

  // --- Live tail -------------------------------------------------------
  const [live, setLive] = useState(false);
  const [atTop, setAtTop] = useState(true);
  const [liveTick, setLiveTick] = useState(0);
  const atTopRef = useRef(atTop);
  atTopRef.current = atTop;
  useEffect(() => {
    if (live && state.to !== 'now') setLive(false);
  }, [live, state.to]);

  // --- Queries -----------------------------------------------------------
  const searchReq: SearchRequest | null = useMemo(
    () =>
      source && range
        ? { sourceId: source.id, query: state.q, lang: state.lang, fromMs: range.fromMs, toMs: range.toMs, timeColumn }
        : null,
    [source, state.q, state.lang, range, timeColumn],
  );
  const results = useSearchResults(searchReq);

  // The histogram and facets follow the live range every few polls.
  const chartRange = useMemo(
    () => (live && liveTick > 0 ? resolveRange({ from: state.from, to: state.to }, Date.now()) : range),
    [live, liveTick, range, state.from, state.to],
  );
  const levelColumn = LEVEL_COLUMN[kind];
  const gran = chartRange ? chooseGranularity(chartRange.toMs - chartRange.fromMs) : null;
  const histKey =
    source && chartRange && gran
      ? JSON.stringify({ s: source.id, q: state.q, l: state.lang, f: chartRange.fromMs, t: chartRange.toMs, g: gran.label, by: levelColumn })
      : null;
  const hist = useAbortableQuery<HistogramResult>(histKey, async (signal) => {
    const res = await post<{ data: SeriesPoint[]; meta?: { partial: boolean; partialReason: string | null } }>(
      '/api/v2/charts/series',
      {
        startTime: chartRange!.fromMs,
        endTime: chartRange!.toMs,
        granularity: gran!.label,
        series: [{ sourceId: source!.id, aggFn: 'count', where: state.q, whereLanguage: state.lang, groupBy: [levelColumn] }],
      },
      { signal },
    );
    return {
      histogram: buildHistogram(res.data, chartRange!.fromMs, chartRange!.toMs, gran!.ms, kind),
      partial: res.meta?.partial ?? false,
      partialReason: res.meta?.partialReason ?? null,
    };
  });

  const facetFields = FACET_FIELDS[kind];
  const facetsKey =
    source && chartRange ? JSON.stringify({ s: source.id, q: state.q, l: state.lang, f: chartRange.fromMs, t: chartRange.toMs, k: facetFields }) : null;
  const facets = useAbortableQuery<FacetsResponse>(facetsKey, (signal) =>
    post<FacetsResponse>(
      '/api/v2/facets',
      { sourceId: source!.id, query: state.q, whereLanguage: state.lang, startTime: chartRange!.fromMs, endTime: chartRange!.toMs, fields: facetFields, limit: 10 },
      { signal },
    ),
  );

  const { pollNewer } = results;
  useEffect(() => {
    if (!live) return;
    let ticks = 0;
    const t = setInterval(() => {
      if (document.hidden || !atTopRef.current) return;
      pollNewer();
      ticks++;
      if (ticks % LIVE_CHART_EVERY === 0) setLiveTick((x) => x + 1);
    }, LIVE_POLL_MS);
    return () => clearInterval(t);
  }, [live, pollNewer]);

  const toggleLive = (on: boolean) => {
    if (on && !(isRelative(state.from) && state.to === 'now')) {
      // Live tail needs a range that ends now: keep its length.
      const minutes = range ? Math.max(1, Math.round((range.toMs - range.fromMs) / 60_000)) : 15;
      update({ from: `now-${minutes}m`, to: 'now' });
    }
    setLive(on);
  };

  const cancelAll = () => {
    results.cancel();
    hist.cancel();
    facets.cancel();
  };

  // --- Derived view state ---------------------------------------------------
  const attrKeys = useMemo(() => attributeKeys(results.rows.slice(0, 500), kind), [results.rows, kind]);
  const fieldCandidates = useMemo(() => [...SIGNAL_COLUMNS[kind], ...attrKeys], [kind, attrKeys]);
  const selectedRow: Row | null = useMemo(
    () => (state.row ? (results.rows.find((r) => cachedRowKey(r) === state.row) ?? null) : null),
    [state.row, results.rows],
  );

  const loading = results.loading || results.loadingMore || hist.loading || facets.loading;
  // Live tail refreshes quietly; the first page and explicit runs show progress.
  const showProgress = results.loading || results.loadingMore || (!live && loading);
  const startedAt = Math.min(
    ...[results.startedAt, hist.startedAt, facets.startedAt].filter((x): x is number => x !== null),
  );
  // The query's error: the rows' request's, or a syntax error the histogram
  // got first (the rows' request will fail the same way).
  const histSyntaxError = hist.error && errorPosition(hist.error) !== null ? hist.error : null;
  const queryError = results.error ?? histSyntaxError;
  const errorPos = queryError ? errorPosition(queryError) : null;
  const cancelled = results.cancelled || hist.cancelled;
  // The last run failed: only the error is shown, no counts, histogram,
  // facets or table (they would be empty or the previous query's).
  const failed = results.rows.length === 0 && !results.loadingMore && ((!!results.error && !results.loading) || errorPos !== null);

  const onFilter = (field: string, value: string | number | boolean, exclude: boolean) => {
    const q = appendFilter(draft, state.lang, field, value, exclude);
    setDraft(q);
    update({ q });
  };
  const setRange = (r: TimeRangeExpr) => {
    update({ from: r.from, to: r.to });
    setRunCounter((c) => c + 1);
  };
  const loadSaved = (s: SavedSearch) => {
    update({ source: s.sourceId, q: s.where, lang: s.whereLanguage, columns: s.select ? parseColumns(s.select) : null, row: null });
  };

  // --- Rendering -----------------------------------------------------------
  if (sourcesLoading) return <div className="loading">Loading sources…</div>;
  if (sourcesError) return <div className="error-box">Could not load sources: {sourcesError}</div>;
  if (!source)
    return (
      <div className="notice">
        There is no log or trace source to search. An admin can add one in <Link to="/settings">Team settings</Link>.
      </div>
    );

  const histData = hist.data?.histogram ?? null;

  return (
    <div className="sr-page">
      <div className="sr-toolbar">
        <label className="sr-source">
          <span>Source</span>
          <select value={source.id} onChange={(e) => update({ source: e.target.value, columns: null, row: null })}>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.kind === 'trace' ? 'traces' : 'logs'})
              </option>
            ))}
          </select>
        </label>
        <SavedSearches
          sources={sources}
          current={{ sourceId: source.id, where: draft, whereLanguage: state.lang, select: columns.join(', ') }}
          onLoad={loadSaved}
        />
        <div className="sr-spacer" />
        <LiveTailToggle live={live} paused={live && !atTop} onChange={toggleLive} />
      </div>

      <QueryBar
        value={draft}
        onChange={setDraft}
        lang={state.lang}
        onLangChange={(lang: QueryLanguage) => update({ lang, q: draft, row: null })}
        onRun={run}
        fields={fieldCandidates}
        errorPosition={errorPos}
        ranQuery={state.q}
        placeholder={
          state.lang === 'sql'
            ? kind === 'trace'
              ? "SQL WHERE clause, e.g. ServiceName = 'api' AND Duration > 100 * 1000000"
              : "SQL WHERE clause, e.g. ServiceName = 'api' AND SeverityText = 'ERROR'"
            : kind === 'trace'
              ? 'Search spans, e.g. SpanName:"GET /orders" StatusCode:Error Duration:>100000000'
              : 'Search logs, e.g. ServiceName:api SeverityText:ERROR "timed out"'
        }
      >
        <TimePicker value={{ from: state.from, to: state.to }} onChange={setRange} />
        <button type="button" onClick={run} disabled={loading && !live}>
          Run
        </button>
      </QueryBar>

      <div className="sr-status">
        {range ? (
          <span className="muted mono sr-small">
            {formatTime(range.fromMs, tz)} → {formatTime(range.toMs, tz)} ({tz === 'utc' ? 'UTC' : 'local time'})
          </span>
        ) : (
          <span className="tp-error">The time range is invalid: pick another one.</span>
        )}
        {showProgress && Number.isFinite(startedAt) && (
          <QueryProgress startedAt={startedAt} onCancel={cancelAll} />
        )}
        {cancelled && !loading && <span className="sr-warn sr-small">Cancelled. Press Enter or Run to search again.</span>}
      </div>
      {queryError && (
        <div className="error-box sr-query-error-box" role="alert">
          {queryError}
        </div>
      )}

      <div className="sr-main">
        <FacetsSidebar data={failed ? null : facets.data} loading={!failed && facets.loading} error={facets.error && facets.error !== queryError ? facets.error : null} onFilter={onFilter} />
        {failed ? (
          <div className="sr-results">
            <div className="notice sr-empty">
              <b>The query did not run</b>, so there are no counts or rows to show.
              <ul>
                <li>
                  {errorPos !== null
                    ? `The error above names position ${errorPos}, marked in red under the query.`
                    : 'The error above says what the server refused.'}
                </li>
                <li>Fix the query and press Enter or Run; the “?” button summarises the syntax.</li>
              </ul>
            </div>
          </div>
        ) : (
          <div className="sr-results">
            <div className="sr-hist-head">
              <span>
                {histData ? (
                  <>
                    <b>{histData.total.toLocaleString()}</b> matching {kind === 'trace' ? 'spans' : 'logs'}
                    <span className="muted sr-small"> · {gran?.label} buckets · drag to zoom</span>
                  </>
                ) : hist.loading ? (
                  <span className="muted">Counting…</span>
                ) : null}
              </span>
              {hist.data?.partial && (
                <span className="sr-warn sr-small">Partial counts: {hist.data.partialReason ?? 'a query limit was reached'}</span>
              )}
            </div>
            {hist.error && hist.error !== queryError ? <div className="error-box sr-small">Histogram: {hist.error}</div> : null}
            <Histogram data={histData} tz={tz} onZoom={(a, b) => update({ from: String(a), to: String(b) })} />

            <div className="sr-results-head">
              <span className="sr-small">
                {results.loading ? (
                  <span className="muted">Loading rows…</span>
                ) : (
                  <>
                    <b>{results.rows.length.toLocaleString()}</b> rows{results.hasMore ? ' (scroll for more)' : ''} · read{' '}
                    {results.rowsRead.toLocaleString()} rows in {results.durationMs.toLocaleString()} ms
                    {live && results.lastLiveAdded > 0 && <span className="sr-ok"> · +{results.lastLiveAdded} new</span>}
                  </>
                )}
              </span>
              <ColumnChooser columns={columns} candidates={fieldCandidates} onChange={(c) => update({ columns: c })} />
            </div>
            {results.partial && (
              <div className="sr-warn-box" role="alert">
                Partial results: {results.partialReason ?? 'a query limit stopped the scan; narrow the time range or the query to see everything'}
              </div>
            )}

            {results.cancelled && results.rows.length === 0 ? (
              <div className="notice sr-empty">The search was cancelled before any rows arrived. Press Enter or Run to search again.</div>
            ) : !results.loading && !results.error && results.rows.length === 0 ? (
              <div className="notice sr-empty">
                {results.partial ? (
                  <b>No matching {kind === 'trace' ? 'spans' : 'logs'} were found before the query limit stopped the scan.</b>
                ) : (
                  <>
                    <b>No {kind === 'trace' ? 'spans' : 'logs'} match</b> in this time range.
                  </>
                )}
                <ul>
                  <li>Widen the time range (e.g. Last 24 hours) or remove a filter.</li>
                  <li>Check the query syntax with the “?” button.</li>
                  <li>
                    No data yet? See <Link to="/get-started">Send data</Link>.
                  </li>
                </ul>
              </div>
            ) : (
              <ResultsTable
                rows={results.rows}
                columns={columns}
                kind={kind}
                tz={tz}
                timeColumn={timeColumn}
                selectedKey={state.row}
                onSelect={(row) => update({ row: cachedRowKey(row) }, true)}
                onRemoveColumn={(c) => {
                  const next = columns.filter((x) => x !== c);
                  update({ columns: next.length ? next : null });
                }}
                hasMore={results.hasMore}
                loadingMore={results.loadingMore}
                onLoadMore={results.loadMore}
                onAtTopChange={setAtTop}
                footer={
                  results.loadingMore ? (
                    <span className="muted">Loading more…</span>
                  ) : results.hasMore ? (
                    <button type="button" className="link" onClick={results.loadMore}>
                      Load more
                    </button>
                  ) : results.rows.length > 0 ? (
                    <span className="muted">End of results in this time range.</span>
                  ) : null
                }
              />
            )}
          </div>
        )}
        {state.row && (
          <RowPanel
            row={selectedRow}
            loading={results.loading}
            kind={kind}
            tz={tz}
            timeColumn={timeColumn}
            onFilter={onFilter}
            onClose={() => update({ row: null }, true)}
          />
        )}
      </div>
    </div>
  );
}
