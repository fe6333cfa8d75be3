// The query engine on ClickHouse: search, charts, facets and trace assembly
// with the request and result types of the embedded engine (search.h,
// aggregate.h, facets.h, trace.h) and the same results, computed by SQL that
// ClickHouse 18.16 and later runs.
//
// Requires: `source.client` and `source.mapping` outlive the call; the
// request's signal is the mapping's signal. Every statement touches the
// tables only through the ReadMapping (clickhouse/table_layout.h), so it
// reads both table layouts and user-mapped tables alike.
//
// Promises, beyond the embedded contracts:
//  - Limits (execution/limits.h) become settings of every statement
//    (max_rows_to_read/read_overflow_mode, max_execution_time/
//    timeout_overflow_mode); the cancel flag is handed to the client, which
//    drops the connection (and ClickHouse cancels the query when the server
//    supports cancel_http_readonly_queries_on_client_close). A limit in throw
//    mode fails with ResourceExhausted.
//  - ScanStats: rows_read as ClickHouse reports it (charts and facets; a
//    search and a trace report the rows they return, ClickHouse 18.16 sends
//    no read statistics with RowBinary); partial when a limit in break mode
//    was reached (charts and facets: ClickHouse read more rows than the limit
//    or ran out of time). Granule counts stay 0.
//  - rate() and histogram_quantile() fetch the matching metric points (only
//    the filter runs in ClickHouse) and aggregate them with the embedded
//    code (metric_series.h), so results are identical by construction.
//  - Errors: what the client returns (clickhouse/http_client.h), with the
//    operation as context.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "clickhouse/http_client.h"
#include "clickhouse/table_layout.h"
#include "common/status.h"
#include "query/aggregate.h"
#include "query/facets.h"
#include "query/search.h"
#include "query/trace.h"

namespace otelstack::query::ch {

struct ClickHouseSource {
  const clickhouse::Client* client = nullptr;
  const clickhouse::ReadMapping* mapping = nullptr;
  // The server knows cancel_http_readonly_queries_on_client_close (19.1+,
  // clickhouse::ServerFeatures::cancel_on_close); older servers reject it.
  bool cancel_on_close = false;
};

Status Search(const ClickHouseSource& source, const SearchRequest& request,
              const std::function<void(const RowBatch& batch, size_t row)>& emit, ScanStats* stats = nullptr);

Status Chart(const ClickHouseSource& source, const ChartRequest& request, ChartResult* out);

Status Facets(const ClickHouseSource& source, const FacetsRequest& request, std::vector<Facet>* out,
              ScanStats* stats = nullptr);

// `traces` and `logs` map the traces and logs signals (logs.mapping may be
// null: no logs).
Status AssembleTrace(const ClickHouseSource& traces, const ClickHouseSource& logs, std::string_view raw_trace_id,
                     const QueryLimits& limits, TraceResult* out);

}  // namespace otelstack::query::ch
