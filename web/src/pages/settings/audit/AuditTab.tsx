// Settings → Audit log (admins): the last 24 hours of the session log
// (logins, key changes, denied access) or the query log (who ran which
// query), newest first, read through the team's "Audit" source.

import { useCallback, useEffect, useState } from 'react';
import { post } from '../../../api/client';
import type { SearchMeta, Source } from '../../../api/types';
import { formatTime, useTimeZone } from '../../../lib/timezone';
import ErrorBox from '../common/ErrorBox';
import { errorText, isAbort } from '../common/errors';
import { useApiData } from '../common/useApiData';
import { AUDIT_LIMIT, auditLine, auditRequest, type AuditLine, type AuditLog } from './auditQuery';

export default function AuditTab({ isAdmin }: { isAdmin: boolean }) {
  const sources = useApiData<{ data: Source[] }>(isAdmin ? '/api/v2/sources' : null);
  const [log, setLog] = useState<AuditLog>('session_log');
  const [lines, setLines] = useState<AuditLine[] | null>(null);
  const [linesLog, setLinesLog] = useState<AuditLog>('session_log');
  const [meta, setMeta] = useState<SearchMeta | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const tz = useTimeZone();
  const audit = sources.data?.data.find((s) => s.name === 'Audit') ?? sources.data?.data.find((s) => s.from.tableName === 'otelstack_audit');

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (!audit) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    post<{ data: Record<string, unknown>[]; meta: SearchMeta }>('/api/v2/search', auditRequest(audit.id, log, Date.now()), {
      signal: controller.signal,
    })
      .then((r) => {
        setLines(r.data.map(auditLine));
        setLinesLog(log);
        setMeta(r.meta);
      })
      .catch((e) => {
        if (!isAbort(e)) setError(errorText(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [audit?.id, log, generation]);

  if (!isAdmin) {
    return (
      <section className="settings-section">
        <h2>Audit log</h2>
        <p className="notice">Only admins can read the audit log.</p>
      </section>
    );
  }

  return (
    <section className="settings-section">
      <h2>Audit log</h2>
      <div className="audit-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Audit log">
          <button type="button" role="radio" aria-checked={log === 'session_log'} className={log === 'session_log' ? 'on' : ''} onClick={() => setLog('session_log')}>
            Sessions &amp; keys
          </button>
          <button type="button" role="radio" aria-checked={log === 'query_log'} className={log === 'query_log' ? 'on' : ''} onClick={() => setLog('query_log')}>
            Queries
          </button>
        </div>
        <span className="muted">Last 24 hours, newest first, at most {AUDIT_LIMIT} events.</span>
        <button type="button" className="secondary" onClick={refresh} disabled={loading || !audit}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      {sources.loading && !sources.data && <div className="loading">Loading sources…</div>}
      <ErrorBox message={sources.error} />
      {sources.data && !audit && (
        <p className="notice">This team has no Audit source. The server creates it at start; restart it to get it back.</p>
      )}
      <ErrorBox message={error} />
      {meta?.partial && <p className="notice">Partial result: {meta.partialReason ?? 'a query limit was reached'}.</p>}
      {lines && lines.length === 0 && !loading && <p className="muted">No events in the last 24 hours.</p>}
      {lines && lines.length > 0 && (
        <table className={`simple settings-table audit-table${loading ? ' stale' : ''}`}>
          <thead>
            <tr>
              <th>Time</th>
              <th>Event</th>
              <th>User</th>
              <th>Client address</th>
              <th>{linesLog === 'query_log' ? 'Query' : 'Detail'}</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={i}>
                <td className="mono nowrap">{Number.isNaN(l.time) ? '—' : formatTime(l.time, tz)}</td>
                <td className="mono">{l.event}</td>
                <td>{l.user || <span className="muted">—</span>}</td>
                <td className="mono">{l.address}</td>
                <td className={linesLog === 'query_log' ? 'mono detail' : 'detail'}>{l.detail}</td>
                <td>
                  <span className={`badge ${l.failed ? 'badge-error' : 'badge-ok'}`}>{l.status}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
