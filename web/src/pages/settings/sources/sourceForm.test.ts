import { describe, expect, it } from 'vitest';
import type { Source } from '../../../api/types';
import { draftFromSource, embeddedTables, sourceBody } from './sourceForm';

// The Logs source a fresh server creates (GET /api/v2/sources).
const logs: Source = {
  id: '2',
  name: 'Logs',
  kind: 'log',
  connection: '1',
  from: { databaseName: 'default', tableName: 'otel_logs' },
  timestampValueExpression: 'Timestamp',
  bodyExpression: 'Body',
  serviceNameExpression: 'ServiceName',
  durationPrecision: 9,
  traceSourceId: '3',
};

describe('source form round trip', () => {
  it('gives back what it read', () => {
    expect(sourceBody(draftFromSource(logs))).toEqual({
      name: 'Logs',
      kind: 'log',
      connection: '1',
      from: { databaseName: 'default', tableName: 'otel_logs' },
      timestampValueExpression: 'Timestamp',
      bodyExpression: 'Body',
      serviceNameExpression: 'ServiceName',
      durationPrecision: 9,
      traceSourceId: '3',
    });
  });

  it('leaves out cleared expressions and links', () => {
    const d = draftFromSource(logs);
    d.expressions.bodyExpression = '  ';
    d.traceSourceId = '';
    const body = sourceBody(d);
    expect('bodyExpression' in body).toBe(false);
    expect('traceSourceId' in body).toBe(false);
  });

  it('sends only the link that belongs to the kind', () => {
    const d = draftFromSource(logs);
    d.kind = 'trace';
    d.logSourceId = '2';
    const body = sourceBody(d);
    expect(body.logSourceId).toBe('2');
    expect('traceSourceId' in body).toBe(false);
  });
});

describe('embeddedTables', () => {
  it('offers the audit table to admins only', () => {
    expect(embeddedTables('log', true)).toContain('otelstack_audit');
    expect(embeddedTables('log', false)).toEqual(['otel_logs']);
    expect(embeddedTables('session', true)).toEqual([]);
  });
});
