// WritePart: persists a sorted RowBatch as an immutable part file (layout in
// part_format.h). PartWriter: builds a part granule by granule, from rows or
// by copying the stored granules of other parts.
//
// REQUIRES: batch.rows() > 0 and rows sorted by Time() ascending (the caller
// sorts; unsorted input is rejected with InvalidArgument).
// PROMISES: on OK, `path` holds the complete part, durable: the data is
// written to "<path>.tmp" (mode 0600), fsynced, renamed over `path`, and the
// directory is fsynced. On error no file is left at "<path>.tmp" and `path` is
// untouched. *info (may be null) describes the written part.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "common/status.h"
#include "store/part_format.h"
#include "store/part_reader.h"
#include "store/schema/row_batch.h"

namespace otelstack {

struct PartWriteOptions {
  int zstd_level = 3;
  size_t granule_rows = 8192;  // rows per granule (the last one may hold fewer)
  // Try the attribute-map shredding encoding (smaller, costlier to write).
  bool shred_attribute_maps = true;
  // Store the skip indexes (store/skip_index/skip_index.h) in the footer.
  bool build_skip_indexes = true;
};

Status WritePart(const std::string& path, const RowBatch& batch, const PartWriteOptions& options, PartInfo* info);

// Streaming form, for parts built from more rows than fit in memory at once
// (merges): granules are encoded and written as they are added, so memory is
// bounded by one granule. Same durability promise as WritePart once Finish
// returns OK; a writer destroyed before a successful Finish removes its
// temp file and leaves `path` untouched.
class PartWriter {
 public:
  static Status Create(const std::string& path, Signal signal, const PartWriteOptions& options,
                       std::unique_ptr<PartWriter>* out);
  ~PartWriter();

  // Writes rows [first, first + rows) of `batch` as one granule (encoded,
  // compressed, with new skip-index filters).
  // REQUIRES: 0 < rows <= granule_rows; rows sorted by time; the first row
  // not older than the first row of the granule added before
  // (InvalidArgument otherwise). Granules may overlap in time.
  Status AddGranule(const RowBatch& batch, size_t first, size_t rows);
  // Writes granule g of `source` as it is stored: its blocks and filters are
  // copied byte for byte with their checksums, nothing is decoded.
  // REQUIRES: source is of this signal and StoresCurrentSchema(); its rows
  // fit a granule (<= granule_rows); its min_time is not older than the
  // previous granule's (InvalidArgument otherwise).
  Status CopyGranule(const PartReader& source, size_t g);
  // Writes all rows of `batch` as granules of granule_rows.
  Status AddRows(const RowBatch& batch);
  // Writes the footer, fsyncs, renames into place. REQUIRES: rows were added.
  Status Finish(std::span<const part_format::Section> sections, PartInfo* info);

  uint64_t rows() const { return rows_; }
  size_t granule_rows() const { return options_.granule_rows; }

 private:
  struct State;
  PartWriter(std::string path, Signal signal, PartWriteOptions options);
  void NoteGranule(uint64_t rows, uint64_t min_time, uint64_t max_time);

  const std::string path_;
  const std::string tmp_;
  const Signal signal_;
  const PartWriteOptions options_;
  std::unique_ptr<State> state_;
  uint64_t rows_ = 0;
  uint64_t min_time_ = 0;
  uint64_t max_time_ = 0;
  uint64_t last_granule_min_time_ = 0;
  bool finished_ = false;
};

// As above, also storing `sections` in the footer (skip indexes; each kind at
// most once, kind != 0).
Status WritePart(const std::string& path, const RowBatch& batch, const PartWriteOptions& options,
                 std::span<const part_format::Section> sections, PartInfo* info);

}  // namespace otelstack
