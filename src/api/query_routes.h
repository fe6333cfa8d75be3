// The query API (/api/v2), HyperDX's external API shape, over the embedded
// store. Every route: session cookie or personal key, role viewer or above;
// the Audit source needs admin.
//
//   POST /api/v2/search         rows of one source, newest first
//   POST /api/v2/charts/series  aggregates over time buckets (chart_series.h)
//   GET  /api/v2/traces/:traceId  one trace's spans and logs
//   POST /api/v2/facets         top values of fields
//
// Each query runs with the caller's role limits (query_limits_settings.h) and
// stops when the client disconnects (Request::cancelled); each is recorded in
// the audit query_log (who, what, which source, rows read, duration,
// outcome). Errors are {"error": ...}: 400 for a bad request (parse errors
// say "at position N"), 403 for the Audit source below admin, 404 for an
// unknown source, 429 when a limit in "throw" mode is exceeded, 499 when the
// client went away, 501 for a ClickHouse source. docs/api.md has the
// request and response shapes.
#pragma once

#include "api/route.h"
#include "api/services.h"

namespace otelstack::api {

// Most rows one search may return.
inline constexpr int64_t kMaxSearchLimit = 10'000;
// Most fields and values per field of one facets request.
inline constexpr size_t kMaxFacetFields = 50;
inline constexpr int64_t kMaxFacetValues = 1'000;

// `services` must outlive `routes`.
void AddQueryRoutes(const ApiServices& services, Routes* routes);

}  // namespace otelstack::api
