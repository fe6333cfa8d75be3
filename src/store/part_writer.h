// WritePart: persists a sorted RowBatch as an immutable part file (layout in
// part_format.h).
//
// REQUIRES: batch.rows() > 0 and rows sorted by Time() ascending (the caller
// sorts; unsorted input is rejected with InvalidArgument).
// PROMISES: on OK, `path` holds the complete part, durable: the data is
// written to "<path>.tmp" (mode 0600), fsynced, renamed over `path`, and the
// directory is fsynced. On error no file is left at "<path>.tmp" and `path` is
// untouched. *info (may be null) describes the written part.
#pragma once

#include <span>
#include <string>

#include "common/status.h"
#include "store/part_format.h"
#include "store/schema/row_batch.h"

namespace otelstack {

struct PartWriteOptions {
  int zstd_level = 3;
  size_t granule_rows = 8192;  // rows per granule (the last one may hold fewer)
};

Status WritePart(const std::string& path, const RowBatch& batch, const PartWriteOptions& options, PartInfo* info);

// As above, also storing `sections` in the footer (skip indexes; each kind at
// most once, kind != 0).
Status WritePart(const std::string& path, const RowBatch& batch, const PartWriteOptions& options,
                 std::span<const part_format::Section> sections, PartInfo* info);

}  // namespace otelstack
