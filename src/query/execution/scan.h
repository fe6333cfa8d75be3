// Scan: runs a compiled filter over the granules of a snapshot, in parallel.
//
// Units of work are part granules and unflushed in-memory batches. Units
// outside the time range are never read. The others are visited newest first
// (by their max time) by `threads` workers. For each unit a worker asks, in
// order: `skip(unit)`, so a top-N search stops early once nothing older can
// change its answer; then, for part granules, the filter's skip index check
// (ruled out: counted in granules_skipped, not read); the limits (limits.h).
// It then reads only the filter's columns plus `extra_columns` (and the time
// column, unless the unit lies wholly inside the range and the request says
// the visitor does not need it), narrows the rows to the time range and the
// filter, and hands them to the visitor. The
// skip index is consulted this late so that units `skip` rules out cost
// nothing (their filters are never loaded or checksummed). The first error
// stops all workers.
//
// The visitor and skip callbacks run concurrently on the worker threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "common/status.h"
#include "query/execution/filter.h"
#include "query/execution/limits.h"
#include "store/snapshot.h"

namespace otelstack::query {

struct ScanUnit {
  const PartReader* reader = nullptr;  // a part granule, or
  size_t granule = 0;
  std::shared_ptr<const RowBatch> unflushed;  // an in-memory batch
  uint64_t min_time = 0;
  uint64_t max_time = 0;
  uint64_t rows = 0;
};

struct ScanRequest {
  Signal signal = Signal::kLogs;
  uint64_t from_ns = 0;  // inclusive
  uint64_t to_ns = UINT64_MAX;
  const CompiledFilter* filter = nullptr;  // REQUIRED
  std::vector<size_t> extra_columns;       // read besides the filter's
  // False: the visitor never reads the time column (unless it is among the
  // filter's or the extra columns), so units wholly inside [from_ns, to_ns]
  // are read without it: Time() must not be called on their batches.
  bool visitor_reads_time = true;
  // Attribute-map columns the filter reads only by key (planner/binder.h
  // KeyOnlyAttributeMaps): part granules may decode just those keys'
  // entries. Ignored for a column that is also among extra_columns, since
  // the visitor may read it whole.
  std::vector<ColumnKeys> filter_key_projections;
  // Attribute-map columns the filter reads only for free text (planner/
  // binder.h TextOnlyAttributeMaps): a part granule that stores one shredded
  // leaves it out of the batch, and the filter reads its values field by
  // field instead of every row's rebuilt map. Ignored for a column that is
  // also among extra_columns. Such a column may be absent from the batches
  // the visitor gets.
  std::vector<size_t> filter_text_only_maps;
  QueryLimits limits;
  unsigned threads = 0;  // 0: hardware concurrency
};

// Called with a unit's batch (holding at least the requested columns) and
// the matching rows (ascending, non-empty).
using ScanVisitor = std::function<Status(const ScanUnit& unit, const std::shared_ptr<const RowBatch>& batch,
                                         const std::vector<uint32_t>& rows)>;
using ScanSkip = std::function<bool(const ScanUnit& unit)>;

Status Scan(const StoreSnapshot& snapshot, const ScanRequest& request, const ScanSkip& skip, const ScanVisitor& visit,
            ScanStats* stats);

// A query bound to a signal (planner/binder.h), compiled, and wrapped in a
// scan request: what every reader (search, charts) starts from. Not copyable
// or movable: `request.filter` points at `filter`, which points at `bound`.
struct PreparedScan {
  PreparedScan() = default;
  PreparedScan(const PreparedScan&) = delete;
  PreparedScan& operator=(const PreparedScan&) = delete;

  BoundFilter bound;
  std::unique_ptr<CompiledFilter> filter;
  ScanRequest request;  // extra_columns empty: callers add what they read
};
Status PrepareScan(Signal signal, uint64_t from_ns, uint64_t to_ns, const ast::Node* query, const QueryLimits& limits,
                   unsigned threads, PreparedScan* out);

}  // namespace otelstack::query
