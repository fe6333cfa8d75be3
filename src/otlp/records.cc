#include "otlp/records.h"

#include <iterator>
#include <string>

#include "common/any_value.h"
#include "common/file_util.h"

namespace otelstack::otlp {

namespace {

// The encoding of a missing AnyValue and of an empty array.
constexpr char kEmptyValueBytes[1] = {static_cast<char>(anyvalue::Tag::kEmpty)};
constexpr std::string_view kEmptyValue(kEmptyValueBytes, 1);
constexpr char kEmptyArrayBytes[5] = {static_cast<char>(anyvalue::Tag::kArray), 0, 0, 0, 0};
constexpr std::string_view kEmptyArray(kEmptyArrayBytes, 5);

std::string_view KvListOrEmpty(std::string_view v) { return v.empty() ? anyvalue::EmptyKvList() : v; }
std::string_view ValueOrEmpty(std::string_view v) { return v.empty() ? kEmptyValue : v; }
std::string_view ArrayOrEmpty(std::string_view v) { return v.empty() ? kEmptyArray : v; }

// Resource and scope columns have the same names in every signal but
// different positions.
struct CommonColumns {
  size_t service_name, resource_schema_url, resource_attributes, resource_dropped, scope_schema_url, scope_name,
      scope_version, scope_attributes, scope_dropped;
};

constexpr CommonColumns kLogsCommon = {
    logs_col::kServiceName,
    logs_col::kResourceSchemaUrl,
    logs_col::kResourceAttributes,
    logs_col::kResourceDroppedAttributesCount,
    logs_col::kScopeSchemaUrl,
    logs_col::kScopeName,
    logs_col::kScopeVersion,
    logs_col::kScopeAttributes,
    logs_col::kScopeDroppedAttributesCount,
};
constexpr CommonColumns kTracesCommon = {
    traces_col::kServiceName,
    traces_col::kResourceSchemaUrl,
    traces_col::kResourceAttributes,
    traces_col::kResourceDroppedAttributesCount,
    traces_col::kScopeSchemaUrl,
    traces_col::kScopeName,
    traces_col::kScopeVersion,
    traces_col::kScopeAttributes,
    traces_col::kScopeDroppedAttributesCount,
};
constexpr CommonColumns kMetricsCommon = {
    metrics_col::kServiceName,
    metrics_col::kResourceSchemaUrl,
    metrics_col::kResourceAttributes,
    metrics_col::kResourceDroppedAttributesCount,
    metrics_col::kScopeSchemaUrl,
    metrics_col::kScopeName,
    metrics_col::kScopeVersion,
    metrics_col::kScopeAttributes,
    metrics_col::kScopeDroppedAttributesCount,
};

const CommonColumns& CommonColumnsOf(Signal signal) {
  switch (signal) {
    case Signal::kLogs:
      return kLogsCommon;
    case Signal::kTraces:
      return kTracesCommon;
    case Signal::kMetrics:
      return kMetricsCommon;
  }
  return kLogsCommon;
}

// Sets the dictionary-form columns `cols` of the current row to `values`,
// interned at the group's first row (see InternedCodes).
template <size_t N>
void SetInterned(RowBatch* batch, const size_t (&cols)[N], const std::string_view (&values)[N],
                 InternedCodes* interned) {
  static_assert(N <= std::size(InternedCodes{}.codes));
  if (!interned->valid) {
    for (size_t i = 0; i < N; ++i) interned->codes[i] = batch->Intern(cols[i], values[i]);
    interned->valid = true;
  }
  for (size_t i = 0; i < N; ++i) batch->SetCode(cols[i], interned->codes[i]);
}

void WriteCommon(RowBatch* batch, const CommonColumns& c, const ResourceFields& resource, const ScopeFields& scope) {
  SetInterned(batch, {c.service_name, c.resource_schema_url, c.resource_attributes},
              {resource.service_name, resource.schema_url, KvListOrEmpty(resource.attributes)}, &resource.interned);
  batch->SetU64(c.resource_dropped, resource.dropped_attributes_count);
  SetInterned(batch, {c.scope_schema_url, c.scope_name, c.scope_version, c.scope_attributes},
              {scope.schema_url, scope.name, scope.version, KvListOrEmpty(scope.attributes)}, &scope.interned);
  batch->SetU64(c.scope_dropped, scope.dropped_attributes_count);
}

// Appends `encoded` (a whole value) or kEmpty when it is absent.
void AppendEncoded(std::string* out, std::string_view encoded, std::string_view if_absent) {
  std::string_view v = encoded.empty() ? if_absent : encoded;
  out->append(v.data(), v.size());
}

std::string_view DecimalName(int64_t v, std::string* scratch) {
  *scratch = std::to_string(v);
  return *scratch;
}

}  // namespace

std::string_view ServiceNameOf(std::string_view attributes) {
  anyvalue::Value v;
  if (attributes.empty() || !anyvalue::FindKey(attributes, "service.name", &v)) return {};
  return v.tag == anyvalue::Tag::kString ? v.str : std::string_view();
}

void AppendEvent(std::string* out, uint64_t time_unix_nano, std::string_view name, std::string_view attributes,
                 uint64_t dropped_attributes_count) {
  size_t h = anyvalue::BeginKvList(out);
  anyvalue::AppendKey(out, "Timestamp");
  anyvalue::AppendInt(out, static_cast<int64_t>(time_unix_nano));
  anyvalue::AppendKey(out, "Name");
  anyvalue::AppendString(out, name);
  anyvalue::AppendKey(out, "Attributes");
  AppendEncoded(out, attributes, anyvalue::EmptyKvList());
  anyvalue::AppendKey(out, "DroppedAttributesCount");
  anyvalue::AppendInt(out, static_cast<int64_t>(dropped_attributes_count));
  anyvalue::EndList(out, h, 4);
}

void AppendLink(std::string* out, std::string_view trace_id, std::string_view span_id, std::string_view trace_state,
                std::string_view attributes, uint64_t dropped_attributes_count, uint32_t flags) {
  size_t h = anyvalue::BeginKvList(out);
  // Ids inside links and exemplars are lowercase hex strings, like the
  // TraceId/SpanId columns (and ClickHouse's exporter schema).
  anyvalue::AppendKey(out, "TraceId");
  anyvalue::AppendString(out, HexEncode(trace_id));
  anyvalue::AppendKey(out, "SpanId");
  anyvalue::AppendString(out, HexEncode(span_id));
  anyvalue::AppendKey(out, "TraceState");
  anyvalue::AppendString(out, trace_state);
  anyvalue::AppendKey(out, "Attributes");
  AppendEncoded(out, attributes, anyvalue::EmptyKvList());
  anyvalue::AppendKey(out, "DroppedAttributesCount");
  anyvalue::AppendInt(out, static_cast<int64_t>(dropped_attributes_count));
  anyvalue::AppendKey(out, "Flags");
  anyvalue::AppendInt(out, flags);
  anyvalue::EndList(out, h, 6);
}

void AppendQuantile(std::string* out, double quantile, double value) {
  size_t h = anyvalue::BeginKvList(out);
  anyvalue::AppendKey(out, "Quantile");
  anyvalue::AppendDouble(out, quantile);
  anyvalue::AppendKey(out, "Value");
  anyvalue::AppendDouble(out, value);
  anyvalue::EndList(out, h, 2);
}

void AppendExemplar(std::string* out, const ExemplarFields& e) {
  size_t h = anyvalue::BeginKvList(out);
  anyvalue::AppendKey(out, "FilteredAttributes");
  AppendEncoded(out, e.filtered_attributes, anyvalue::EmptyKvList());
  anyvalue::AppendKey(out, "TimeUnix");
  anyvalue::AppendInt(out, static_cast<int64_t>(e.time_unix_nano));
  anyvalue::AppendKey(out, "Value");
  switch (e.value_kind) {
    case ExemplarFields::ValueKind::kNone:
      anyvalue::AppendEmpty(out);
      break;
    case ExemplarFields::ValueKind::kDouble:
      anyvalue::AppendDouble(out, e.as_double);
      break;
    case ExemplarFields::ValueKind::kInt:
      anyvalue::AppendInt(out, e.as_int);
      break;
  }
  anyvalue::AppendKey(out, "SpanId");
  anyvalue::AppendString(out, HexEncode(e.span_id));
  anyvalue::AppendKey(out, "TraceId");
  anyvalue::AppendString(out, HexEncode(e.trace_id));
  anyvalue::EndList(out, h, 5);
}

std::string_view SpanKindName(int64_t kind, std::string* scratch) {
  switch (kind) {
    case 0:
      return "Unspecified";
    case 1:
      return "Internal";
    case 2:
      return "Server";
    case 3:
      return "Client";
    case 4:
      return "Producer";
    case 5:
      return "Consumer";
  }
  return DecimalName(kind, scratch);
}

std::string_view StatusCodeName(int64_t code, std::string* scratch) {
  switch (code) {
    case 0:
      return "Unset";
    case 1:
      return "Ok";
    case 2:
      return "Error";
  }
  return DecimalName(code, scratch);
}

std::string_view MetricKindName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kGauge:
      return "Gauge";
    case MetricKind::kSum:
      return "Sum";
    case MetricKind::kHistogram:
      return "Histogram";
    case MetricKind::kExponentialHistogram:
      return "ExponentialHistogram";
    case MetricKind::kSummary:
      return "Summary";
  }
  return "";
}

void RowWriter::Reject(std::string reason) {
  if (result_->rejected++ == 0) result_->rejection_message = std::move(reason);
}

void RowWriter::AddLog(const ResourceFields& resource, const ScopeFields& scope, const LogRecordFields& r) {
  if (!r.trace_id.empty() && r.trace_id.size() != 16) {
    return Reject("log record trace_id must be empty or 16 bytes, got " + std::to_string(r.trace_id.size()));
  }
  if (!r.span_id.empty() && r.span_id.size() != 8) {
    return Reject("log record span_id must be empty or 8 bytes, got " + std::to_string(r.span_id.size()));
  }
  using namespace logs_col;
  RowBatch* b = batch_;
  uint64_t time = r.time_unix_nano != 0            ? r.time_unix_nano
                  : r.observed_time_unix_nano != 0 ? r.observed_time_unix_nano
                                                   : receive_time_ns_;
  b->SetU64(kTimestamp, time);
  b->SetU64(kObservedTimestamp, r.observed_time_unix_nano);
  b->SetBytes(kTraceId, r.trace_id);
  b->SetBytes(kSpanId, r.span_id);
  b->SetU64(kTraceFlags, r.flags);
  b->SetBytes(kSeverityText, r.severity_text);
  b->SetI64(kSeverityNumber, r.severity_number);
  b->SetBytes(kBody, ValueOrEmpty(r.body));
  b->SetBytes(kLogAttributes, KvListOrEmpty(r.attributes));
  b->SetU64(kDroppedAttributesCount, r.dropped_attributes_count);
  b->SetBytes(kEventName, r.event_name);
  WriteCommon(b, kLogsCommon, resource, scope);
  b->FinishRow();
}

RowWriter::RowWriter(RowBatch* batch, DecodeResult* result, uint64_t receive_time_ns)
    : batch_(batch), result_(result), receive_time_ns_(receive_time_ns) {
  const CommonColumns& c = CommonColumnsOf(batch->signal());
  for (size_t col : {c.service_name, c.resource_schema_url, c.resource_attributes, c.scope_schema_url, c.scope_name,
                     c.scope_version, c.scope_attributes}) {
    batch->UseDictionary(col);
  }
}

void RowWriter::AddSpan(const ResourceFields& resource, const ScopeFields& scope, const SpanFields& s) {
  if (s.trace_id.size() != 16) {
    return Reject("span trace_id must be 16 bytes, got " + std::to_string(s.trace_id.size()));
  }
  if (s.span_id.size() != 8) {
    return Reject("span span_id must be 8 bytes, got " + std::to_string(s.span_id.size()));
  }
  if (!s.parent_span_id.empty() && s.parent_span_id.size() != 8) {
    return Reject("span parent_span_id must be empty or 8 bytes, got " + std::to_string(s.parent_span_id.size()));
  }
  using namespace traces_col;
  RowBatch* b = batch_;
  b->SetU64(kTimestamp, s.start_time_unix_nano);
  b->SetBytes(kTraceId, s.trace_id);
  b->SetBytes(kSpanId, s.span_id);
  b->SetBytes(kParentSpanId, s.parent_span_id);
  b->SetBytes(kTraceState, s.trace_state);
  b->SetBytes(kSpanName, s.name);
  b->SetBytes(kSpanKind, SpanKindName(s.kind, &scratch_));
  b->SetBytes(kSpanAttributes, KvListOrEmpty(s.attributes));
  b->SetU64(kDroppedAttributesCount, s.dropped_attributes_count);
  b->SetU64(kDuration,
            s.end_time_unix_nano >= s.start_time_unix_nano ? s.end_time_unix_nano - s.start_time_unix_nano : 0);
  b->SetBytes(kStatusCode, StatusCodeName(s.status_code, &scratch_));
  b->SetBytes(kStatusMessage, s.status_message);
  b->SetU64(kFlags, s.flags);
  b->SetBytes(kEvents, ArrayOrEmpty(s.events));
  b->SetU64(kDroppedEventsCount, s.dropped_events_count);
  b->SetBytes(kLinks, ArrayOrEmpty(s.links));
  b->SetU64(kDroppedLinksCount, s.dropped_links_count);
  WriteCommon(b, kTracesCommon, resource, scope);
  b->FinishRow();
}

void RowWriter::AddDataPoint(const ResourceFields& resource, const ScopeFields& scope, const MetricFields& m,
                             const DataPointFields& p) {
  using namespace metrics_col;
  RowBatch* b = batch_;
  b->SetU64(kTimeUnix, p.time_unix_nano != 0 ? p.time_unix_nano : receive_time_ns_);
  b->SetU64(kStartTimeUnix, p.start_time_unix_nano);
  b->SetBytes(kMetricName, m.name);
  b->SetBytes(kMetricDescription, m.description);
  b->SetBytes(kMetricUnit, m.unit);
  b->SetBytes(kMetricType, MetricKindName(m.kind));
  b->SetBytes(kMetricMetadata, KvListOrEmpty(m.metadata));
  b->SetBytes(kAttributes, KvListOrEmpty(p.attributes));
  b->SetU64(kFlags, p.flags);

  // Optional doubles of the histogram kinds are kAny: kEmpty when absent.
  auto set_optional = [&](size_t col, const std::optional<double>& v) {
    scratch_.clear();
    if (v) {
      anyvalue::AppendDouble(&scratch_, *v);
    } else {
      anyvalue::AppendEmpty(&scratch_);
    }
    b->SetBytes(col, scratch_);
  };

  switch (m.kind) {
    case MetricKind::kGauge:
    case MetricKind::kSum:
      if (p.is_int) {
        b->SetF64(kValue, static_cast<double>(p.int_value));
        b->SetI64(kIntValue, p.int_value);
        b->SetU64(kIsIntValue, 1);
      } else {
        b->SetF64(kValue, p.value);
      }
      if (m.kind == MetricKind::kSum) {
        b->SetI64(kAggregationTemporality, m.aggregation_temporality);
        b->SetU64(kIsMonotonic, m.is_monotonic ? 1 : 0);
      }
      b->SetBytes(kExemplars, ArrayOrEmpty(p.exemplars));
      break;
    case MetricKind::kHistogram:
      b->SetI64(kAggregationTemporality, m.aggregation_temporality);
      b->SetU64(kCount, p.count);
      set_optional(kSum, p.sum);
      set_optional(kMin, p.min);
      set_optional(kMax, p.max);
      b->SetBytes(kBucketCounts, ArrayOrEmpty(p.bucket_counts));
      b->SetBytes(kExplicitBounds, ArrayOrEmpty(p.explicit_bounds));
      b->SetBytes(kExemplars, ArrayOrEmpty(p.exemplars));
      break;
    case MetricKind::kExponentialHistogram:
      b->SetI64(kAggregationTemporality, m.aggregation_temporality);
      b->SetU64(kCount, p.count);
      set_optional(kSum, p.sum);
      set_optional(kMin, p.min);
      set_optional(kMax, p.max);
      b->SetI64(kScale, p.scale);
      b->SetU64(kZeroCount, p.zero_count);
      b->SetF64(kZeroThreshold, p.zero_threshold);
      b->SetI64(kPositiveOffset, p.positive_offset);
      b->SetBytes(kPositiveBucketCounts, ArrayOrEmpty(p.positive_bucket_counts));
      b->SetI64(kNegativeOffset, p.negative_offset);
      b->SetBytes(kNegativeBucketCounts, ArrayOrEmpty(p.negative_bucket_counts));
      b->SetBytes(kExemplars, ArrayOrEmpty(p.exemplars));
      break;
    case MetricKind::kSummary:
      b->SetU64(kCount, p.count);
      set_optional(kSum, p.sum.value_or(0.0));
      b->SetBytes(kValueAtQuantiles, ArrayOrEmpty(p.quantile_values));
      break;
  }
  WriteCommon(b, kMetricsCommon, resource, scope);
  b->FinishRow();
}

}  // namespace otelstack::otlp
