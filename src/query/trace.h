// Trace assembly: every span of one trace id plus the logs that carry it,
// oldest first, found through the trace-id skip index (store/skip_index).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "query/execution/limits.h"
#include "query/search.h"
#include "store/snapshot.h"

namespace otelstack::query {

// At most this many spans and logs each (a runaway trace stays bounded).
inline constexpr size_t kMaxTraceRows = 100'000;

struct TraceResult {
  std::vector<std::string> spans;  // row JSON (row_json.h), oldest first
  std::vector<std::string> logs;
  bool truncated = false;  // more than kMaxTraceRows spans or logs
};

// `snapshot` must hold the traces and logs signals. `raw_trace_id` is the 16
// raw bytes.
Status AssembleTrace(const StoreSnapshot& snapshot, std::string_view raw_trace_id, const QueryLimits& limits,
                     TraceResult* out);

// The assembly over any backend: `search` runs a newest-first search
// (search.h semantics) of one signal; AssembleTrace above is this over a
// snapshot, and the ClickHouse engine (clickhouse/engine.h) over SQL.
// `with_logs` false leaves out.logs empty (a backend without a logs table).
using TraceSearch = std::function<Status(const SearchRequest& request,
                                         const std::function<void(const RowBatch& batch, size_t row)>& emit)>;
Status AssembleTraceWith(const TraceSearch& search, bool with_logs, std::string_view raw_trace_id,
                         const QueryLimits& limits, TraceResult* out);

}  // namespace otelstack::query
