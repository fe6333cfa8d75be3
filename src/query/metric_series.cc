#include "query/metric_series.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/any_value.h"

namespace otelstack::query {

namespace {

constexpr int64_t kTemporalityCumulative = 2;  // OTLP AggregationTemporality

Status ReadNumberArray(std::string_view encoded, std::vector<double>* out) {
  out->clear();
  if (encoded.empty()) return Status::OK();
  anyvalue::Value list;
  OTELSTACK_RETURN_IF_ERROR(anyvalue::ParseListHead(encoded, &list));
  if (list.tag != anyvalue::Tag::kArray) return Status::Corruption("histogram: expected an array");
  anyvalue::ListReader items(list);
  std::string_view key;
  anyvalue::Value item;
  while (items.Next(&key, &item)) {
    if (item.tag == anyvalue::Tag::kInt) {
      out->push_back(static_cast<double>(item.i));
    } else if (item.tag == anyvalue::Tag::kDouble) {
      out->push_back(item.d);
    } else {
      return Status::Corruption("histogram: expected numbers");
    }
  }
  return items.status();
}

bool IsReset(const SeriesPoint& previous, const SeriesPoint& p) { return p.start_time != previous.start_time; }

}  // namespace

uint64_t SeriesKeyOf(const RowBatch& b, size_t row) {
  // Chained: each column's hash seeds the next, so ("ab","c") != ("a","bc").
  uint64_t h = 0;
  for (size_t col : {metrics_col::kMetricName, metrics_col::kScopeName, metrics_col::kAttributes,
                     metrics_col::kResourceAttributes}) {
    std::string_view v = b.Bytes(col, row);
    h = XXH3_64bits_withSeed(v.data(), v.size(), h + 0x9e3779b97f4a7c15ULL);
  }
  return h;
}

bool ReadCounterPoint(const RowBatch& b, size_t row, SeriesPoint* out) {
  std::string_view type = b.Bytes(metrics_col::kMetricType, row);
  if (type != "Sum" && type != "Gauge") return false;
  out->time = b.Time(row);
  out->start_time = b.U64(metrics_col::kStartTimeUnix, row);
  out->cumulative = b.I64(metrics_col::kAggregationTemporality, row) == kTemporalityCumulative;
  out->value = b.F64(metrics_col::kValue, row);
  return true;
}

Status ReadHistogramPoint(const RowBatch& b, size_t row, SeriesPoint* out, bool* is_histogram) {
  *is_histogram = b.Bytes(metrics_col::kMetricType, row) == "Histogram";
  if (!*is_histogram) return Status::OK();
  out->time = b.Time(row);
  out->start_time = b.U64(metrics_col::kStartTimeUnix, row);
  out->cumulative = b.I64(metrics_col::kAggregationTemporality, row) == kTemporalityCumulative;
  OTELSTACK_RETURN_IF_ERROR(ReadNumberArray(b.Bytes(metrics_col::kExplicitBounds, row), &out->bounds));
  OTELSTACK_RETURN_IF_ERROR(ReadNumberArray(b.Bytes(metrics_col::kBucketCounts, row), &out->counts));
  if (out->counts.size() != out->bounds.size() + 1) *is_histogram = false;  // malformed point: ignored
  return Status::OK();
}

void ForEachCounterIncrease(std::vector<SeriesPoint>* points,
                            const std::function<void(uint64_t time, double increase)>& emit) {
  std::sort(points->begin(), points->end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  for (size_t i = 0; i < points->size(); ++i) {
    const SeriesPoint& p = (*points)[i];
    if (!p.cumulative) {
      emit(p.time, p.value);
    } else if (i > 0) {
      const SeriesPoint& prev = (*points)[i - 1];
      bool reset = IsReset(prev, p) || p.value < prev.value;
      emit(p.time, reset ? p.value : p.value - prev.value);
    }
  }
}

void ForEachHistogramIncrease(
    std::vector<SeriesPoint>* points,
    const std::function<void(uint64_t, const std::vector<double>&, const std::vector<double>&)>& emit) {
  std::sort(points->begin(), points->end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  std::vector<double> increase;
  for (size_t i = 0; i < points->size(); ++i) {
    const SeriesPoint& p = (*points)[i];
    if (!p.cumulative) {
      emit(p.time, p.bounds, p.counts);
      continue;
    }
    if (i == 0) continue;
    const SeriesPoint& prev = (*points)[i - 1];
    bool reset = IsReset(prev, p) || prev.bounds != p.bounds;
    increase = p.counts;
    for (size_t k = 0; !reset && k < increase.size(); ++k) {
      if (increase[k] < prev.counts[k]) reset = true;
      increase[k] -= prev.counts[k];
    }
    emit(p.time, p.bounds, reset ? p.counts : increase);
  }
}

void AddHistogram(const std::vector<double>& bounds, const std::vector<double>& counts, HistogramBuckets* into) {
  for (size_t k = 0; k < counts.size(); ++k) {
    double upper = k < bounds.size() ? bounds[k] : std::numeric_limits<double>::infinity();
    (*into)[upper] += counts[k];
  }
}

double HistogramQuantile(const HistogramBuckets& buckets, double p) {
  double total = 0;
  for (const auto& [upper, count] : buckets) total += count;
  if (total <= 0) return std::numeric_limits<double>::quiet_NaN();
  double rank = std::clamp(p, 0.0, 1.0) * total;
  double below = 0;
  double lower = 0;
  bool first = true;
  for (const auto& [upper, count] : buckets) {
    double bucket_lower = first ? (upper > 0 ? 0 : upper) : lower;
    if (below + count >= rank && count > 0) {
      if (std::isinf(upper)) return bucket_lower;
      return bucket_lower + (upper - bucket_lower) * ((rank - below) / count);
    }
    below += count;
    lower = upper;
    first = false;
  }
  return lower;
}

}  // namespace otelstack::query
