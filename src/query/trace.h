// Trace assembly: every span of one trace id plus the logs that carry it,
// oldest first, found through the trace-id skip index (store/skip_index).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "query/execution/limits.h"
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

}  // namespace otelstack::query
