// The side panel for one result row: every field (top-level columns, then
// each attribute map as a key/value table), each value with "Filter on this
// value", "Exclude" and "Copy", and a link to the row's trace. It overlays
// the right part of the results (the table keeps its width) and is resized
// by its left edge (PanelResizer).
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Row } from '../../api/types';
import { formatTime, parseRowTime, type TimeZoneChoice } from '../../lib/timezone';
import { levelColor } from '../../components/severity';
import PanelResizer from './PanelResizer';
import { loadPanelWidth, savePanelWidth } from './panelWidth';
import { attributeFilterField, formatDurationNs, formatValue, LEVEL_COLUMN, splitRow, type SignalKind } from './rowFields';

export interface RowPanelProps {
  row: Row | null; // null: the selected row is not among the loaded rows
  loading: boolean;
  kind: SignalKind;
  tz: TimeZoneChoice;
  timeColumn: string;
  onFilter: (field: string, value: string | number | boolean, exclude: boolean) => void;
  onClose: () => void;
}

const TIME_FIELDS = new Set(['Timestamp', 'ObservedTimestamp']);

function isFilterable(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function CopyButton({ text }: { text: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className="secondary sr-action"
      onClick={() => navigator.clipboard.writeText(text).then(() => setState('copied'), () => setState('failed'))}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}

interface FieldRowProps {
  name: string;
  filterField: string | null; // null: no filter actions (times, maps)
  value: unknown;
  display: string;
  color?: string;
  onFilter: RowPanelProps['onFilter'];
}

function FieldRow({ name, filterField, value, display, color, onFilter }: FieldRowProps) {
  const canFilter = filterField !== null && isFilterable(value) && value !== '';
  return (
    <div className="sr-kv-row" role="row">
      <div className="sr-kv-key mono" role="rowheader" title={name}>
        {name}
      </div>
      <div className="sr-value mono" role="cell" style={color ? { color } : undefined}>
        {display}
      </div>
      <div className="sr-actions">
        {canFilter && (
          <>
            <button type="button" className="secondary sr-action" title={`Add ${filterField} = this value to the query`} onClick={() => onFilter(filterField!, value as string, false)}>
              Filter on this value
            </button>
            <button type="button" className="secondary sr-action" title={`Exclude rows where ${filterField} is this value`} onClick={() => onFilter(filterField!, value as string, true)}>
              Exclude
            </button>
          </>
        )}
        <CopyButton text={typeof value === 'string' ? value : formatValue(value)} />
      </div>
    </div>
  );
}

export default function RowPanel({ row, loading, kind, tz, timeColumn, onFilter, onClose }: RowPanelProps) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const asideRef = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(loadPanelWidth);
  useEffect(() => {
    closeRef.current?.focus();
  }, [row]);

  const traceId = row && typeof row.TraceId === 'string' && /^[0-9a-f]{32}$/i.test(row.TraceId) && !/^0+$/.test(row.TraceId) ? row.TraceId : null;
  const split = row ? splitRow(row, kind) : null;
  const ms = row ? parseRowTime(row[timeColumn]) : NaN;

  return (
    <aside ref={asideRef} className="sr-panel" style={{ width }} aria-label="Row details" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <PanelResizer
        width={width}
        containerWidth={() => asideRef.current?.parentElement?.clientWidth ?? 0}
        onResize={setWidth}
        onResizeEnd={savePanelWidth}
      />
      <header className="sr-panel-head">
        <div className="sr-panel-title">
          {kind === 'trace' ? 'Span' : 'Log'} {Number.isFinite(ms) ? <span className="mono muted">{formatTime(ms, tz)}</span> : null}
        </div>
        {traceId && (
          <Link to={`/trace/${traceId.toLowerCase()}`} className="sr-trace-link">
            View trace →
          </Link>
        )}
        <button ref={closeRef} type="button" className="secondary" aria-label="Close row details" onClick={onClose}>
          ✕
        </button>
      </header>
      {!row && loading ? (
        <div className="loading">Loading…</div>
      ) : !row || !split ? (
        <div className="notice sr-panel-body">The selected row is not among the loaded results. Widen the time range or load more rows.</div>
      ) : (
        <div className="sr-panel-body">
          {typeof row.Body === 'string' && row.Body && (
            <pre className="sr-body mono">{row.Body}</pre>
          )}
          <h3>Fields</h3>
          <div className="sr-kv" role="table" aria-label="Fields">
              {split.top.map(([k, v]) => (
                <FieldRow
                  key={k}
                  name={k}
                  value={v}
                  filterField={TIME_FIELDS.has(k) || k === timeColumn ? null : k}
                  display={
                    TIME_FIELDS.has(k) && typeof v === 'string' && Number.isFinite(parseRowTime(v))
                      ? `${formatTime(parseRowTime(v), tz)}  (${v})`
                      : k === 'Duration' && kind === 'trace'
                        ? `${formatDurationNs(v)}  (${formatValue(v)} ns)`
                        : typeof v === 'object' && v !== null
                          ? JSON.stringify(v, null, 2)
                          : formatValue(v) || '—'
                  }
                  color={k === LEVEL_COLUMN[kind] ? levelColor(formatValue(v), kind) : undefined}
                  onFilter={onFilter}
                />
              ))}
          </div>
          {split.maps.map(([mapName, map]) => (
            <section key={mapName}>
              <h3>
                {mapName} <span className="muted">({Object.keys(map).length})</span>
              </h3>
              {Object.keys(map).length === 0 ? (
                <div className="muted sr-empty-map">No attributes</div>
              ) : (
                <div className="sr-kv" role="table" aria-label={mapName}>
                    {Object.entries(map)
                      .sort(([a], [b]) => a.localeCompare(b))
                      .map(([k, v]) => (
                        <FieldRow
                          key={k}
                          name={k}
                          value={v}
                          filterField={attributeFilterField(mapName, k, kind)}
                          display={typeof v === 'object' && v !== null ? JSON.stringify(v, null, 2) : formatValue(v)}
                          onFilter={onFilter}
                        />
                      ))}
                </div>
              )}
            </section>
          ))}
        </div>
      )}
    </aside>
  );
}
