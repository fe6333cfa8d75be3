// ProtoDecoder: the metrics part (one row per data point).

#include "common/any_value.h"
#include "otlp/error_context.h"
#include "otlp/proto_decoder.h"

namespace otelstack::otlp {

using wire::Field;
using wire::WireType;

namespace {
inline bool IsLen(const Field& f) { return f.type == WireType::kLen; }
inline bool IsVarint(const Field& f) { return f.type == WireType::kVarint; }
inline bool IsFixed64(const Field& f) { return f.type == WireType::kFixed64; }

// Appends a repeated fixed64/double field's values (packed or one per field)
// to `list` as ints or doubles.
Status AppendFixed64s(const Field& f, ListBuilder* list, bool as_double) {
  auto append = [&](uint64_t bits) {
    if (as_double) {
      anyvalue::AppendDouble(list->buffer(), std::bit_cast<double>(bits));
    } else {
      anyvalue::AppendInt(list->buffer(), static_cast<int64_t>(bits));
    }
    list->Added();
  };
  if (IsFixed64(f)) {
    append(f.value);
  } else if (IsLen(f)) {
    if (f.bytes.size() % 8 != 0) return Status::InvalidArgument("packed fixed64 length is not a multiple of 8");
    for (size_t i = 0; i < f.bytes.size(); i += 8) append(DecodeFixed64(f.bytes.data() + i));
  }
  return Status::OK();
}

// Appends a repeated uint64 field's values (packed or one per field) as ints.
Status AppendVarints(const Field& f, ListBuilder* list) {
  if (IsVarint(f)) {
    anyvalue::AppendInt(list->buffer(), static_cast<int64_t>(f.value));
    list->Added();
  } else if (IsLen(f)) {
    std::string_view in = f.bytes;
    while (!in.empty()) {
      uint64_t v;
      if (!GetVarint64(&in, &v)) return Status::InvalidArgument("truncated packed varint");
      anyvalue::AppendInt(list->buffer(), static_cast<int64_t>(v));
      list->Added();
    }
  }
  return Status::OK();
}
}  // namespace

// Metric: name = 1, description = 2, unit = 3, oneof data { gauge = 5,
// sum = 7, histogram = 9, exponential_histogram = 10, summary = 11 },
// metadata = 12. The data messages hold data_points = 1; Sum, Histogram and
// ExponentialHistogram add aggregation_temporality = 2; Sum adds
// is_monotonic = 3.
Status ProtoDecoder::DecodeMetric(const ResourceFields& resource, const ScopeFields& scope, std::string_view msg) {
  MetricFields metric;
  ListBuilder metadata(&metadata_, ListBuilder::Kind::kKvList);
  std::string_view data;
  bool has_data = false;
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    if (!IsLen(f)) continue;
    switch (f.number) {
      case 1:
        metric.name = f.bytes;
        break;
      case 2:
        metric.description = f.bytes;
        break;
      case 3:
        metric.unit = f.bytes;
        break;
      case 5:
        metric.kind = MetricKind::kGauge;
        data = f.bytes;
        has_data = true;
        break;
      case 7:
        metric.kind = MetricKind::kSum;
        data = f.bytes;
        has_data = true;
        break;
      case 9:
        metric.kind = MetricKind::kHistogram;
        data = f.bytes;
        has_data = true;
        break;
      case 10:
        metric.kind = MetricKind::kExponentialHistogram;
        data = f.bytes;
        has_data = true;
        break;
      case 11:
        metric.kind = MetricKind::kSummary;
        data = f.bytes;
        has_data = true;
        break;
      case 12:
        OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &metadata, "metadata"));
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  metric.metadata = metadata.Finish();
  if (!has_data) return Status::OK();  // a metric without data has no rows

  wire::Reader first_pass(data);
  while (first_pass.Next(&f)) {
    if (f.number == 2 && IsVarint(f) && metric.kind != MetricKind::kGauge && metric.kind != MetricKind::kSummary) {
      metric.aggregation_temporality = wire::Int32Of(f);
    } else if (f.number == 3 && IsVarint(f) && metric.kind == MetricKind::kSum) {
      metric.is_monotonic = f.value != 0;
    }
  }
  if (first_pass.error()) return MalformedProtobuf(first_pass).WithContext(MetricKindName(metric.kind));

  wire::Reader points(data);
  size_t index = 0;
  while (points.Next(&f)) {
    if (f.number != 1 || !IsLen(f)) continue;
    DataPointFields point;
    Status st;
    switch (metric.kind) {
      case MetricKind::kGauge:
      case MetricKind::kSum:
        st = DecodeNumberPoint(f.bytes, &point);
        break;
      case MetricKind::kHistogram:
        st = DecodeHistogramPoint(f.bytes, &point);
        break;
      case MetricKind::kExponentialHistogram:
        st = DecodeExponentialHistogramPoint(f.bytes, &point);
        break;
      case MetricKind::kSummary:
        st = DecodeSummaryPoint(f.bytes, &point);
        break;
    }
    if (!st.ok())
      return st.WithContext(std::string(MetricKindName(metric.kind)) + ": " + Indexed("data_points", index));
    rows_->AddDataPoint(resource, scope, metric, point);
    ++index;
  }
  return Status::OK();
}

// NumberDataPoint: start_time_unix_nano = 2, time_unix_nano = 3,
// as_double = 4, exemplars = 5, as_int = 6 (sfixed64), attributes = 7,
// flags = 8.
Status ProtoDecoder::DecodeNumberPoint(std::string_view msg, DataPointFields* p) {
  ListBuilder attributes(&attributes_, ListBuilder::Kind::kKvList);
  ListBuilder exemplars(&exemplars_, ListBuilder::Kind::kArray);
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 2:
        if (IsFixed64(f)) p->start_time_unix_nano = f.value;
        break;
      case 3:
        if (IsFixed64(f)) p->time_unix_nano = f.value;
        break;
      case 4:
        if (IsFixed64(f)) {
          p->is_int = false;
          p->value = wire::DoubleOf(f);
          p->int_value = 0;
        }
        break;
      case 5:
        if (IsLen(f)) {
          OTLP_RETURN_IF_ERROR_CTX(AppendExemplarItem(f.bytes, exemplars.buffer()),
                                   Indexed("exemplars", exemplars.count()));
          exemplars.Added();
        }
        break;
      case 6:
        if (IsFixed64(f)) {
          p->is_int = true;
          p->int_value = wire::Int64Of(f);
          p->value = 0;
        }
        break;
      case 7:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
        break;
      case 8:
        if (IsVarint(f)) p->flags = wire::Uint32Of(f);
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  p->attributes = attributes.Finish();
  p->exemplars = exemplars.Finish();
  return Status::OK();
}

// HistogramDataPoint: start_time_unix_nano = 2, time_unix_nano = 3,
// count = 4 (fixed64), optional sum = 5, bucket_counts = 6 (repeated
// fixed64), explicit_bounds = 7 (repeated double), exemplars = 8,
// attributes = 9, flags = 10, optional min = 11, optional max = 12.
Status ProtoDecoder::DecodeHistogramPoint(std::string_view msg, DataPointFields* p) {
  ListBuilder attributes(&attributes_, ListBuilder::Kind::kKvList);
  ListBuilder exemplars(&exemplars_, ListBuilder::Kind::kArray);
  ListBuilder buckets(&bucket_counts_, ListBuilder::Kind::kArray);
  ListBuilder bounds(&explicit_bounds_, ListBuilder::Kind::kArray);
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 2:
        if (IsFixed64(f)) p->start_time_unix_nano = f.value;
        break;
      case 3:
        if (IsFixed64(f)) p->time_unix_nano = f.value;
        break;
      case 4:
        if (IsFixed64(f)) p->count = f.value;
        break;
      case 5:
        if (IsFixed64(f)) p->sum = wire::DoubleOf(f);
        break;
      case 6:
        OTLP_RETURN_IF_ERROR_CTX(AppendFixed64s(f, &buckets, false), "bucket_counts");
        break;
      case 7:
        OTLP_RETURN_IF_ERROR_CTX(AppendFixed64s(f, &bounds, true), "explicit_bounds");
        break;
      case 8:
        if (IsLen(f)) {
          OTLP_RETURN_IF_ERROR_CTX(AppendExemplarItem(f.bytes, exemplars.buffer()),
                                   Indexed("exemplars", exemplars.count()));
          exemplars.Added();
        }
        break;
      case 9:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
        break;
      case 10:
        if (IsVarint(f)) p->flags = wire::Uint32Of(f);
        break;
      case 11:
        if (IsFixed64(f)) p->min = wire::DoubleOf(f);
        break;
      case 12:
        if (IsFixed64(f)) p->max = wire::DoubleOf(f);
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  p->attributes = attributes.Finish();
  p->exemplars = exemplars.Finish();
  p->bucket_counts = buckets.Finish();
  p->explicit_bounds = bounds.Finish();
  return Status::OK();
}

// ExponentialHistogramDataPoint: attributes = 1, start_time_unix_nano = 2,
// time_unix_nano = 3, count = 4 (fixed64), optional sum = 5, scale = 6
// (sint32), zero_count = 7 (fixed64), positive = 8, negative = 9 (Buckets:
// offset = 1 (sint32), bucket_counts = 2 (repeated uint64)), flags = 10,
// exemplars = 11, optional min = 12, optional max = 13, zero_threshold = 14.
Status ProtoDecoder::DecodeExponentialHistogramPoint(std::string_view msg, DataPointFields* p) {
  ListBuilder attributes(&attributes_, ListBuilder::Kind::kKvList);
  ListBuilder exemplars(&exemplars_, ListBuilder::Kind::kArray);
  ListBuilder positive(&positive_buckets_, ListBuilder::Kind::kArray);
  ListBuilder negative(&negative_buckets_, ListBuilder::Kind::kArray);
  // Buckets messages repeated on the wire merge: offsets overwrite, counts
  // concatenate.
  auto decode_buckets = [](std::string_view buckets_msg, int64_t* offset, ListBuilder* counts) -> Status {
    wire::Reader reader(buckets_msg);
    Field f;
    while (reader.Next(&f)) {
      if (f.number == 1 && IsVarint(f)) {
        *offset = wire::Sint32Of(f);
      } else if (f.number == 2) {
        OTLP_RETURN_IF_ERROR_CTX(AppendVarints(f, counts), "bucket_counts");
      }
    }
    if (reader.error()) return MalformedProtobuf(reader);
    return Status::OK();
  };
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 1:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
        break;
      case 2:
        if (IsFixed64(f)) p->start_time_unix_nano = f.value;
        break;
      case 3:
        if (IsFixed64(f)) p->time_unix_nano = f.value;
        break;
      case 4:
        if (IsFixed64(f)) p->count = f.value;
        break;
      case 5:
        if (IsFixed64(f)) p->sum = wire::DoubleOf(f);
        break;
      case 6:
        if (IsVarint(f)) p->scale = wire::Sint32Of(f);
        break;
      case 7:
        if (IsFixed64(f)) p->zero_count = f.value;
        break;
      case 8:
        if (IsLen(f)) OTLP_RETURN_IF_ERROR_CTX(decode_buckets(f.bytes, &p->positive_offset, &positive), "positive");
        break;
      case 9:
        if (IsLen(f)) OTLP_RETURN_IF_ERROR_CTX(decode_buckets(f.bytes, &p->negative_offset, &negative), "negative");
        break;
      case 10:
        if (IsVarint(f)) p->flags = wire::Uint32Of(f);
        break;
      case 11:
        if (IsLen(f)) {
          OTLP_RETURN_IF_ERROR_CTX(AppendExemplarItem(f.bytes, exemplars.buffer()),
                                   Indexed("exemplars", exemplars.count()));
          exemplars.Added();
        }
        break;
      case 12:
        if (IsFixed64(f)) p->min = wire::DoubleOf(f);
        break;
      case 13:
        if (IsFixed64(f)) p->max = wire::DoubleOf(f);
        break;
      case 14:
        if (IsFixed64(f)) p->zero_threshold = wire::DoubleOf(f);
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  p->attributes = attributes.Finish();
  p->exemplars = exemplars.Finish();
  p->positive_bucket_counts = positive.Finish();
  p->negative_bucket_counts = negative.Finish();
  return Status::OK();
}

// SummaryDataPoint: start_time_unix_nano = 2, time_unix_nano = 3,
// count = 4 (fixed64), sum = 5 (double), quantile_values = 6
// (ValueAtQuantile: quantile = 1, value = 2, both double), attributes = 7,
// flags = 8.
Status ProtoDecoder::DecodeSummaryPoint(std::string_view msg, DataPointFields* p) {
  ListBuilder attributes(&attributes_, ListBuilder::Kind::kKvList);
  ListBuilder quantiles(&quantiles_, ListBuilder::Kind::kArray);
  p->sum = 0.0;  // not optional in a summary
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 2:
        if (IsFixed64(f)) p->start_time_unix_nano = f.value;
        break;
      case 3:
        if (IsFixed64(f)) p->time_unix_nano = f.value;
        break;
      case 4:
        if (IsFixed64(f)) p->count = f.value;
        break;
      case 5:
        if (IsFixed64(f)) p->sum = wire::DoubleOf(f);
        break;
      case 6:
        if (IsLen(f)) {
          double quantile = 0, value = 0;
          wire::Reader q(f.bytes);
          Field qf;
          while (q.Next(&qf)) {
            if (qf.number == 1 && IsFixed64(qf)) quantile = wire::DoubleOf(qf);
            if (qf.number == 2 && IsFixed64(qf)) value = wire::DoubleOf(qf);
          }
          if (q.error()) return MalformedProtobuf(q).WithContext(Indexed("quantile_values", quantiles.count()));
          AppendQuantile(quantiles.buffer(), quantile, value);
          quantiles.Added();
        }
        break;
      case 7:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes));
        break;
      case 8:
        if (IsVarint(f)) p->flags = wire::Uint32Of(f);
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  p->attributes = attributes.Finish();
  p->quantile_values = quantiles.Finish();
  return Status::OK();
}

// Exemplar: time_unix_nano = 2 (fixed64), as_double = 3, span_id = 4,
// trace_id = 5, as_int = 6 (sfixed64), filtered_attributes = 7.
Status ProtoDecoder::AppendExemplarItem(std::string_view msg, std::string* out) {
  ExemplarFields e;
  ListBuilder attributes(&item_attributes_, ListBuilder::Kind::kKvList);
  wire::Reader reader(msg);
  Field f;
  while (reader.Next(&f)) {
    switch (f.number) {
      case 2:
        if (IsFixed64(f)) e.time_unix_nano = f.value;
        break;
      case 3:
        if (IsFixed64(f)) {
          e.value_kind = ExemplarFields::ValueKind::kDouble;
          e.as_double = wire::DoubleOf(f);
        }
        break;
      case 4:
        if (IsLen(f)) e.span_id = f.bytes;
        break;
      case 5:
        if (IsLen(f)) e.trace_id = f.bytes;
        break;
      case 6:
        if (IsFixed64(f)) {
          e.value_kind = ExemplarFields::ValueKind::kInt;
          e.as_int = wire::Int64Of(f);
        }
        break;
      case 7:
        if (IsLen(f)) OTELSTACK_RETURN_IF_ERROR(AddAttribute(f.bytes, &attributes, "filtered_attributes"));
        break;
    }
  }
  if (reader.error()) return MalformedProtobuf(reader);
  e.filtered_attributes = attributes.Finish();
  AppendExemplar(out, e);
  return Status::OK();
}

}  // namespace otelstack::otlp
