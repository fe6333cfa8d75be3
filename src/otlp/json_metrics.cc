// JsonDecoder: the metrics part (one row per data point).

#include "common/any_value.h"
#include "otlp/error_context.h"
#include "otlp/json_decoder.h"
#include "otlp/json_values.h"

namespace otelstack::otlp {

using json::KeyIs;

namespace {
std::string_view JsonKindName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kGauge:
      return "gauge";
    case MetricKind::kSum:
      return "sum";
    case MetricKind::kHistogram:
      return "histogram";
    case MetricKind::kExponentialHistogram:
      return "exponentialHistogram";
    case MetricKind::kSummary:
      return "summary";
  }
  return "data";
}

// Appends a JSON array of unsigned 64-bit integers as ints.
Status AppendUint64s(simdjson::dom::element e, const char* field, ListBuilder* list) {
  json::array items;
  OTELSTACK_RETURN_IF_ERROR(json::GetArray(e, field, &items));
  for (simdjson::dom::element item : items) {
    uint64_t v;
    OTELSTACK_RETURN_IF_ERROR(json::GetUint64(item, field, &v));
    anyvalue::AppendInt(list->buffer(), static_cast<int64_t>(v));
    list->Added();
  }
  return Status::OK();
}

// Appends a JSON array of doubles.
Status AppendDoubles(simdjson::dom::element e, const char* field, ListBuilder* list) {
  json::array items;
  OTELSTACK_RETURN_IF_ERROR(json::GetArray(e, field, &items));
  for (simdjson::dom::element item : items) {
    double v;
    OTELSTACK_RETURN_IF_ERROR(json::GetDouble(item, field, &v));
    anyvalue::AppendDouble(list->buffer(), v);
    list->Added();
  }
  return Status::OK();
}
}  // namespace

Status JsonDecoder::DecodeMetric(const ResourceFields& resource, const ScopeFields& scope, Element e) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "metric", &obj));
  MetricFields metric;
  ListBuilder metadata(&metadata_, ListBuilder::Kind::kKvList);
  Element data;
  bool has_data = false;
  auto set_data = [&](MetricKind kind, Element value) {
    metric.kind = kind;
    data = value;
    has_data = true;
  };
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "name", "name")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "name", &metric.name));
    } else if (KeyIs(key, "description", "description")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "description", &metric.description));
    } else if (KeyIs(key, "unit", "unit")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetString(value, "unit", &metric.unit));
    } else if (KeyIs(key, "metadata", "metadata")) {
      OTELSTACK_RETURN_IF_ERROR(AddAttributes(value, "metadata", &metadata));
    } else if (KeyIs(key, "gauge", "gauge")) {
      set_data(MetricKind::kGauge, value);
    } else if (KeyIs(key, "sum", "sum")) {
      set_data(MetricKind::kSum, value);
    } else if (KeyIs(key, "histogram", "histogram")) {
      set_data(MetricKind::kHistogram, value);
    } else if (KeyIs(key, "exponentialHistogram", "exponential_histogram")) {
      set_data(MetricKind::kExponentialHistogram, value);
    } else if (KeyIs(key, "summary", "summary")) {
      set_data(MetricKind::kSummary, value);
    }
  }
  metric.metadata = metadata.Finish();
  if (!has_data) return Status::OK();  // a metric without data has no rows

  const std::string_view kind_name = JsonKindName(metric.kind);
  json::object data_obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(data, kind_name, &data_obj));
  Element points;
  bool has_points = false;
  const bool has_temporality = metric.kind != MetricKind::kGauge && metric.kind != MetricKind::kSummary;
  for (auto [key, value] : data_obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "dataPoints", "data_points")) {
      points = value;
      has_points = true;
    } else if (has_temporality && KeyIs(key, "aggregationTemporality", "aggregation_temporality")) {
      OTLP_RETURN_IF_ERROR_CTX(json::GetEnum(value, "aggregationTemporality", json::AggregationTemporalityByName,
                                             &metric.aggregation_temporality),
                               kind_name);
    } else if (metric.kind == MetricKind::kSum && KeyIs(key, "isMonotonic", "is_monotonic")) {
      OTLP_RETURN_IF_ERROR_CTX(json::GetBool(value, "isMonotonic", &metric.is_monotonic), kind_name);
    }
  }
  if (!has_points) return Status::OK();
  OTLP_RETURN_IF_ERROR_CTX(ForEach(points, "dataPoints",
                                   [&](Element point_element, size_t) {
                                     DataPointFields point;
                                     OTELSTACK_RETURN_IF_ERROR(DecodeDataPoint(metric.kind, point_element, &point));
                                     rows_->AddDataPoint(resource, scope, metric, point);
                                     return Status::OK();
                                   }),
                           kind_name);
  return Status::OK();
}

// Reads the keys of a data point that exist for `kind`; other keys are
// ignored like any unknown field.
Status JsonDecoder::DecodeDataPoint(MetricKind kind, Element e, DataPointFields* p) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "dataPoint", &obj));
  const bool is_number = kind == MetricKind::kGauge || kind == MetricKind::kSum;
  const bool is_histogram = kind == MetricKind::kHistogram;
  const bool is_exponential = kind == MetricKind::kExponentialHistogram;
  const bool is_summary = kind == MetricKind::kSummary;
  ListBuilder attributes(&attributes_, ListBuilder::Kind::kKvList);
  ListBuilder exemplars(&exemplars_, ListBuilder::Kind::kArray);
  ListBuilder buckets(&bucket_counts_, ListBuilder::Kind::kArray);
  ListBuilder bounds(&explicit_bounds_, ListBuilder::Kind::kArray);
  ListBuilder quantiles(&quantiles_, ListBuilder::Kind::kArray);
  if (is_summary) p->sum = 0.0;  // not optional in a summary

  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "attributes", "attributes")) {
      OTELSTACK_RETURN_IF_ERROR(AddAttributes(value, "attributes", &attributes));
    } else if (KeyIs(key, "startTimeUnixNano", "start_time_unix_nano")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "startTimeUnixNano", &p->start_time_unix_nano));
    } else if (KeyIs(key, "timeUnixNano", "time_unix_nano")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "timeUnixNano", &p->time_unix_nano));
    } else if (KeyIs(key, "flags", "flags")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint32(value, "flags", &p->flags));
    } else if (is_number && KeyIs(key, "asDouble", "as_double")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetDouble(value, "asDouble", &p->value));
      p->is_int = false;
      p->int_value = 0;
    } else if (is_number && KeyIs(key, "asInt", "as_int")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetInt64(value, "asInt", &p->int_value));
      p->is_int = true;
      p->value = 0;
    } else if (!is_summary && KeyIs(key, "exemplars", "exemplars")) {
      OTELSTACK_RETURN_IF_ERROR(ForEach(value, "exemplars", [&](Element exemplar, size_t) {
        OTELSTACK_RETURN_IF_ERROR(AppendExemplarItem(exemplar, exemplars.buffer()));
        exemplars.Added();
        return Status::OK();
      }));
    } else if (is_number) {
      continue;
    } else if (KeyIs(key, "count", "count")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "count", &p->count));
    } else if (KeyIs(key, "sum", "sum")) {
      double v;
      OTELSTACK_RETURN_IF_ERROR(json::GetDouble(value, "sum", &v));
      p->sum = v;
    } else if (is_summary) {
      if (KeyIs(key, "quantileValues", "quantile_values")) {
        OTELSTACK_RETURN_IF_ERROR(ForEach(value, "quantileValues", [&](Element q, size_t) {
          json::object qobj;
          OTELSTACK_RETURN_IF_ERROR(json::GetObject(q, "quantileValue", &qobj));
          double quantile = 0, v = 0;
          for (auto [qkey, qvalue] : qobj) {
            if (qvalue.is_null()) continue;
            if (qkey == "quantile") OTELSTACK_RETURN_IF_ERROR(json::GetDouble(qvalue, "quantile", &quantile));
            if (qkey == "value") OTELSTACK_RETURN_IF_ERROR(json::GetDouble(qvalue, "value", &v));
          }
          AppendQuantile(quantiles.buffer(), quantile, v);
          quantiles.Added();
          return Status::OK();
        }));
      }
    } else if (KeyIs(key, "min", "min")) {
      double v;
      OTELSTACK_RETURN_IF_ERROR(json::GetDouble(value, "min", &v));
      p->min = v;
    } else if (KeyIs(key, "max", "max")) {
      double v;
      OTELSTACK_RETURN_IF_ERROR(json::GetDouble(value, "max", &v));
      p->max = v;
    } else if (is_histogram && KeyIs(key, "bucketCounts", "bucket_counts")) {
      OTELSTACK_RETURN_IF_ERROR(AppendUint64s(value, "bucketCounts", &buckets));
    } else if (is_histogram && KeyIs(key, "explicitBounds", "explicit_bounds")) {
      OTELSTACK_RETURN_IF_ERROR(AppendDoubles(value, "explicitBounds", &bounds));
    } else if (is_exponential && KeyIs(key, "scale", "scale")) {
      int32_t scale;
      OTELSTACK_RETURN_IF_ERROR(json::GetInt32(value, "scale", &scale));
      p->scale = scale;
    } else if (is_exponential && KeyIs(key, "zeroCount", "zero_count")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "zeroCount", &p->zero_count));
    } else if (is_exponential && KeyIs(key, "zeroThreshold", "zero_threshold")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetDouble(value, "zeroThreshold", &p->zero_threshold));
    } else if (is_exponential && KeyIs(key, "positive", "positive")) {
      OTLP_RETURN_IF_ERROR_CTX(
          DecodeBuckets(value, &p->positive_offset, &positive_buckets_, &p->positive_bucket_counts), "positive");
    } else if (is_exponential && KeyIs(key, "negative", "negative")) {
      OTLP_RETURN_IF_ERROR_CTX(
          DecodeBuckets(value, &p->negative_offset, &negative_buckets_, &p->negative_bucket_counts), "negative");
    }
  }
  p->attributes = attributes.Finish();
  if (!is_summary) p->exemplars = exemplars.Finish();
  if (is_histogram) {
    p->bucket_counts = buckets.Finish();
    p->explicit_bounds = bounds.Finish();
  }
  if (is_summary) p->quantile_values = quantiles.Finish();
  return Status::OK();
}

// {"offset": int32, "bucketCounts": [uint64...]}
Status JsonDecoder::DecodeBuckets(Element e, int64_t* offset, std::string* counts_buffer, std::string_view* counts) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "buckets", &obj));
  ListBuilder list(counts_buffer, ListBuilder::Kind::kArray);
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "offset", "offset")) {
      int32_t v;
      OTELSTACK_RETURN_IF_ERROR(json::GetInt32(value, "offset", &v));
      *offset = v;
    } else if (KeyIs(key, "bucketCounts", "bucket_counts")) {
      OTELSTACK_RETURN_IF_ERROR(AppendUint64s(value, "bucketCounts", &list));
    }
  }
  *counts = list.Finish();
  return Status::OK();
}

Status JsonDecoder::AppendExemplarItem(Element e, std::string* out) {
  json::object obj;
  OTELSTACK_RETURN_IF_ERROR(json::GetObject(e, "exemplar", &obj));
  ExemplarFields exemplar;
  ListBuilder attributes(&item_attributes_, ListBuilder::Kind::kKvList);
  for (auto [key, value] : obj) {
    if (value.is_null()) continue;
    if (KeyIs(key, "filteredAttributes", "filtered_attributes")) {
      OTELSTACK_RETURN_IF_ERROR(AddAttributes(value, "filteredAttributes", &attributes));
    } else if (KeyIs(key, "timeUnixNano", "time_unix_nano")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetUint64(value, "timeUnixNano", &exemplar.time_unix_nano));
    } else if (KeyIs(key, "asDouble", "as_double")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetDouble(value, "asDouble", &exemplar.as_double));
      exemplar.value_kind = ExemplarFields::ValueKind::kDouble;
    } else if (KeyIs(key, "asInt", "as_int")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetInt64(value, "asInt", &exemplar.as_int));
      exemplar.value_kind = ExemplarFields::ValueKind::kInt;
    } else if (KeyIs(key, "spanId", "span_id")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetHexId(value, "spanId", &item_span_id_));
      exemplar.span_id = item_span_id_;
    } else if (KeyIs(key, "traceId", "trace_id")) {
      OTELSTACK_RETURN_IF_ERROR(json::GetHexId(value, "traceId", &item_trace_id_));
      exemplar.trace_id = item_trace_id_;
    }
  }
  exemplar.filtered_attributes = attributes.Finish();
  AppendExemplar(out, exemplar);
  return Status::OK();
}

}  // namespace otelstack::otlp
