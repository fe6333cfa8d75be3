// The decoded shape of OTLP items, shared by the protobuf and JSON decoders,
// and RowWriter, which turns them into RowBatch rows.
//
// Both decoders parse their encoding into these structs (views into the
// request body or into the decoder's scratch buffers) and hand them to the
// same RowWriter, so the mapping to columns, the defaults and the rejection
// rules exist once and the two encodings cannot drift apart.
//
// Fields named `attributes`, `body`, `events`... hold common/any_value.h
// encodings; an empty view means "absent" and RowWriter substitutes the
// documented default (an empty kvlist, kEmpty, an empty array).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/any_value.h"
#include "otlp/decode.h"
#include "store/schema/row_batch.h"

namespace otelstack::otlp {

// AnyValues nested deeper than this (a top-level value is depth 1) make the
// request invalid: it bounds recursion on hostile input.
inline constexpr int kMaxAnyValueDepth = 32;

// The entry codes of a resource's (or scope's) dictionary-form columns in
// the batch being written (RowBatch::Intern). RowWriter fills them at the
// group's first row, so that its other rows only copy codes. A decoder
// parses a fresh ResourceFields (ScopeFields) per group, which starts
// without codes, and must not change the fields once rows use them.
struct InternedCodes {
  bool valid = false;
  uint32_t codes[4] = {};
};

struct ResourceFields {
  std::string_view attributes;
  std::string_view service_name;  // from attributes; see ServiceNameOf
  uint64_t dropped_attributes_count = 0;
  std::string_view schema_url;     // of the enclosing Resource{Logs,Spans,Metrics}
  mutable InternedCodes interned;  // RowWriter's, see InternedCodes
};

struct ScopeFields {
  std::string_view name;
  std::string_view version;
  std::string_view attributes;
  uint64_t dropped_attributes_count = 0;
  std::string_view schema_url;     // of the enclosing Scope{Logs,Spans,Metrics}
  mutable InternedCodes interned;  // RowWriter's, see InternedCodes
};

struct LogRecordFields {
  uint64_t time_unix_nano = 0;
  uint64_t observed_time_unix_nano = 0;
  int64_t severity_number = 0;
  std::string_view severity_text;
  std::string_view body;
  std::string_view attributes;
  uint64_t dropped_attributes_count = 0;
  uint32_t flags = 0;
  std::string_view trace_id;  // raw bytes
  std::string_view span_id;   // raw bytes
  std::string_view event_name;
};

struct SpanFields {
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view trace_state;
  std::string_view parent_span_id;
  uint32_t flags = 0;
  std::string_view name;
  int64_t kind = 0;
  uint64_t start_time_unix_nano = 0;
  uint64_t end_time_unix_nano = 0;
  std::string_view attributes;
  uint64_t dropped_attributes_count = 0;
  std::string_view events;  // array built with AppendEvent
  uint64_t dropped_events_count = 0;
  std::string_view links;  // array built with AppendLink
  uint64_t dropped_links_count = 0;
  std::string_view status_message;
  int64_t status_code = 0;
};

enum class MetricKind : uint8_t { kGauge, kSum, kHistogram, kExponentialHistogram, kSummary };

struct MetricFields {
  std::string_view name;
  std::string_view description;
  std::string_view unit;
  std::string_view metadata;
  MetricKind kind = MetricKind::kGauge;
  int64_t aggregation_temporality = 0;  // Sum, Histogram, ExponentialHistogram
  bool is_monotonic = false;            // Sum
};

// One data point of any kind; RowWriter reads the members that apply to the
// metric's kind.
struct DataPointFields {
  std::string_view attributes;
  uint64_t start_time_unix_nano = 0;
  uint64_t time_unix_nano = 0;
  uint32_t flags = 0;
  // Gauge, Sum
  bool is_int = false;
  double value = 0;
  int64_t int_value = 0;
  // Histogram, ExponentialHistogram, Summary
  uint64_t count = 0;
  std::optional<double> sum;  // Summary: always present
  std::optional<double> min;
  std::optional<double> max;
  std::string_view bucket_counts;    // array of int
  std::string_view explicit_bounds;  // array of double
  int64_t scale = 0;
  uint64_t zero_count = 0;
  double zero_threshold = 0;
  int64_t positive_offset = 0;
  std::string_view positive_bucket_counts;  // array of int
  int64_t negative_offset = 0;
  std::string_view negative_bucket_counts;  // array of int
  std::string_view quantile_values;         // array built with AppendQuantile
  std::string_view exemplars;               // array built with AppendExemplar
};

struct ExemplarFields {
  std::string_view filtered_attributes;
  uint64_t time_unix_nano = 0;
  enum class ValueKind : uint8_t { kNone, kDouble, kInt } value_kind = ValueKind::kNone;
  double as_double = 0;
  int64_t as_int = 0;
  std::string_view span_id;
  std::string_view trace_id;
};

// The string value of the first "service.name" entry of an encoded
// attribute kvlist, or "" when there is none or it is not a string.
std::string_view ServiceNameOf(std::string_view attributes);

// Item encodings for the list columns. Each appends one kvlist value to `out`
// (the caller counts items and closes the array).
void AppendEvent(std::string* out, uint64_t time_unix_nano, std::string_view name, std::string_view attributes,
                 uint64_t dropped_attributes_count);
void AppendLink(std::string* out, std::string_view trace_id, std::string_view span_id, std::string_view trace_state,
                std::string_view attributes, uint64_t dropped_attributes_count, uint32_t flags);
void AppendQuantile(std::string* out, double quantile, double value);
void AppendExemplar(std::string* out, const ExemplarFields& exemplar);

// An encoded list being built in a caller-owned buffer: Start() clears the
// buffer, items are appended to buffer() and counted with Added(), Finish()
// patches the count and returns the whole encoding.
class ListBuilder {
 public:
  enum class Kind : uint8_t { kArray, kKvList };
  ListBuilder(std::string* buffer, Kind kind) : buffer_(buffer) {
    buffer_->clear();
    handle_ = kind == Kind::kArray ? anyvalue::BeginArray(buffer_) : anyvalue::BeginKvList(buffer_);
  }
  std::string* buffer() { return buffer_; }
  void Added() { ++count_; }
  uint32_t count() const { return count_; }
  std::string_view Finish() {
    anyvalue::EndList(buffer_, handle_, count_);
    return *buffer_;
  }

 private:
  std::string* buffer_;
  size_t handle_;
  uint32_t count_ = 0;
};

// Display names of enums as stored ("Server", "Error"); values outside the
// enum become their decimal text, formatted into *scratch.
std::string_view SpanKindName(int64_t kind, std::string* scratch);
std::string_view StatusCodeName(int64_t code, std::string* scratch);
std::string_view MetricKindName(MetricKind kind);

// Appends rows to a batch, applying defaults and rejecting unusable items
// (counted in the DecodeResult with the first reason kept). The resource and
// scope columns, which repeat one value over all items of a resource or
// scope, are kept in dictionary form (RowBatch::UseDictionary): each
// distinct value is stored once per batch, not once per row.
class RowWriter {
 public:
  // REQUIRES: `batch` is empty.
  RowWriter(RowBatch* batch, DecodeResult* result, uint64_t receive_time_ns);

  void AddLog(const ResourceFields& resource, const ScopeFields& scope, const LogRecordFields& record);
  void AddSpan(const ResourceFields& resource, const ScopeFields& scope, const SpanFields& span);
  void AddDataPoint(const ResourceFields& resource, const ScopeFields& scope, const MetricFields& metric,
                    const DataPointFields& point);

 private:
  void Reject(std::string reason);

  RowBatch* batch_;
  DecodeResult* result_;
  uint64_t receive_time_ns_;
  std::string scratch_;
};

}  // namespace otelstack::otlp
