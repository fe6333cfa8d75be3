#include "query/metric_series.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/any_value.h"
#include "query/aggregate.h"

namespace otelstack::query {
namespace {

SeriesPoint Counter(uint64_t t, double v, uint64_t start = 1, bool cumulative = true) {
  SeriesPoint p;
  p.time = t;
  p.value = v;
  p.start_time = start;
  p.cumulative = cumulative;
  return p;
}

std::vector<std::pair<uint64_t, double>> Increases(std::vector<SeriesPoint> points) {
  std::vector<std::pair<uint64_t, double>> out;
  ForEachCounterIncrease(&points, [&](uint64_t t, double d) { out.emplace_back(t, d); });
  return out;
}

using Incs = std::vector<std::pair<uint64_t, double>>;

TEST(MetricSeriesTest, CumulativeCountersGiveIncreasesAndSurviveResets) {
  // Unsorted input; the first point has no previous one.
  EXPECT_EQ(Increases({Counter(30, 25), Counter(10, 10), Counter(20, 15)}), (Incs{{20, 5}, {30, 10}}));
  // A smaller total is a reset: the whole new total is the increase.
  EXPECT_EQ(Increases({Counter(10, 100), Counter(20, 120), Counter(30, 7)}), (Incs{{20, 20}, {30, 7}}));
  // A new start time is a reset even when the total grew.
  EXPECT_EQ(Increases({Counter(10, 100, 1), Counter(20, 150, 15)}), (Incs{{20, 150}}));
  // Delta points are increases already.
  EXPECT_EQ(Increases({Counter(10, 4, 1, false), Counter(20, 6, 1, false)}), (Incs{{10, 4}, {20, 6}}));
}

TEST(MetricSeriesTest, HistogramQuantileInterpolatesInsideTheBucket) {
  HistogramBuckets b;
  AddHistogram({10, 20, 40}, {10, 30, 60, 0}, &b);   // 100 observations
  EXPECT_DOUBLE_EQ(HistogramQuantile(b, 0.05), 5);   // rank 5 in [0, 10]
  EXPECT_DOUBLE_EQ(HistogramQuantile(b, 0.25), 15);  // rank 25: 10 + 10 * 15/30
  EXPECT_DOUBLE_EQ(HistogramQuantile(b, 0.7), 30);   // rank 70: 20 + 20 * 30/60
  AddHistogram({10, 20, 40}, {0, 0, 0, 100}, &b);    // 100 more above 40
  EXPECT_DOUBLE_EQ(HistogramQuantile(b, 0.99), 40);  // in +Inf: its lower bound
  EXPECT_TRUE(std::isnan(HistogramQuantile(HistogramBuckets{}, 0.5)));
}

TEST(MetricSeriesTest, CumulativeHistogramsUseIncreases) {
  auto point = [](uint64_t t, std::vector<double> counts) {
    SeriesPoint p;
    p.time = t;
    p.start_time = 1;
    p.bounds = {1, 2};
    p.counts = std::move(counts);
    return p;
  };
  std::vector<SeriesPoint> points = {point(10, {5, 5, 0}), point(20, {5, 9, 1})};
  HistogramBuckets b;
  ForEachHistogramIncrease(&points, [&](uint64_t t, const std::vector<double>& bounds, const std::vector<double>& c) {
    EXPECT_EQ(t, 20u);
    AddHistogram(bounds, c, &b);
  });
  EXPECT_EQ(b[1], 0);
  EXPECT_EQ(b[2], 4);
  EXPECT_EQ(b[INFINITY], 1);
}

// rate(Value) through the chart engine: two series of one counter, buckets
// of 10 ns (rates are per second, so per-bucket rates are increase / 1e-8).
TEST(MetricSeriesTest, RateThroughChart) {
  auto batch = std::make_shared<RowBatch>(Signal::kMetrics);
  auto add = [&](uint64_t t, const char* host, double v) {
    batch->SetU64(metrics_col::kTimeUnix, t);
    batch->SetU64(metrics_col::kStartTimeUnix, 1);
    batch->SetBytes(metrics_col::kMetricName, "requests");
    batch->SetBytes(metrics_col::kMetricType, "Sum");
    batch->SetI64(metrics_col::kAggregationTemporality, 2);
    batch->SetF64(metrics_col::kValue, v);
    std::string attrs;
    size_t h = anyvalue::BeginKvList(&attrs);
    anyvalue::AppendKey(&attrs, "host");
    anyvalue::AppendString(&attrs, host);
    anyvalue::EndList(&attrs, h, 1);
    batch->SetBytes(metrics_col::kAttributes, attrs);
    batch->FinishRow();
  };
  add(1, "a", 100);
  add(12, "a", 110);
  add(15, "a", 130);
  add(2, "b", 5);
  add(13, "b", 6);
  add(25, "b", 8);
  StoreSnapshot snap;
  snap.unflushed.push_back(batch);

  ChartRequest req;
  req.signal = Signal::kMetrics;
  req.granularity_ns = 10;
  AggSpec rate;
  ASSERT_TRUE(ParseAggSpec("rate(Value)", &rate).ok());
  req.aggregates = {rate};
  ChartResult result;
  ASSERT_TRUE(Chart(snap, req, &result).ok());
  ASSERT_EQ(result.rows.size(), 3u);  // buckets 0 (no increase yet), 10, 20
  EXPECT_EQ(result.rows[0].values[0].kind, Cell::Kind::kNull);
  EXPECT_DOUBLE_EQ(result.rows[1].values[0].d, (10 + 20 + 1) / 1e-8);  // a: +10 +20, b: +1
  EXPECT_DOUBLE_EQ(result.rows[2].values[0].d, 2 / 1e-8);              // b: +2

  req.signal = Signal::kLogs;
  EXPECT_EQ(Chart(snap, req, &result).code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace otelstack::query
