// The trace's logs (oldest first): time, severity, service, body; each links
// to the search page for the trace's logs around the trace, and to its span.
import { Link } from 'react-router-dom';
import type { Row } from '../../api/types';
import { formatTime, parseRowTime, useTimeZone } from '../../lib/timezone';
import { renderValue } from './AttributeTable';

interface Props {
  logs: Row[];
  searchHref: string;
  spanKeys: ReadonlySet<string>;
  onSelectSpan: (spanId: string) => void;
}

function severityClass(severity: string): string {
  const s = severity.toLowerCase();
  if (s.startsWith('err') || s.startsWith('fatal') || s.startsWith('crit')) return 'sev-error';
  if (s.startsWith('warn')) return 'sev-warn';
  if (s.startsWith('debug') || s.startsWith('trace')) return 'sev-debug';
  return 'sev-info';
}

export default function TraceLogs({ logs, searchHref, spanKeys, onSelectSpan }: Props) {
  const tz = useTimeZone();
  return (
    <section className="trace-logs card" aria-label="Logs of this trace">
      <header className="trace-section-head">
        <h3>
          Logs <span className="muted">({logs.length})</span>
        </h3>
        <Link to={searchHref}>Open in search</Link>
      </header>
      {logs.length === 0 ? (
        <div className="muted">
          No logs carry this trace id. Logs appear here when the trace source links a log source and the logs were
          sent with the trace context (TraceId).
        </div>
      ) : (
        <table className="simple trace-logs-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Severity</th>
              <th>Service</th>
              <th>Body</th>
              <th>Span</th>
              <th>
                <span className="trace-sr-only">Search</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {logs.map((log, i) => {
              const ms = parseRowTime(log.Timestamp);
              const severity = renderValue(log.SeverityText);
              const spanId = renderValue(log.SpanId);
              return (
                <tr key={i}>
                  <td className="mono nowrap">{Number.isNaN(ms) ? renderValue(log.Timestamp) : formatTime(ms, tz)}</td>
                  <td>
                    <span className={`sev ${severityClass(severity)}`}>{severity || '—'}</span>
                  </td>
                  <td className="nowrap">{renderValue(log.ServiceName)}</td>
                  <td className="mono log-body">{renderValue(log.Body)}</td>
                  <td className="mono nowrap">
                    {spanId && spanKeys.has(spanId) ? (
                      <button type="button" className="link mono" onClick={() => onSelectSpan(spanId)}>
                        {spanId}
                      </button>
                    ) : (
                      <span className="muted">{spanId || '—'}</span>
                    )}
                  </td>
                  <td className="nowrap">
                    <Link to={searchHref} aria-label="Search this trace's logs">
                      Search ↗
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
