// Row gathering: the whole rows behind a scan's hits (phase two of a search).
//
// A search's scan reads only its filter's columns; the rows it keeps must
// then be read whole. Column blocks are compressed a granule at a time, so
// each granule with a hit costs a decompression of every column's block,
// whatever the number of hits in it. GatherRows spends that cost well:
//   - the columns the scan already decoded whole for a granule are taken from
//     the scan's batch instead of being decoded again;
//   - the others are decoded for the hit rows only (PartReader::
//     ReadGranuleRows): attribute maps and bodies, the costly columns to
//     rebuild, are rebuilt for those rows and only read past for the rest;
//   - the remaining (granule, column) decodes run on `threads` workers;
//   - granules are decoded a few at a time and dropped once their hit rows
//     are copied out, so memory stays bounded by that window, not by the
//     number of granules with hits.
// The result is one compact batch holding exactly the requested rows.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "common/status.h"
#include "query/execution/scan.h"

namespace otelstack::query {

// One row to gather: row `row` of `unit`. `scanned` (may be null) is the
// batch the scan read for that unit, holding at least the columns passed to
// GatherRows as `scanned_columns` whole (for an unflushed unit, the unit's
// batch is used and holds everything).
struct GatherRow {
  ScanUnit unit;
  uint32_t row = 0;
  std::shared_ptr<const RowBatch> scanned;
};

// Fills *out (made a batch of `signal`) with every column of rows[i] as its
// row i. `threads` 0: hardware concurrency. On error *out is unspecified.
Status GatherRows(Signal signal, std::span<const GatherRow> rows, std::span<const size_t> scanned_columns,
                  unsigned threads, RowBatch* out);

}  // namespace otelstack::query
