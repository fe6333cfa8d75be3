// StoreSnapshot: a consistent read-only view of a store. LoadSnapshot builds
// one from a store directory, for readers in another process than the server
// (e.g. `otelstack search` while `otelstack serve` runs); Store::Snapshot
// builds one in the server's own process without reading the WAL.
//
// It holds open readers on the live parts and the rows of every WAL record
// not yet in parts, so it sees every acknowledged record. Part files stay
// readable through their open descriptors even if a merge deletes them later.
//
// Consistency: the manifest is read before and after the WAL; if a flush or
// merge changed it in between, the load starts over.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/manifest.h"
#include "store/part_reader.h"
#include "store/wal_entry.h"

namespace otelstack {

struct StoreSnapshot {
  struct Part {
    PartEntry entry;
    std::shared_ptr<const PartReader> reader;
  };
  std::vector<Part> parts;
  std::vector<std::shared_ptr<const RowBatch>> unflushed;
};

// The rows of `batch` with a time at or above `floor`: `batch` itself when
// none is below (no copy), else a new batch.
std::shared_ptr<const RowBatch> RowsAtOrAbove(std::shared_ptr<const RowBatch> batch, uint64_t floor);

// Loads the parts and unflushed rows of `signal` (all signals when nullopt).
Status LoadSnapshot(const std::string& store_dir, const PayloadDecoder& decoder, std::optional<Signal> signal,
                    StoreSnapshot* out);

}  // namespace otelstack
