// POST /api/v2/charts/series in HyperDX's shape.
//
// Request:
//   {"startTime": ms, "endTime": ms, "granularity": "1 minute" | "1m" | "auto",
//    "series": [{"sourceId": "5", "aggFn": "count", "field": "Duration",
//                "level": 0.95, "where": "level:error", "whereLanguage": "lucene",
//                "groupBy": ["ServiceName"]}, ...]}   (1 to 5 series)
// aggFn: count, sum, avg, min, max, count_distinct, p50, p90, p95, p99, and
// quantile with "level" in [0, 1]. Every aggFn but count needs "field". All
// series must have the same groupBy (HyperDX's rule), since their rows are
// joined on (bucket, group).
//
// Response:
//   {"data": [{"ts_bucket": 1647014400000, "group": ["api"],
//              "series_0.data": 42, "series_1.data": 3.5}, ...],
//    "meta": {"rowsRead": N, "partial": false, "partialReason": null, "durationMs": N}}
// One element per (bucket, group) that has rows in some series, ordered by
// bucket, then as series 0 ordered its groups (values ascending); a series
// without rows there has no "series_N.data" key. "group" holds the groupBy
// values in order ([] without groupBy). Values are numbers (null when a
// numeric aggregate saw no numeric value); no bucket is filled in.
#pragma once

#include <cstdint>
#include <string_view>

#include "api/route.h"
#include "api/services.h"
#include "common/status.h"

namespace otelstack::api {

inline constexpr size_t kMaxChartSeries = 5;
// Most buckets one request may ask for.
inline constexpr uint64_t kMaxChartBuckets = 10'000;

// The bucket width in nanoseconds: "auto" (or empty) picks one for
// [from_ns, to_ns] (query::AutoGranularity); otherwise "<N> <unit>" with
// unit second(s), minute(s), hour(s), day(s) (HyperDX: "30 second",
// "1 minute") or "<N><s|m|h|d>" ("30s", "1m"). InvalidArgument
// ("granularity: ...") when malformed or giving more than kMaxChartBuckets.
StatusOr<uint64_t> ParseGranularity(std::string_view text, uint64_t from_ns, uint64_t to_ns);

http::Response HandleChartSeries(const ApiServices& services, Call& call);

}  // namespace otelstack::api
