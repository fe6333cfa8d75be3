// The selected span: its fields, attribute maps, events (offset from the
// span start and wall time) and links (to the linked trace).
import { Link } from 'react-router-dom';
import { formatTime, useTimeZone } from '../../lib/timezone';
import { formatDurationNs } from '../../components/charts/format';
import AttributeTable, { mapEntries, renderValue } from './AttributeTable';
import { idToHex, nsToMs, parseTimestampNs, type WaterfallRow } from './waterfall';

const MAP_FIELDS = new Set(['SpanAttributes', 'ResourceAttributes', 'ScopeAttributes', 'Events', 'Links']);

interface Props {
  row: WaterfallRow;
  color: string;
  onClose: () => void;
}

export default function SpanDetail({ row, color, onClose }: Props) {
  const tz = useTimeZone();
  const { span } = row;
  const fields = Object.entries(span.row).filter(([k]) => !MAP_FIELDS.has(k));
  const events = Array.isArray(span.row.Events) ? (span.row.Events as Record<string, unknown>[]) : [];
  const links = Array.isArray(span.row.Links) ? (span.row.Links as Record<string, unknown>[]) : [];
  const scopeAttributes = mapEntries(span.row.ScopeAttributes);

  return (
    <aside className="span-detail card" aria-label="Span details">
      <header className="span-detail-head">
        <div>
          <div className="span-detail-title">
            <span className="swatch" style={{ background: color }} />
            {span.name || '(no name)'}
          </div>
          <div className="muted">
            {span.service} · {formatDurationNs(span.durationNs)} · starts at +{formatDurationNs(row.offsetNs)}
          </div>
          {span.isError && (
            <div className="span-status-error">
              Error{span.row.StatusMessage ? `: ${renderValue(span.row.StatusMessage)}` : ''}
            </div>
          )}
        </div>
        <button type="button" className="secondary" onClick={onClose} aria-label="Close span details">
          ✕
        </button>
      </header>

      <AttributeTable
        title="Fields"
        entries={fields.map(([k, v]) =>
          k === 'Timestamp'
            ? [k, `${formatTime(nsToMs(span.startNs), tz)} (${renderValue(v)})`]
            : k === 'Duration'
              ? [k, `${formatDurationNs(span.durationNs)} (${renderValue(v)} ns)`]
              : [k, v],
        )}
      />
      <AttributeTable title="Span attributes" entries={mapEntries(span.row.SpanAttributes)} />
      <AttributeTable title="Resource attributes" entries={mapEntries(span.row.ResourceAttributes)} />
      {scopeAttributes.length > 0 && <AttributeTable title="Scope attributes" entries={scopeAttributes} />}

      <section className="attr-section">
        <h4>
          Events <span className="muted">({events.length})</span>
        </h4>
        {events.length === 0 && <div className="muted attr-empty">None</div>}
        {events.map((event, i) => {
          const ts = parseTimestampNs(event.Timestamp);
          return (
            <div key={i} className="span-event">
              <div className="span-event-head">
                <span className="mono">{renderValue(event.Name) || '(unnamed event)'}</span>
                {ts !== null && (
                  <span className="muted">
                    +{formatDurationNs(Number(ts - span.startNs))} · {formatTime(nsToMs(ts), tz)}
                  </span>
                )}
              </div>
              <AttributeTable title="Attributes" entries={mapEntries(event.Attributes)} />
            </div>
          );
        })}
      </section>

      <section className="attr-section">
        <h4>
          Links <span className="muted">({links.length})</span>
        </h4>
        {links.length === 0 && <div className="muted attr-empty">None</div>}
        {links.map((link, i) => {
          const traceId = idToHex(link.TraceId, 32);
          const spanId = idToHex(link.SpanId, 16);
          return (
            <div key={i} className="span-event">
              <div className="span-event-head">
                {/^[0-9a-f]{32}$/.test(traceId) ? (
                  <Link className="mono" to={`/trace/${traceId}`}>
                    trace {traceId}
                  </Link>
                ) : (
                  <span className="mono">trace {traceId}</span>
                )}
                <span className="mono muted">span {spanId}</span>
              </div>
              <AttributeTable title="Attributes" entries={mapEntries(link.Attributes)} />
            </div>
          );
        })}
      </section>
    </aside>
  );
}
