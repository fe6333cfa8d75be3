// Search: the newest `limit` rows of a signal matching a query.
//
// Two phases. The scan (execution/scan.h) reads only the filter's columns,
// visiting granules newest first on several threads; matches go into a shared
// top-N heap, and a granule is skipped once the heap is full and the granule
// holds nothing newer than the oldest row kept (early termination). Then the
// full rows of the final hits are gathered (execution/row_gather.h: the
// filter's columns come from the scan's batches, the others are decoded in
// parallel) and emitted newest first from one batch holding just those rows
// (rows with equal timestamps in unspecified order).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>

#include "common/status.h"
#include "query/execution/limits.h"
#include "query/parser/ast.h"
#include "store/snapshot.h"

namespace otelstack::query {

struct SearchRequest {
  Signal signal = Signal::kLogs;
  uint64_t from_ns = 0;                                   // inclusive
  uint64_t to_ns = std::numeric_limits<uint64_t>::max();  // inclusive
  const ast::Node* query = nullptr;                       // null: every row
  size_t limit = 100;
  QueryLimits limits;
  unsigned threads = 0;  // 0: hardware concurrency
};

// Calls `emit` for each result row, newest first. *stats (may be null) tells
// what was read and whether the result is partial (a limit in break mode).
Status Search(const StoreSnapshot& snapshot, const SearchRequest& request,
              const std::function<void(const RowBatch& batch, size_t row)>& emit, ScanStats* stats = nullptr);

}  // namespace otelstack::query
