// Writing sorted parts from rows in memory (flush) and from other parts
// (merge), in bounded memory.
//
// Both build the output one granule at a time through PartWriter: the rows of
// the next granule are chosen (by a sort of row references for a flush, by a
// k-way merge of the inputs' granules for a merge), gathered column by column
// into a granule-sized RowBatch, encoded and written. Memory is therefore one
// output granule plus, for a merge, one decoded granule per input — never a
// sorted copy of everything.
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

// Merges the rows of `inputs` (parts of one signal) into one time-sorted part
// at `path`. When `cancel` (may be null) becomes true the merge stops between
// granules with Unavailable and leaves no file behind.
Status MergeParts(std::span<const PartReader* const> inputs, const std::string& path,
                  const PartWriteOptions& options, PartInfo* info, const std::atomic<bool>* cancel = nullptr);

}  // namespace otelstack
