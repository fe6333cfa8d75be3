// QueryBackend: one interface over the two places telemetry can be queried,
// so callers (the API's query routes, the CLI's search/chart/facets/trace)
// run the same request on either:
//   - the embedded store, through a StoreSnapshot (search.h, aggregate.h,
//     facets.h, trace.h);
//   - a ClickHouse server, through SQL (clickhouse/engine.h).
// Both promise the same results for the same rows.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "clickhouse/http_client.h"
#include "clickhouse/table_layout.h"
#include "common/status.h"
#include "query/aggregate.h"
#include "query/facets.h"
#include "query/search.h"
#include "query/trace.h"

namespace otelstack::query {

class QueryBackend {
 public:
  virtual ~QueryBackend() = default;
  virtual Status Search(const SearchRequest& request, const std::function<void(const RowBatch&, size_t)>& emit,
                        ScanStats* stats) const = 0;
  virtual Status Chart(const ChartRequest& request, ChartResult* out) const = 0;
  virtual Status Facets(const FacetsRequest& request, std::vector<Facet>* out, ScanStats* stats) const = 0;
  // Spans and logs of one trace (logs only where the backend has them).
  virtual Status AssembleTrace(std::string_view raw_trace_id, const QueryLimits& limits, TraceResult* out) const = 0;
};

// The embedded engine over `snapshot` (it must hold the signals queried;
// AssembleTrace needs traces and logs).
std::unique_ptr<QueryBackend> MakeEmbeddedBackend(StoreSnapshot snapshot);

// ClickHouse through `client` (kept by the backend) with one table mapping
// per signal; a null mapping makes queries of that signal fail with
// FailedPrecondition (and AssembleTrace skip logs).
struct ClickHouseTables {
  std::unique_ptr<clickhouse::ReadMapping> logs, traces, metrics;
};
std::unique_ptr<QueryBackend> MakeClickHouseBackend(std::unique_ptr<clickhouse::Client> client, ClickHouseTables tables,
                                                    bool cancel_on_close);

// Connects to the server (asks its version), picks the table layout from it
// (clickhouse::FeaturesOf(...).modern_schema()) and maps otelstack's tables
// of `schema` (schema.layout is overwritten), reading the columns a table
// lacks (clickhouse::DescribeTables, e.g. tables written by the OTel
// collector) as zero values. `mappings` maps the tables of the signals it
// names with a user column mapping (clickhouse::MakeMappedReadMapping; its
// InvalidArgument errors name the column). Errors of the version or column
// query.
StatusOr<std::unique_ptr<QueryBackend>> ConnectClickHouseBackend(
    const clickhouse::ConnectionOptions& connection, clickhouse::SchemaOptions schema,
    const std::map<Signal, clickhouse::ColumnMapping>& mappings = {});

}  // namespace otelstack::query
