// Which of a source's expression fields (source_model.h
// kSourceExpressionFields, HyperDX's names) map which otelstack column, per
// kind, and the column mapping a source on a ClickHouse connection reads its
// table with (clickhouse/table_layout.h ColumnMapping).
//
// Column fields, as HyperDX's source form has them per kind:
//   log:    timestampValueExpression -> Timestamp, bodyExpression -> Body,
//           serviceNameExpression -> ServiceName, severityTextExpression ->
//           SeverityText, traceIdExpression -> TraceId, spanIdExpression ->
//           SpanId, eventAttributesExpression -> LogAttributes,
//           resourceAttributesExpression -> ResourceAttributes;
//   trace:  timestamp, traceId, spanId, parentSpanId -> ParentSpanId,
//           spanName -> SpanName, spanKind -> SpanKind, duration -> Duration
//           (in units of durationPrecision), statusCode -> StatusCode,
//           statusMessage -> StatusMessage, serviceName, eventAttributes ->
//           SpanAttributes, resourceAttributes;
//   metric: timestamp -> TimeUnix, serviceName, eventAttributes ->
//           Attributes, resourceAttributes (applied to the five metric tables);
//   session: timestampValueExpression (session sources are not queried).
// Presentation fields, for the UI, never run by the server and accepted on
// every kind: displayedTimestampValueExpression,
// defaultTableSelectExpression, implicitColumnExpression,
// uniqueRowIdExpression.
#pragma once

#include "api/source_model.h"
#include "clickhouse/table_layout.h"
#include "common/status.h"

namespace otelstack::api {

// Every expression field `source` sets is one its kind has (InvalidArgument
// "<field>: a <kind> source has no such column mapping") and every column
// field is a single SQL expression (clickhouse/column_expression.h;
// InvalidArgument "<field>: not a single SQL expression: ..."). Run when a
// source is saved, and again before querying.
Status CheckSourceExpressions(const Source& source);

// The signal a source of `kind` reads; InvalidArgument for session sources.
StatusOr<Signal> SignalOfKind(SourceKind kind);

// CheckSourceExpressions, then the source's column fields as otelstack
// columns of SignalOfKind(source.kind), with its durationPrecision.
StatusOr<clickhouse::ColumnMapping> SourceColumnMapping(const Source& source);

}  // namespace otelstack::api
