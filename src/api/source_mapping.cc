#include "api/source_mapping.h"

#include <string>
#include <string_view>

#include "clickhouse/column_expression.h"

namespace otelstack::api {

namespace {

struct FieldColumn {
  std::string_view field;
  size_t column;
};

constexpr FieldColumn kLogFields[] = {
    {"timestampValueExpression", logs_col::kTimestamp},
    {"bodyExpression", logs_col::kBody},
    {"serviceNameExpression", logs_col::kServiceName},
    {"severityTextExpression", logs_col::kSeverityText},
    {"traceIdExpression", logs_col::kTraceId},
    {"spanIdExpression", logs_col::kSpanId},
    {"eventAttributesExpression", logs_col::kLogAttributes},
    {"resourceAttributesExpression", logs_col::kResourceAttributes},
};

constexpr FieldColumn kTraceFields[] = {
    {"timestampValueExpression", traces_col::kTimestamp},
    {"traceIdExpression", traces_col::kTraceId},
    {"spanIdExpression", traces_col::kSpanId},
    {"parentSpanIdExpression", traces_col::kParentSpanId},
    {"spanNameExpression", traces_col::kSpanName},
    {"spanKindExpression", traces_col::kSpanKind},
    {"durationExpression", traces_col::kDuration},
    {"statusCodeExpression", traces_col::kStatusCode},
    {"statusMessageExpression", traces_col::kStatusMessage},
    {"serviceNameExpression", traces_col::kServiceName},
    {"eventAttributesExpression", traces_col::kSpanAttributes},
    {"resourceAttributesExpression", traces_col::kResourceAttributes},
};

constexpr FieldColumn kMetricFields[] = {
    {"timestampValueExpression", metrics_col::kTimeUnix},
    {"serviceNameExpression", metrics_col::kServiceName},
    {"eventAttributesExpression", metrics_col::kAttributes},
    {"resourceAttributesExpression", metrics_col::kResourceAttributes},
};

// Session sources are never queried; the column is not used.
constexpr FieldColumn kSessionFields[] = {
    {"timestampValueExpression", 0},
};

constexpr std::string_view kPresentationFields[] = {
    "displayedTimestampValueExpression",
    "defaultTableSelectExpression",
    "implicitColumnExpression",
    "uniqueRowIdExpression",
};

std::span<const FieldColumn> FieldsOfKind(SourceKind kind) {
  switch (kind) {
    case SourceKind::kLog:
      return kLogFields;
    case SourceKind::kTrace:
      return kTraceFields;
    case SourceKind::kMetric:
      return kMetricFields;
    case SourceKind::kSession:
      return kSessionFields;
  }
  return {};
}

bool IsPresentationField(std::string_view field) {
  for (std::string_view f : kPresentationFields) {
    if (f == field) return true;
  }
  return false;
}

const FieldColumn* ColumnField(SourceKind kind, std::string_view field) {
  for (const FieldColumn& f : FieldsOfKind(kind)) {
    if (f.field == field) return &f;
  }
  return nullptr;
}

}  // namespace

Status CheckSourceExpressions(const Source& source) {
  for (const auto& [field, expression] : source.expressions) {
    if (IsPresentationField(field)) continue;
    if (ColumnField(source.kind, field) == nullptr) {
      return Status::InvalidArgument(field + ": a " + std::string(SourceKindName(source.kind)) +
                                     " source has no such column mapping");
    }
    OTELSTACK_RETURN_IF_ERROR(clickhouse::CheckColumnExpression(expression).WithContext(field));
  }
  return Status::OK();
}

StatusOr<Signal> SignalOfKind(SourceKind kind) {
  switch (kind) {
    case SourceKind::kLog:
      return Signal::kLogs;
    case SourceKind::kTrace:
      return Signal::kTraces;
    case SourceKind::kMetric:
      return Signal::kMetrics;
    case SourceKind::kSession:
      break;
  }
  return Status::InvalidArgument("session sources cannot be queried");
}

StatusOr<clickhouse::ColumnMapping> SourceColumnMapping(const Source& source) {
  OTELSTACK_RETURN_IF_ERROR(CheckSourceExpressions(source));
  StatusOr<Signal> signal = SignalOfKind(source.kind);
  if (!signal.ok()) return signal.status();
  clickhouse::ColumnMapping mapping;
  mapping.duration_precision = static_cast<int>(source.duration_precision);
  for (const auto& [field, expression] : source.expressions) {
    const FieldColumn* f = ColumnField(source.kind, field);
    if (f != nullptr) mapping.expressions[f->column] = expression;
  }
  return mapping;
}

}  // namespace otelstack::api
