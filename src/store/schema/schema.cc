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

// clang-format off
std::string_view SignalName(Signal s) {
  switch (s) {
    case Signal::kLogs: return "logs";
    case Signal::kTraces: return "traces";
    case Signal::kMetrics: return "metrics";
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
    case Signal::kLogs: return kLogsSchema;
    case Signal::kTraces: return kTracesSchema;
    case Signal::kMetrics: return kMetricsSchema;
  }
  return {};
}
// clang-format on

int RowReferenceColumn(Signal s, size_t col) {
  if (s == Signal::kTraces && col == traces_col::kParentSpanId) return traces_col::kSpanId;
  return -1;
}

int RecentValueClassColumn(Signal s, size_t col) {
  // Not a span's TraceId: a trace's spans come from several services, and
  // measured on the synthetic spans the service's list made them larger.
  if (s == Signal::kLogs && col == logs_col::kTraceId) return logs_col::kServiceName;
  if (s == Signal::kLogs && col == logs_col::kSpanId) return logs_col::kTraceId;
  return -1;
}

namespace {

// Resource and scope columns, named alike in every schema.
bool IsResourceOrScopeColumn(std::string_view name) {
  return name == "ResourceAttributes" || name == "ResourceSchemaUrl" || name == "ScopeSchemaUrl" ||
         name == "ScopeName" || name == "ScopeVersion" || name == "ScopeAttributes";
}

}  // namespace

std::span<const size_t> DeterminingColumns(Signal s, size_t col) {
  // Resource and scope columns follow from the service (the resource
  // attributes take a few values, its pods, with each).
  static constexpr size_t kLogsService[] = {logs_col::kServiceName};
  static constexpr size_t kTracesService[] = {traces_col::kServiceName};
  static constexpr size_t kMetricsService[] = {metrics_col::kServiceName};
  // A severity number follows from its text, an operation's kind from its
  // name, a metric's description, unit and type from its name.
  static constexpr size_t kLogsSeverityText[] = {logs_col::kSeverityText};
  // A trace's flags are the same on each of its lines.
  static constexpr size_t kLogsTraceId[] = {logs_col::kTraceId};
  static constexpr size_t kTracesSpanName[] = {traces_col::kSpanName};
  static constexpr size_t kMetricsName[] = {metrics_col::kMetricName};
  const bool resource_or_scope = col < SchemaOf(s).size() && IsResourceOrScopeColumn(SchemaOf(s)[col].name);
  switch (s) {
    case Signal::kLogs:
      if (resource_or_scope) return kLogsService;
      if (col == logs_col::kSeverityNumber) return kLogsSeverityText;
      if (col == logs_col::kTraceFlags) return kLogsTraceId;
      return {};
    case Signal::kTraces:
      if (resource_or_scope) return kTracesService;
      if (col == traces_col::kSpanKind) return kTracesSpanName;
      return {};
    case Signal::kMetrics:
      if (resource_or_scope) return kMetricsService;
      if (col == metrics_col::kMetricDescription || col == metrics_col::kMetricUnit ||
          col == metrics_col::kMetricType) {
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
