// Writing parts from rows in memory (flush) and from other parts (merge), in
// bounded memory.
//
// A flush sorts row references by time and gathers them, a granule at a
// time, into granule-sized RowBatches that are encoded and written.
//
// A merge does not re-sort: it copies every granule that is big enough to
// stand alone (at least granule_rows / 2 rows) byte for byte — blocks,
// checksums and skip-index filters — and re-encodes only the rows of the
// small ones (the last, partial granule of each flush), sorted into full
// granules. Output granules are in min_time order and may overlap in time
// (part_format.h). So a row is encoded once when flushed and, unless it sat
// in a small granule, never again: merges cost about what their I/O costs.
// Memory: one granule, plus the decoded small granules (parts written here
// hold at most one each). A granule of a part that stores another schema
// (written before a column was added) is decoded and re-encoded alone.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "store/schema/row_batch.h"

namespace otelstack {

// A row reference with its time, for sorting rows across batches.
struct TimedRowRef {
  uint64_t time;
  RowRef ref;
};

// Sorts `rows` by time; ties keep batch/row order, so the result is
// deterministic.
void SortByTime(std::vector<TimedRowRef>* rows);

// Writes `rows` (sorted by time) of `sources` as a new part of `signal` at
// `path`. REQUIRES: rows not empty; every referenced source is of `signal`
// (others may be in `sources`, unreferenced).
Status WriteRowsAsPart(const std::string& path, Signal signal, std::span<const RowBatch* const> sources,
                       std::span<const TimedRowRef> rows, const PartWriteOptions& options, PartInfo* info);

// Merges the rows of `inputs` (parts of one signal) into one part at `path`,
// as described above. When `cancel` (may be null) becomes true the merge
// stops between granules with Unavailable and leaves no file behind.
Status MergeParts(std::span<const PartReader* const> inputs, const std::string& path, const PartWriteOptions& options,
                  PartInfo* info, const std::atomic<bool>* cancel = nullptr);

}  // namespace otelstack
