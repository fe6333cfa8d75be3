// Signals and their column schemas.
//
// Column names follow the OpenTelemetry ClickHouse exporter that ClickStack
// users know (Timestamp, ServiceName, Body, LogAttributes, SpanAttributes...).
// Metrics of all five kinds share one "metrics" schema with a MetricType
// column; columns that do not apply to a kind hold their zero value.
//
// Every signal's schema has a time column (index kTimeColumn == 0) in
// nanoseconds since the Unix epoch: it decides the day partition and is the
// sort key inside parts.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace otelstack {

enum class Signal : uint8_t { kLogs = 0, kTraces = 1, kMetrics = 2 };
inline constexpr Signal kAllSignals[] = {Signal::kLogs, Signal::kTraces, Signal::kMetrics};

std::string_view SignalName(Signal s);  // "logs", "traces", "metrics"
std::optional<Signal> ParseSignal(std::string_view name);

// Logical column types. Fixed types occupy one 64-bit slot per row; the
// others are variable-length byte strings.
enum class ColumnType : uint8_t {
  kTimestamp,  // fixed: uint64 nanoseconds since the epoch
  kUInt64,     // fixed
  kInt64,      // fixed (two's complement in the slot)
  kFloat64,    // fixed (IEEE bits in the slot)
  kString,     // bytes: UTF-8 text
  kId,         // bytes: trace/span id, raw (16 or 8 bytes, or empty); shown as hex
  kAny,        // bytes: common/any_value.h encoding (maps, bodies, lists)
};

inline bool IsFixed(ColumnType t) {
  return t == ColumnType::kTimestamp || t == ColumnType::kUInt64 || t == ColumnType::kInt64 ||
         t == ColumnType::kFloat64;
}

struct ColumnDef {
  std::string_view name;
  ColumnType type;
};

inline constexpr size_t kTimeColumn = 0;

// The columns of a signal, in storage order. Stable across runs: parts record
// the schema version and column names they were written with.
std::span<const ColumnDef> SchemaOf(Signal s);
// Index of `name` in SchemaOf(s), or -1.
int ColumnIndex(Signal s, std::string_view name);
// The column whose values column `col` mostly repeats from nearby rows (a
// span's ParentSpanId is the SpanId of an earlier span), or -1: the part
// writer tries to store `col` as references into it (kBytesRowRef).
int RowReferenceColumn(Signal s, size_t col);
// The columns, in order of preference, that column `col` is often a function
// of within a granule (a scope of its service, a severity number of its
// text, a metric's unit of its name), or takes few values with each value of
// (a service's pods' resource attributes): the part writer stores `col` as a
// value per distinct value of the first one that determines it
// (kBytesDependent / kFixedDependent), else as an index into the values seen
// with the first one's value (kBytesConditional).
std::span<const size_t> DeterminingColumns(Signal s, size_t col);
// The column whose value predicts which recent value column `col` repeats (a
// log line's trace id is its service's previous line's, its span id its
// trace's previous line's), or -1: the part writer tries to store `col` with
// a recent-value list per value of it (kBytesRecentByClass).
//
// A column that the three functions above name for `col` refers to a column
// itself only when it comes before `col` (a log's SpanId and TraceFlags name
// its TraceId, which names ServiceName), so references never form a cycle.
int RecentValueClassColumn(Signal s, size_t col);

// Column indexes, so decoders and readers name columns instead of counting.
// clang-format off
namespace logs_col {
enum : size_t {
  kTimestamp, kObservedTimestamp, kTraceId, kSpanId, kTraceFlags, kSeverityText, kSeverityNumber,
  kServiceName, kBody, kResourceSchemaUrl, kResourceAttributes, kResourceDroppedAttributesCount,
  kScopeSchemaUrl, kScopeName, kScopeVersion, kScopeAttributes, kScopeDroppedAttributesCount,
  kLogAttributes, kDroppedAttributesCount, kEventName, kCount
};
}

namespace traces_col {
enum : size_t {
  kTimestamp, kTraceId, kSpanId, kParentSpanId, kTraceState, kSpanName, kSpanKind, kServiceName,
  kResourceSchemaUrl, kResourceAttributes, kResourceDroppedAttributesCount, kScopeSchemaUrl, kScopeName,
  kScopeVersion, kScopeAttributes, kScopeDroppedAttributesCount, kSpanAttributes, kDroppedAttributesCount,
  kDuration, kStatusCode, kStatusMessage, kFlags, kEvents, kDroppedEventsCount, kLinks, kDroppedLinksCount,
  kCount
};
}

namespace metrics_col {
enum : size_t {
  kTimeUnix, kStartTimeUnix, kServiceName, kMetricName, kMetricDescription, kMetricUnit, kMetricType,
  kMetricMetadata, kResourceSchemaUrl, kResourceAttributes, kResourceDroppedAttributesCount, kScopeSchemaUrl,
  kScopeName, kScopeVersion, kScopeAttributes, kScopeDroppedAttributesCount, kAttributes, kFlags,
  // Gauge and Sum points: Value is always set (ints converted); IntValue and
  // IsIntValue keep an integer point exact.
  kValue, kIntValue, kIsIntValue,
  // Sum
  kAggregationTemporality, kIsMonotonic,
  // Histogram, ExponentialHistogram, Summary. Optional fields (Sum, Min, Max)
  // are kAny: empty when absent, a double when present.
  kCount, kSum, kMin, kMax,
  kBucketCounts, kExplicitBounds,  // kAny arrays of int / double
  kScale, kZeroCount, kZeroThreshold, kPositiveOffset, kPositiveBucketCounts, kNegativeOffset,
  kNegativeBucketCounts,
  kValueAtQuantiles,  // kAny array of kvlists {Quantile: double, Value: double}
  kExemplars,         // kAny array of kvlists {FilteredAttributes, TimeUnix, Value, SpanId, TraceId}
  kColumnCount
};
}
// clang-format on

}  // namespace otelstack
