#include "clickhouse/table_spec.h"

#include <iterator>

namespace otelstack::clickhouse::internal {

namespace {

using C = Codec;
constexpr bool LC = true;
constexpr const char* kZstd = "ZSTD(1)";
constexpr const char* kTimeCodec = "Delta(8), ZSTD(1)";

constexpr uint8_t kGauge = 1u << static_cast<unsigned>(MetricTable::kGauge);
constexpr uint8_t kSum = 1u << static_cast<unsigned>(MetricTable::kSum);
constexpr uint8_t kHist = 1u << static_cast<unsigned>(MetricTable::kHistogram);
constexpr uint8_t kExpHist = 1u << static_cast<unsigned>(MetricTable::kExponentialHistogram);
constexpr uint8_t kSummary = 1u << static_cast<unsigned>(MetricTable::kSummary);
constexpr uint8_t kAll = 0x1f;

// The exporter's columns first, in its order, then the ones otelstack adds.
constexpr Field kLogFields[] = {
    {"Timestamp", logs_col::kTimestamp, C::kTime, false, kTimeCodec},
    {"TraceId", logs_col::kTraceId, C::kId},
    {"SpanId", logs_col::kSpanId, C::kId},
    {"TraceFlags", logs_col::kTraceFlags, C::kUInt8, false, ""},
    {"SeverityText", logs_col::kSeverityText, C::kString, LC},
    {"SeverityNumber", logs_col::kSeverityNumber, C::kUInt8, false, ""},
    {"ServiceName", logs_col::kServiceName, C::kString, LC},
    {"Body", logs_col::kBody, C::kAnyText},
    {"ResourceSchemaUrl", logs_col::kResourceSchemaUrl, C::kString, LC},
    {"ResourceAttributes", logs_col::kResourceAttributes, C::kMap},
    {"ScopeSchemaUrl", logs_col::kScopeSchemaUrl, C::kString, LC},
    {"ScopeName", logs_col::kScopeName, C::kString},
    {"ScopeVersion", logs_col::kScopeVersion, C::kString, LC},
    {"ScopeAttributes", logs_col::kScopeAttributes, C::kMap},
    {"LogAttributes", logs_col::kLogAttributes, C::kMap},
    {"EventName", logs_col::kEventName, C::kString},
    {"ObservedTimestamp", logs_col::kObservedTimestamp, C::kTime, false, kTimeCodec},
    {"ResourceDroppedAttributesCount", logs_col::kResourceDroppedAttributesCount, C::kUInt32},
    {"ScopeDroppedAttributesCount", logs_col::kScopeDroppedAttributesCount, C::kUInt32},
    {"DroppedAttributesCount", logs_col::kDroppedAttributesCount, C::kUInt32},
    {"InsertId", kNoColumn, C::kInsertId},
};

constexpr Field kTraceFields[] = {
    {"Timestamp", traces_col::kTimestamp, C::kTime, false, kTimeCodec},
    {"TraceId", traces_col::kTraceId, C::kId},
    {"SpanId", traces_col::kSpanId, C::kId},
    {"ParentSpanId", traces_col::kParentSpanId, C::kId},
    {"TraceState", traces_col::kTraceState, C::kString},
    {"SpanName", traces_col::kSpanName, C::kString, LC},
    {"SpanKind", traces_col::kSpanKind, C::kString, LC},
    {"ServiceName", traces_col::kServiceName, C::kString, LC},
    {"ResourceAttributes", traces_col::kResourceAttributes, C::kMap},
    {"ScopeName", traces_col::kScopeName, C::kString},
    {"ScopeVersion", traces_col::kScopeVersion, C::kString},
    {"SpanAttributes", traces_col::kSpanAttributes, C::kMap},
    {"Duration", traces_col::kDuration, C::kUInt64, false, "T64, ZSTD(1)"},
    {"StatusCode", traces_col::kStatusCode, C::kString, LC},
    {"StatusMessage", traces_col::kStatusMessage, C::kString},
    {"Events", traces_col::kEvents, C::kEvents},
    {"Links", traces_col::kLinks, C::kLinks},
    {"ResourceSchemaUrl", traces_col::kResourceSchemaUrl, C::kString, LC},
    {"ResourceDroppedAttributesCount", traces_col::kResourceDroppedAttributesCount, C::kUInt32},
    {"ScopeSchemaUrl", traces_col::kScopeSchemaUrl, C::kString, LC},
    {"ScopeAttributes", traces_col::kScopeAttributes, C::kMap},
    {"ScopeDroppedAttributesCount", traces_col::kScopeDroppedAttributesCount, C::kUInt32},
    {"DroppedAttributesCount", traces_col::kDroppedAttributesCount, C::kUInt32},
    {"Flags", traces_col::kFlags, C::kUInt32},
    {"DroppedEventsCount", traces_col::kDroppedEventsCount, C::kUInt32},
    {"DroppedLinksCount", traces_col::kDroppedLinksCount, C::kUInt32},
    {"InsertId", kNoColumn, C::kInsertId},
};

// MetricType comes first: metric decoders need it before the other fields
// to know which of them the row's kind has.
constexpr Field kMetricFields[] = {
    {"MetricType", metrics_col::kMetricType, C::kMetricType, false, "", kAll},
    {"ResourceAttributes", metrics_col::kResourceAttributes, C::kMap},
    {"ResourceSchemaUrl", metrics_col::kResourceSchemaUrl, C::kString},
    {"ScopeName", metrics_col::kScopeName, C::kString},
    {"ScopeVersion", metrics_col::kScopeVersion, C::kString},
    {"ScopeAttributes", metrics_col::kScopeAttributes, C::kMap},
    {"ScopeDroppedAttrCount", metrics_col::kScopeDroppedAttributesCount, C::kUInt32},
    {"ScopeSchemaUrl", metrics_col::kScopeSchemaUrl, C::kString},
    {"ServiceName", metrics_col::kServiceName, C::kString, LC},
    {"MetricName", metrics_col::kMetricName, C::kString},
    {"MetricDescription", metrics_col::kMetricDescription, C::kString},
    {"MetricUnit", metrics_col::kMetricUnit, C::kString},
    {"Attributes", metrics_col::kAttributes, C::kMap},
    {"StartTimeUnix", metrics_col::kStartTimeUnix, C::kTime, false, "Delta, ZSTD(1)"},
    {"TimeUnix", metrics_col::kTimeUnix, C::kTime, false, "Delta, ZSTD(1)"},
    {"Value", metrics_col::kValue, C::kFloat64, false, kZstd, kGauge | kSum},
    {"Count", metrics_col::kCount, C::kUInt64, false, "Delta, ZSTD(1)", kHist | kExpHist | kSummary},
    {"Sum", metrics_col::kSum, C::kOptionalDouble, false, kZstd, kHist | kExpHist | kSummary},
    {"BucketCounts", metrics_col::kBucketCounts, C::kIntArray, false, kZstd, kHist},
    {"ExplicitBounds", metrics_col::kExplicitBounds, C::kDoubleArray, false, kZstd, kHist},
    {"Scale", metrics_col::kScale, C::kInt32, false, kZstd, kExpHist},
    {"ZeroCount", metrics_col::kZeroCount, C::kUInt64, false, kZstd, kExpHist},
    {"PositiveOffset", metrics_col::kPositiveOffset, C::kInt32, false, kZstd, kExpHist},
    {"PositiveBucketCounts", metrics_col::kPositiveBucketCounts, C::kIntArray, false, kZstd, kExpHist},
    {"NegativeOffset", metrics_col::kNegativeOffset, C::kInt32, false, kZstd, kExpHist},
    {"NegativeBucketCounts", metrics_col::kNegativeBucketCounts, C::kIntArray, false, kZstd, kExpHist},
    {"ValueAtQuantiles", metrics_col::kValueAtQuantiles, C::kQuantiles, false, kZstd, kSummary},
    {"Exemplars", metrics_col::kExemplars, C::kExemplars, false, kZstd, kGauge | kSum | kHist | kExpHist},
    {"Flags", metrics_col::kFlags, C::kUInt32},
    {"Min", metrics_col::kMin, C::kOptionalDouble, false, kZstd, kHist | kExpHist},
    {"Max", metrics_col::kMax, C::kOptionalDouble, false, kZstd, kHist | kExpHist},
    {"AggregationTemporality", metrics_col::kAggregationTemporality, C::kInt32, false, kZstd, kSum | kHist | kExpHist},
    {"IsMonotonic", metrics_col::kIsMonotonic, C::kBool, false, "Delta, ZSTD(1)", kSum},
    // Added by otelstack.
    {"IntValue", metrics_col::kIntValue, C::kInt64, false, kZstd, kGauge | kSum},
    {"IsIntValue", metrics_col::kIsIntValue, C::kBool, false, kZstd, kGauge | kSum},
    {"ZeroThreshold", metrics_col::kZeroThreshold, C::kFloat64, false, kZstd, kExpHist},
    {"MetricMetadata", metrics_col::kMetricMetadata, C::kMap},
    {"ResourceDroppedAttributesCount", metrics_col::kResourceDroppedAttributesCount, C::kUInt32},
    {"InsertId", kNoColumn, C::kInsertId},
};

}  // namespace

std::span<const Field> FieldsOf(Signal signal) {
  switch (signal) {
    case Signal::kLogs:
      return kLogFields;
    case Signal::kTraces:
      return kTraceFields;
    case Signal::kMetrics:
      return kMetricFields;
  }
  return {};
}

std::vector<SubColumn> SubColumns(const Field& f, Layout layout) {
  const bool modern = layout == Layout::kModern;
  const std::string n = f.name;
  const std::string time = modern ? "DateTime64(9)" : "UInt64";
  const std::string time_suffix = modern ? "" : "Ns";
  const std::string map = "Map(LowCardinality(String), String)";
  switch (f.codec) {
    case C::kTime:
      if (modern) return {{n, "DateTime64(9)"}};
      return {{n, "DateTime"}, {n + "Ns", "UInt64"}};
    case C::kUInt8:
      return {{n, "UInt8"}};
    case C::kUInt32:
      return {{n, "UInt32"}};
    case C::kUInt64:
    case C::kInsertId:
      return {{n, "UInt64"}};
    case C::kInt32:
      return {{n, "Int32"}};
    case C::kInt64:
      return {{n, "Int64"}};
    case C::kFloat64:
      return {{n, "Float64"}};
    case C::kBool:
      return {{n, modern ? "Bool" : "UInt8"}};
    case C::kString:
      return {{n, modern && f.low_cardinality ? "LowCardinality(String)" : "String"}};
    case C::kId:
    case C::kAnyText:
    case C::kMetricType:
      return {{n, "String"}};
    case C::kMap:
      if (modern) return {{n, map}};
      return {{n + ".keys", "Array(String)"}, {n + ".values", "Array(String)"}};
    case C::kOptionalDouble:
      return {{n, modern ? "Float64" : "Nullable(Float64)"}};
    case C::kIntArray:
      return {{n, "Array(UInt64)"}};
    case C::kDoubleArray:
      return {{n, "Array(Float64)"}};
    case C::kEvents:
    case C::kLinks:
    case C::kExemplars:
    case C::kQuantiles: {
      std::vector<SubColumn> s;
      for (const NestedPart& p : NestedPartsOf(f.codec)) {
        std::string sub = n + "." + p.key;
        switch (p.kind) {
          case PartKind::kTimeNs:
            s.push_back({sub + time_suffix, "Array(" + time + ")"});
            break;
          case PartKind::kString:
            s.push_back(
                {sub, modern && std::string_view(p.key) == "Name" ? "Array(LowCardinality(String))" : "Array(String)"});
            break;
          case PartKind::kMap:
            if (modern) {
              s.push_back({sub, "Array(" + map + ")"});
            } else {
              s.push_back({sub + ".keys", "Array(Array(String))"});
              s.push_back({sub + ".values", "Array(Array(String))"});
            }
            break;
          case PartKind::kUInt32:
            s.push_back({sub, "Array(UInt32)"});
            break;
          case PartKind::kFloat64:
            s.push_back({sub, "Array(Float64)"});
            break;
        }
      }
      return s;
    }
  }
  return {};
}

std::span<const NestedPart> NestedPartsOf(Codec codec) {
  using P = PartKind;
  static constexpr NestedPart kEvents[] = {
      {"Timestamp", P::kTimeNs}, {"Name", P::kString}, {"Attributes", P::kMap}, {"DroppedAttributesCount", P::kUInt32}};
  static constexpr NestedPart kLinks[] = {{"TraceId", P::kString},
                                          {"SpanId", P::kString},
                                          {"TraceState", P::kString},
                                          {"Attributes", P::kMap},
                                          {"DroppedAttributesCount", P::kUInt32},
                                          {"Flags", P::kUInt32}};
  static constexpr NestedPart kExemplars[] = {{"FilteredAttributes", P::kMap},
                                              {"TimeUnix", P::kTimeNs},
                                              {"Value", P::kFloat64},
                                              {"SpanId", P::kString},
                                              {"TraceId", P::kString}};
  static constexpr NestedPart kQuantiles[] = {{"Quantile", P::kFloat64}, {"Value", P::kFloat64}};
  switch (codec) {
    case Codec::kEvents:
      return kEvents;
    case Codec::kLinks:
      return kLinks;
    case Codec::kExemplars:
      return kExemplars;
    case Codec::kQuantiles:
      return kQuantiles;
    default:
      return {};
  }
}

std::string ZeroOf(const std::string& type) {
  if (type == "String" || type == "LowCardinality(String)") return "''";
  if (type == "DateTime") return "toDateTime(0)";
  if (type == "DateTime64(9)") return "toDateTime64(0, 9)";
  if (type == "Bool") return "false";
  if (type.rfind("Nullable(", 0) == 0) return "CAST(NULL AS " + type + ")";
  if (type.rfind("Map(", 0) == 0) return "CAST(map() AS " + type + ")";
  // 18.16 casts an empty array only from its text form.
  if (type.rfind("Array(", 0) == 0) return "CAST('[]' AS " + type + ")";
  return "to" + type + "(0)";  // UInt8, UInt32, UInt64, Int32, Int64, Float64
}

std::string Ident(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`' || c == '\\') out += '\\';
    out += c;
  }
  out += '`';
  return out;
}

std::string Qualified(std::string_view db, std::string_view table) { return Ident(db) + "." + Ident(table); }

std::string StringLiteral(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\0') {
      out += "\\0";
      continue;
    }
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

const char* MetricTypeName(MetricTable t) {
  switch (t) {
    case MetricTable::kGauge:
      return "Gauge";
    case MetricTable::kSum:
      return "Sum";
    case MetricTable::kHistogram:
      return "Histogram";
    case MetricTable::kExponentialHistogram:
      return "ExponentialHistogram";
    case MetricTable::kSummary:
      return "Summary";
  }
  return "";
}

bool MetricTableOf(std::string_view metric_type, MetricTable* t) {
  for (MetricTable m : kAllMetricTables) {
    if (metric_type == MetricTypeName(m)) {
      *t = m;
      return true;
    }
  }
  return false;
}

}  // namespace otelstack::clickhouse::internal
