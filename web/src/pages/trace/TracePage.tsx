// /trace/:traceId (?sourceId=): the trace waterfall with a header (duration,
// spans, services, errors), the selected span's details, and the trace's logs.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, get } from '../../api/client';
import type { Row } from '../../api/types';
import { formatTime, useTimeZone } from '../../lib/timezone';
import { colorsForNames } from '../../components/charts/palette';
import { formatDurationNs } from '../../components/charts/format';
import Waterfall from './Waterfall';
import SpanDetail from './SpanDetail';
import TraceLogs from './TraceLogs';
import { buildWaterfall, nsToMs, visibleRows } from './waterfall';
import { traceSearchHref, traceTimeRangeMs } from './traceSearch';
import './TracePage.css';

interface TraceResponse {
  trace_id: string;
  spans: Row[];
  logs: Row[];
  truncated: boolean;
}

type LoadState =
  | { kind: 'loading' }
  | { kind: 'error'; status: number; message: string }
  | { kind: 'ok'; trace: TraceResponse };

export default function TracePage() {
  const { traceId = '' } = useParams();
  const [params] = useSearchParams();
  const sourceId = params.get('sourceId');
  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    const query = sourceId ? `?sourceId=${encodeURIComponent(sourceId)}` : '';
    get<TraceResponse>(`/api/v2/traces/${encodeURIComponent(traceId)}${query}`, { signal: controller.signal })
      .then((trace) => setState({ kind: 'ok', trace }))
      .catch((e) => {
        if (controller.signal.aborted) return;
        setState({
          kind: 'error',
          status: e instanceof ApiError ? e.status : 0,
          message: e instanceof Error ? e.message : String(e),
        });
      });
    return () => controller.abort();
  }, [traceId, sourceId, reload]);

  return (
    <div className="trace-page">
      <div className="trace-title">
        <h2>Trace</h2>
        <span className="mono muted">{traceId}</span>
      </div>
      {state.kind === 'loading' && <div className="loading">Loading trace…</div>}
      {state.kind === 'error' && (
        <TraceError status={state.status} message={state.message} onRetry={() => setReload((n) => n + 1)} />
      )}
      {state.kind === 'ok' && <TraceView trace={state.trace} />}
    </div>
  );
}

function TraceError({ status, message, onRetry }: { status: number; message: string; onRetry: () => void }) {
  if (status === 404) {
    return (
      <div className="notice trace-not-found">
        <strong>Trace not found.</strong>
        <p className="muted">
          No spans or logs with this trace id are stored in the trace source ({message}). The trace may be older than
          the retention period, still on its way from the exporter, or in another trace source (pass ?sourceId=).
        </p>
        <div className="row-actions">
          <button type="button" className="secondary" onClick={onRetry}>
            Try again
          </button>
          <Link to="/search">Go to search</Link>
        </div>
      </div>
    );
  }
  return (
    <div className="error-box" role="alert">
      {status === 400 ? 'This is not a valid trace id: ' : 'Could not load the trace: '}
      {message}
      {status !== 400 && (
        <div>
          <button type="button" className="secondary" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

function TraceView({ trace }: { trace: TraceResponse }) {
  const tz = useTimeZone();
  const waterfall = useMemo(() => buildWaterfall(trace.spans), [trace.spans]);
  const colors = useMemo(() => colorsForNames(waterfall.services), [waterfall.services]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const rows = useMemo(() => visibleRows(waterfall.rows, collapsed), [waterfall.rows, collapsed]);
  const selected = useMemo(
    () => waterfall.rows.find((r) => r.key === selectedKey) ?? null,
    [waterfall.rows, selectedKey],
  );
  const spanKeys = useMemo(() => new Set(waterfall.rows.map((r) => r.key)), [waterfall.rows]);
  const searchHref = traceSearchHref(trace.trace_id, traceTimeRangeMs(trace.spans, trace.logs));

  const toggle = useCallback((key: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  return (
    <>
      <header className="trace-header card">
        <Stat label="Duration" value={formatDurationNs(waterfall.totalNs)} />
        <Stat label="Spans" value={String(waterfall.rows.length)} />
        <Stat label="Services" value={String(waterfall.services.length)} />
        <Stat label="Errors" value={String(waterfall.errorCount)} error={waterfall.errorCount > 0} />
        {waterfall.rows.length > 0 && <Stat label="Started" value={formatTime(nsToMs(waterfall.startNs), tz)} />}
        <div className="trace-services" aria-label="Services">
          {waterfall.services.map((s) => (
            <span key={s} className="service-chip">
              <span className="swatch" style={{ background: colors.get(s) }} />
              {s || '(no service)'}
            </span>
          ))}
        </div>
      </header>
      {trace.truncated && (
        <div className="notice trace-truncated" role="status">
          This trace is truncated: it has more than 100000 spans or logs, and only the first 100000 of each (oldest
          first) are shown.
        </div>
      )}

      {waterfall.rows.length === 0 ? (
        <div className="notice">This trace has no spans in the trace source, only the logs below.</div>
      ) : (
        <div className={`trace-main${selected ? ' with-detail' : ''}`}>
          <div className="card trace-waterfall-card">
            <div className="trace-section-head">
              <h3>Waterfall</h3>
              <div className="row-actions">
                <button type="button" className="secondary" onClick={() => setCollapsed(new Set())}>
                  Expand all
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setCollapsed(new Set(waterfall.rows.filter((r) => r.depth === 0 && r.childCount > 0).map((r) => r.key)))}
                >
                  Collapse all
                </button>
              </div>
            </div>
            <Waterfall
              rows={rows}
              totalNs={waterfall.totalNs}
              colors={colors}
              collapsed={collapsed}
              selectedKey={selectedKey}
              onToggle={toggle}
              onSelect={setSelectedKey}
            />
            {!selected && <div className="muted trace-hint">Select a span to see its attributes, events and links.</div>}
          </div>
          {selected && <SpanDetail row={selected} color={colors.get(selected.span.service) ?? '#4c9aff'} onClose={() => setSelectedKey(null)} />}
        </div>
      )}

      <TraceLogs
        logs={trace.logs}
        searchHref={searchHref}
        spanKeys={spanKeys}
        onSelectSpan={(key) => {
          setCollapsed(new Set());
          setSelectedKey(key);
        }}
      />
    </>
  );
}

function Stat({ label, value, error }: { label: string; value: string; error?: boolean }) {
  return (
    <div className={`trace-stat${error ? ' error' : ''}`}>
      <div className="trace-stat-label">{label}</div>
      <div className="trace-stat-value">{value}</div>
    </div>
  );
}
