// The audit tab's search: the last 24 hours of one audit log (session_log:
// logins, keys, denied access; query_log: who ran which query) through
// POST /api/v2/search on the team's "Audit" source, and its rows as table
// lines. Attribute names are the audit records' (src/audit/audit_record.h).

import { parseRowTime } from '../../../lib/timezone';

export type AuditLog = 'session_log' | 'query_log';

export const AUDIT_SELECT = [
  'Timestamp',
  'SeverityText',
  'event.name',
  'user.email',
  'client.address',
  'audit.detail',
  'query.text',
  'query.language',
  'source.name',
  'query.status',
  'query.error',
  'query.rows_read',
  'query.duration_ms',
].join(', ');

export const AUDIT_WINDOW_MS = 24 * 3600 * 1000;
export const AUDIT_LIMIT = 200;

export function auditRequest(sourceId: string, log: AuditLog, now: number) {
  return {
    sourceId,
    query: `audit.log:${log}`,
    whereLanguage: 'lucene',
    startTime: now - AUDIT_WINDOW_MS,
    endTime: now,
    limit: AUDIT_LIMIT,
    select: AUDIT_SELECT,
  };
}

export interface AuditLine {
  time: number;
  event: string;
  user: string;
  address: string;
  detail: string;
  status: string;
  failed: boolean;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function auditLine(row: Record<string, unknown>): AuditLine {
  const queryStatus = str(row['query.status']);
  const severity = str(row.SeverityText);
  let detail = str(row['audit.detail']);
  if (queryStatus) {
    const text = str(row['query.text']);
    const parts = [
      text ? `${text}` : '(every row)',
      row['source.name'] ? `on ${str(row['source.name'])}` : '',
      typeof row['query.rows_read'] === 'number' ? `· ${row['query.rows_read'].toLocaleString('en-US')} rows read` : '',
      typeof row['query.duration_ms'] === 'number' ? `· ${row['query.duration_ms'].toFixed(1)} ms` : '',
      row['query.error'] ? `· ${str(row['query.error'])}` : '',
    ];
    detail = parts.filter(Boolean).join(' ');
  }
  const status = queryStatus || (severity === 'WARN' ? 'warning' : severity === 'INFO' ? 'ok' : severity.toLowerCase());
  return {
    time: parseRowTime(row.Timestamp),
    event: str(row['event.name']),
    user: str(row['user.email']),
    address: str(row['client.address']),
    detail,
    status,
    failed: status === 'error' || status === 'warning' || status === 'cancelled',
  };
}
