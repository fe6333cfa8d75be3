#include "store/schema/schema.h"

namespace otelstack {

namespace {
using T = ColumnType;

constexpr ColumnDef kLogsSchema[] = {
    {"Timestamp", T::kTimestamp},
    {"ObservedTimestamp", T::kTimestamp},
    {"TraceId", T::kId},
    {"SpanId", T::kId},
    {"TraceFlags", T::kUInt64},
    {"SeverityText", T::kString},
    {"SeverityNumber", T::kInt64},
    {"ServiceName", T::kString},
    {"Body", T::kAny},
    {"ResourceSchemaUrl", T::kString},
    {"ResourceAttributes", T::kAny},
    {"ResourceDroppedAttributesCount", T::kUInt64},
    {"ScopeSchemaUrl", T::kString},
    {"ScopeName", T::kString},
    {"ScopeVersion", T::kString},
    {"ScopeAttributes", T::kAny},
    {"ScopeDroppedAttributesCount", T::kUInt64},
    {"LogAttributes", T::kAny},
    {"DroppedAttributesCount", T::kUInt64},
    {"EventName", T::kString},
};
static_assert(std::size(kLogsSchema) == logs_col::kCount);

constexpr ColumnDef kTracesSchema[] = {
    {"Timestamp", T::kTimestamp},
    {"TraceId", T::kId},
    {"SpanId", T::kId},
    {"ParentSpanId", T::kId},
    {"TraceState", T::kString},
    {"SpanName", T::kString},
    {"SpanKind", T::kString},
    {"ServiceName", T::kString},
    {"ResourceSchemaUrl", T::kString},
    {"ResourceAttributes", T::kAny},
    {"ResourceDroppedAttributesCount", T::kUInt64},
    {"ScopeSchemaUrl", T::kString},
    {"ScopeName", T::kString},
    {"ScopeVersion", T::kString},
    {"ScopeAttributes", T::kAny},
    {"ScopeDroppedAttributesCount", T::kUInt64},
    {"SpanAttributes", T::kAny},
    {"DroppedAttributesCount", T::kUInt64},
    {"Duration", T::kUInt64},
    {"StatusCode", T::kString},
    {"StatusMessage", T::kString},
    {"Flags", T::kUInt64},
    {"Events", T::kAny},
    {"DroppedEventsCount", T::kUInt64},
    {"Links", T::kAny},
    {"DroppedLinksCount", T::kUInt64},
};
static_assert(std::size(kTracesSchema) == traces_col::kCount);

constexpr ColumnDef kMetricsSchema[] = {
    {"TimeUnix", T::kTimestamp},
    {"StartTimeUnix", T::kTimestamp},
    {"ServiceName", T::kString},
    {"MetricName", T::kString},
    {"MetricDescription", T::kString},
    {"MetricUnit", T::kString},
    {"MetricType", T::kString},
    {"MetricMetadata", T::kAny},
    {"ResourceSchemaUrl", T::kString},
    {"ResourceAttributes", T::kAny},
    {"ResourceDroppedAttributesCount", T::kUInt64},
    {"ScopeSchemaUrl", T::kString},
    {"ScopeName", T::kString},
    {"ScopeVersion", T::kString},
    {"ScopeAttributes", T::kAny},
    {"ScopeDroppedAttributesCount", T::kUInt64},
    {"Attributes", T::kAny},
    {"Flags", T::kUInt64},
    {"Value", T::kFloat64},
    {"IntValue", T::kInt64},
    {"IsIntValue", T::kUInt64},
    {"AggregationTemporality", T::kInt64},
    {"IsMonotonic", T::kUInt64},
    {"Count", T::kUInt64},
    {"Sum", T::kAny},
    {"Min", T::kAny},
    {"Max", T::kAny},
    {"BucketCounts", T::kAny},
    {"ExplicitBounds", T::kAny},
    {"Scale", T::kInt64},
    {"ZeroCount", T::kUInt64},
    {"ZeroThreshold", T::kFloat64},
    {"PositiveOffset", T::kInt64},
    {"PositiveBucketCounts", T::kAny},
    {"NegativeOffset", T::kInt64},
    {"NegativeBucketCounts", T::kAny},
    {"ValueAtQuantiles", T::kAny},
    {"Exemplars", T::kAny},
};
static_assert(std::size(kMetricsSchema) == metrics_col::kColumnCount);
}  // namespace

std::string_view SignalName(Signal s) {
  switch (s) {
    case Signal::kLogs:
      return "logs";
    case Signal::kTraces:
      return "traces";
    case Signal::kMetrics:
      return "metrics";
  }
  return "unknown";
}

std::optional<Signal> ParseSignal(std::string_view name) {
  for (Signal s : kAllSignals) {
    if (SignalName(s) == name) return s;
  }
  return std::nullopt;
}

std::span<const ColumnDef> SchemaOf(Signal s) {
  switch (s) {
    case Signal::kLogs:
      return kLogsSchema;
    case Signal::kTraces:
      return kTracesSchema;
    case Signal::kMetrics:
      return kMetricsSchema;
  }
  return {};
}

int RowReferenceColumn(Signal s, size_t col) {
  if (s == Signal::kTraces && col == traces_col::kParentSpanId) return traces_col::kSpanId;
  return -1;
}

std::span<const size_t> DeterminingColumns(Signal s, size_t col) {
  // Resource and scope columns follow from the service; the resource
  // attributes take a few values (its pods) with each.
  static constexpr size_t kLogsResource[] = {logs_col::kServiceName};
  static constexpr size_t kLogsSeverity[] = {logs_col::kSeverityText};
  static constexpr size_t kTracesResource[] = {traces_col::kServiceName};
  // An operation's kind follows from its name.
  static constexpr size_t kTracesOperation[] = {traces_col::kSpanName};
  static constexpr size_t kMetricsResource[] = {metrics_col::kServiceName};
  static constexpr size_t kMetricsName[] = {metrics_col::kMetricName};
  switch (s) {
    case Signal::kLogs:
      switch (col) {
        case logs_col::kResourceAttributes:
        case logs_col::kResourceSchemaUrl:
        case logs_col::kScopeSchemaUrl:
        case logs_col::kScopeName:
        case logs_col::kScopeVersion:
        case logs_col::kScopeAttributes:
          return kLogsResource;
        case logs_col::kSeverityNumber:
          return kLogsSeverity;
      }
      return {};
    case Signal::kTraces:
      switch (col) {
        case traces_col::kResourceAttributes:
        case traces_col::kResourceSchemaUrl:
        case traces_col::kScopeSchemaUrl:
        case traces_col::kScopeName:
        case traces_col::kScopeVersion:
        case traces_col::kScopeAttributes:
          return kTracesResource;
        case traces_col::kSpanKind:
          return kTracesOperation;
      }
      return {};
    case Signal::kMetrics:
      switch (col) {
        case metrics_col::kResourceAttributes:
        case metrics_col::kResourceSchemaUrl:
        case metrics_col::kScopeSchemaUrl:
        case metrics_col::kScopeName:
        case metrics_col::kScopeVersion:
        case metrics_col::kScopeAttributes:
          return kMetricsResource;
        case metrics_col::kMetricDescription:
        case metrics_col::kMetricUnit:
        case metrics_col::kMetricType:
          return kMetricsName;
      }
      return {};
  }
  return {};
}

int ColumnIndex(Signal s, std::string_view name) {
  auto schema = SchemaOf(s);
  for (size_t i = 0; i < schema.size(); ++i) {
    if (schema[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace otelstack
