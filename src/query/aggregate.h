// Aggregations for charts: count, sum, avg, min, max, quantiles and distinct
// counts over the rows matching a query, grouped by time bucket and by any
// fields, with the top-K groups kept and the rest folded into "other".
//
// Semantics (the contract of `otelstack chart` and of the chart API):
//  - Numeric aggregates read their field as a number: numeric columns as they
//    are, strings (e.g. attributes) parsed as decimal numbers; values that are
//    missing or not numbers are skipped. An aggregate over no values is null
//    (count and count_distinct are 0).
//  - quantile(p) is exact: the value at index floor(p * n) of the sorted
//    values (n - 1 when p >= 1), as ClickHouse's quantileExact.
//  - count_distinct counts distinct text forms (64-bit hashes; a collision
//    is astronomically unlikely below billions of values).
//  - Buckets start at multiples of the granularity since the epoch (UTC).
//  - Group values: text forms for string, id and Any columns and for
//    attributes (a missing attribute groups as ""), numbers for numeric
//    columns.
//  - top_k > 0 keeps the top_k groups with the largest first aggregate over
//    the whole range (ties by group value); other groups are merged into one
//    group whose values are all null.
//  - rate(Value): the summed increase of the counter series in a bucket
//    (metric_series.h: per series, resets handled) divided by the bucket's
//    seconds (the whole time range without buckets). Needs a bounded range
//    or a granularity.
//  - histogram_quantile(p): the histogram points' bucket counts (increases
//    of cumulative series) summed per bucket and group, then interpolated.
//  - Rows come ordered by bucket, then group values ascending (null last).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/execution/limits.h"
#include "query/parser/ast.h"
#include "query/planner/bound_query.h"
#include "store/snapshot.h"

namespace otelstack::query {

enum class AggFunction : uint8_t {
  kCount,
  kSum,
  kAvg,
  kMin,
  kMax,
  kQuantile,
  kCountDistinct,
  kRate,               // metrics: per-second increase of counters (Sum/Gauge Value), metric_series.h
  kHistogramQuantile,  // metrics: quantile of histogram points (BucketCounts/ExplicitBounds)
};

struct AggSpec {
  AggFunction function = AggFunction::kCount;
  double level = 0.5;  // kQuantile
  ast::Field field;    // all but kCount
  std::string name;    // canonical, e.g. "count", "p99(Duration)", "sum(Duration)"
};

// Parses "count", "sum(F)", "avg(F)", "min(F)", "max(F)", "p50(F)" .. "p99(F)"
// (any pNN or pNN.N), "quantile(0.95,F)", "count_distinct(F)", and for
// metrics "rate(Value)" and "histogram_quantile(0.95)".
Status ParseAggSpec(std::string_view text, AggSpec* out);

// A typed output cell.
struct Cell {
  enum class Kind : uint8_t { kNull, kInt, kDouble, kString };
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double d = 0;
  std::string s;
};

struct ChartRequest {
  Signal signal = Signal::kLogs;
  uint64_t from_ns = 0;
  uint64_t to_ns = std::numeric_limits<uint64_t>::max();
  const ast::Node* query = nullptr;
  std::vector<AggSpec> aggregates;  // at least one
  std::vector<ast::Field> group_by;
  uint64_t granularity_ns = 0;  // 0: no time buckets
  size_t top_k = 10;            // 0: every group
  QueryLimits limits;
  unsigned threads = 0;
};

// The order of cells in chart output (rows, top-K ties): nulls last, numbers
// (ints and doubles compared by value) before strings, strings bytewise.
bool CellLess(const Cell& a, const Cell& b);

struct ChartRow {
  std::optional<uint64_t> bucket;  // start, ns (when the request has a granularity)
  std::vector<Cell> group;         // one per group_by field; all null for "other"
  std::vector<Cell> values;        // one per aggregate
};

struct ChartResult {
  std::vector<std::string> columns;  // ["bucket"], group-by fields, aggregate names
  // Per column, the unit of its values when the schema knows one ("ns" for
  // span Duration and values derived from it, like p99(Duration)), else "".
  std::vector<std::string> units;
  std::vector<ChartRow> rows;
  ScanStats stats;
};

Status Chart(const StoreSnapshot& snapshot, const ChartRequest& request, ChartResult* out);

// Fills out->columns and out->units for `request` (both engines' charts):
// "bucket" when there is a granularity, then the group-by fields (`groups`,
// bound), then the aggregates (`args`: their bound fields; sum, avg, min, max
// and quantiles keep their field's unit).
void SetChartColumns(const ChartRequest& request, const std::vector<ValueSource>& groups,
                     const std::vector<ValueSource>& args, ChartResult* out);

// A granularity giving at most about `max_buckets` buckets over [from, to]
// from the ladder 1s 5s 10s 15s 30s 1m 5m 10m 15m 30m 1h 2h 3h 6h 12h 1d 7d.
uint64_t AutoGranularity(uint64_t from_ns, uint64_t to_ns, uint64_t max_buckets = 120);

}  // namespace otelstack::query
