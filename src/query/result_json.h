// JSON renderings of query results: the output contract of `otelstack chart`,
// `facets` and `trace`, and of the matching API routes.
//
//   chart  : {"granularity_seconds":60 (only with buckets),
//             "columns":["bucket","ServiceName","count"],
//             "units":{"p99(Duration)":"ns"} (only when some column has a unit),
//             "rows":[["2026-11-20T10:01:00Z","api",42],...],
//             "partial":false, "partial_reason":"..." (only when partial),
//             "rows_read":N, "granules_read":N, "granules_skipped":N}
//   facets : {"facets":[{"field":"ServiceName","values":[{"value":"api","count":12},...]}],
//             "partial":false, "rows_read":N}
//   trace  : {"trace_id":"<hex>","spans":[row...],"logs":[row...],"truncated":false}
//
// Buckets are RFC 3339 UTC to the second (with a fraction only for sub-second
// granularities); cells are JSON numbers, strings or null.
#pragma once

#include <string>
#include <vector>

#include "query/aggregate.h"
#include "query/facets.h"
#include "query/trace.h"

namespace otelstack::query {

std::string ChartJson(const ChartResult& result, uint64_t granularity_ns);
std::string FacetsJson(const std::vector<Facet>& facets, const ScanStats& stats);
std::string TraceJson(std::string_view trace_id_hex, const TraceResult& trace);

// "2026-11-20T10:01:00Z" (a fraction only when `time_ns` has one).
std::string FormatBucket(uint64_t time_ns);

}  // namespace otelstack::query
