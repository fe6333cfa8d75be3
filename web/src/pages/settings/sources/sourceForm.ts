// The source form's model: a source (HyperDX's shape, src/api/source_model.h)
// as editable strings, and back to the body POST/PUT /api/v2/sources takes.
// PUT replaces the whole source, so every field left blank is left out
// (removed); links only apply to the kind that has them.

import type { Source } from '../../../api/types';

export type SourceKind = Source['kind'];
export const SOURCE_KINDS: SourceKind[] = ['log', 'trace', 'metric', 'session'];

// kSourceExpressionFields, in the order HyperDX's source form shows them.
export const EXPRESSION_FIELDS: { key: string; label: string }[] = [
  { key: 'timestampValueExpression', label: 'Timestamp' },
  { key: 'displayedTimestampValueExpression', label: 'Displayed timestamp' },
  { key: 'defaultTableSelectExpression', label: 'Default select (columns shown in search)' },
  { key: 'implicitColumnExpression', label: 'Implicit column (free-text search)' },
  { key: 'bodyExpression', label: 'Body' },
  { key: 'serviceNameExpression', label: 'Service name' },
  { key: 'severityTextExpression', label: 'Severity text' },
  { key: 'traceIdExpression', label: 'Trace id' },
  { key: 'spanIdExpression', label: 'Span id' },
  { key: 'parentSpanIdExpression', label: 'Parent span id' },
  { key: 'spanNameExpression', label: 'Span name' },
  { key: 'spanKindExpression', label: 'Span kind' },
  { key: 'durationExpression', label: 'Duration' },
  { key: 'statusCodeExpression', label: 'Status code' },
  { key: 'statusMessageExpression', label: 'Status message' },
  { key: 'eventAttributesExpression', label: 'Event attributes' },
  { key: 'resourceAttributesExpression', label: 'Resource attributes' },
  { key: 'uniqueRowIdExpression', label: 'Unique row id' },
];

// The Embedded connection's tables by the kind they serve (embedded_tables.h);
// session sources have none there, the audit table is for admins.
export function embeddedTables(kind: SourceKind, isAdmin: boolean): string[] {
  switch (kind) {
    case 'log':
      return isAdmin ? ['otel_logs', 'otelstack_audit'] : ['otel_logs'];
    case 'trace':
      return ['otel_traces'];
    case 'metric':
      return ['otel_metrics'];
    case 'session':
      return [];
  }
}

export interface SourceDraft {
  name: string;
  kind: SourceKind;
  connection: string;
  databaseName: string;
  tableName: string;
  expressions: Record<string, string>;
  durationPrecision: string;
  traceSourceId: string;
  logSourceId: string;
}

export function emptyDraft(connection: string): SourceDraft {
  return {
    name: '',
    kind: 'log',
    connection,
    databaseName: 'default',
    tableName: 'otel_logs',
    expressions: {},
    durationPrecision: '9',
    traceSourceId: '',
    logSourceId: '',
  };
}

export function draftFromSource(s: Source): SourceDraft {
  const expressions: Record<string, string> = {};
  for (const { key } of EXPRESSION_FIELDS) {
    const v = s[key];
    if (typeof v === 'string') expressions[key] = v;
  }
  return {
    name: s.name,
    kind: s.kind,
    connection: s.connection,
    databaseName: s.from?.databaseName ?? 'default',
    tableName: s.from?.tableName ?? '',
    expressions,
    durationPrecision: typeof s.durationPrecision === 'number' ? String(s.durationPrecision) : '9',
    traceSourceId: s.traceSourceId ?? '',
    logSourceId: s.logSourceId ?? '',
  };
}

export function sourceBody(d: SourceDraft): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: d.name.trim(),
    kind: d.kind,
    connection: d.connection,
    from: { databaseName: d.databaseName.trim() || 'default', tableName: d.tableName.trim() },
  };
  for (const { key } of EXPRESSION_FIELDS) {
    const v = (d.expressions[key] ?? '').trim();
    if (v) body[key] = v;
  }
  const precision = d.durationPrecision.trim();
  if (precision !== '') body.durationPrecision = Number(precision);
  if (d.kind === 'log' && d.traceSourceId) body.traceSourceId = d.traceSourceId;
  if (d.kind === 'trace' && d.logSourceId) body.logSourceId = d.logSourceId;
  return body;
}
