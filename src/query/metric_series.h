// Metric series: turning stored metric points into increases, for the rate
// of counters and quantiles of histograms (aggregate.h).
//
// A series is one metric stream: the same MetricName, ScopeName, Attributes
// and ResourceAttributes. Points of a cumulative series carry running totals;
// the increase at a point is its total minus the previous point's, or the
// whole total after a reset (a smaller total or a new StartTimeUnix). The
// first point of a cumulative series in the queried range has no previous
// point and contributes no increase. Points of a delta series are increases
// already.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "common/status.h"
#include "store/schema/row_batch.h"

namespace otelstack::query {

struct SeriesPoint {
  uint64_t time = 0;
  uint64_t start_time = 0;
  bool cumulative = true;
  double value = 0;            // counters: the point's value
  std::vector<double> bounds;  // histograms: explicit upper bounds
  std::vector<double> counts;  // histograms: bucket counts (bounds.size() + 1)
};

// The series identity of a metrics row (a 64-bit hash).
uint64_t SeriesKeyOf(const RowBatch& metrics, size_t row);

// Reads a counter point (Value) or a histogram point (BucketCounts,
// ExplicitBounds) of a metrics row. Returns false for rows of other kinds.
bool ReadCounterPoint(const RowBatch& metrics, size_t row, SeriesPoint* out);
Status ReadHistogramPoint(const RowBatch& metrics, size_t row, SeriesPoint* out, bool* is_histogram);

// Sorts `points` (one series) by time and calls emit(time, increase) for each
// point that has one.
void ForEachCounterIncrease(std::vector<SeriesPoint>* points,
                            const std::function<void(uint64_t time, double increase)>& emit);
// Likewise for histograms: emit(time, bounds, per-bucket increases). A point
// whose bounds differ from the previous point's starts over (a reset).
void ForEachHistogramIncrease(std::vector<SeriesPoint>* points,
                              const std::function<void(uint64_t time, const std::vector<double>& bounds,
                                                       const std::vector<double>& counts)>& emit);

// Buckets keyed by upper bound (+infinity for the last), merged across points.
using HistogramBuckets = std::map<double, double>;
void AddHistogram(const std::vector<double>& bounds, const std::vector<double>& counts, HistogramBuckets* into);
// The p-quantile by linear interpolation inside the bucket that holds it (the
// lower bound of the first bucket is 0 when its upper bound is positive; a
// quantile in the +Inf bucket is that bucket's lower bound). NaN when empty.
double HistogramQuantile(const HistogramBuckets& buckets, double p);

}  // namespace otelstack::query
