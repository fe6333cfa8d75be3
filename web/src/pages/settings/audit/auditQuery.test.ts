import { describe, expect, it } from 'vitest';
import { auditLine, auditRequest } from './auditQuery';

describe('auditRequest', () => {
  it('asks for the last 24 hours of one log', () => {
    const r = auditRequest('5', 'query_log', 100_000_000);
    expect(r).toMatchObject({ sourceId: '5', query: 'audit.log:query_log', startTime: 100_000_000 - 86_400_000, endTime: 100_000_000, limit: 200 });
  });
});

describe('auditLine', () => {
  it('reads a session_log row (as the server returns it with select)', () => {
    const line = auditLine({
      Timestamp: '2026-11-22T04:54:13.053948042Z',
      SeverityText: 'INFO',
      'event.name': 'ingestion_key.revealed',
      'user.email': 'a@x.io',
      'client.address': '127.0.0.1',
      'audit.detail': 'ingestion key 3',
      'query.text': null,
      'query.status': null,
    });
    expect(line).toEqual({
      time: Date.parse('2026-11-22T04:54:13.053Z'),
      event: 'ingestion_key.revealed',
      user: 'a@x.io',
      address: '127.0.0.1',
      detail: 'ingestion key 3',
      status: 'ok',
      failed: false,
    });
  });

  it('marks a failed login (WARN) as a warning', () => {
    expect(auditLine({ SeverityText: 'WARN', 'event.name': 'login.failed' })).toMatchObject({ status: 'warning', failed: true });
  });

  it('summarises a query_log row', () => {
    const line = auditLine({
      Timestamp: '2026-11-22T04:54:17.164876257Z',
      SeverityText: 'INFO',
      'event.name': 'query.search',
      'query.text': 'audit.log:query_log',
      'source.name': 'Audit',
      'query.status': 'ok',
      'query.rows_read': 1700,
      'query.duration_ms': 2.487093,
    });
    expect(line.detail).toBe('audit.log:query_log on Audit · 1,700 rows read · 2.5 ms');
    expect(line.status).toBe('ok');
  });

  it('shows an empty query as every row, and errors', () => {
    const line = auditLine({ 'query.status': 'error', 'query.error': 'cancelled: client went away', 'source.name': 'Logs' });
    expect(line.detail).toBe('(every row) on Logs · cancelled: client went away');
    expect(line.failed).toBe(true);
  });
});
