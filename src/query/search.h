// Simple filtered search over a StoreSnapshot, newest first.
//
// This is the first query path (the `otelstack search` command): a time range
// plus optional exact filters, returning the newest `limit` matching rows.
// Granules are visited newest first (by their max time) and the scan stops
// once `limit` rows are held and no unvisited granule can hold a newer row.
// The HyperDX-style query language builds on this in a later issue.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>

#include "common/status.h"
#include "store/snapshot.h"

namespace otelstack::query {

struct SearchRequest {
  Signal signal = Signal::kLogs;
  uint64_t from_ns = 0;                                     // inclusive
  uint64_t to_ns = std::numeric_limits<uint64_t>::max();    // inclusive
  std::string contains;     // case-insensitive substring: logs Body, traces SpanName, metrics MetricName
  std::string service;      // exact ServiceName
  std::string trace_id;     // raw 16 bytes (logs and traces)
  size_t limit = 100;
};

// Calls `emit` for each result row, newest first (ties in undefined order).
Status Search(const StoreSnapshot& snapshot, const SearchRequest& request,
              const std::function<void(const RowBatch& batch, size_t row)>& emit);

}  // namespace otelstack::query
