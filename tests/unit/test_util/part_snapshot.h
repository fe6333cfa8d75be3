// A snapshot of rows written into one part, for query tests that compare
// answers from a part with answers from the same rows unflushed.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/snapshot.h"
#include "test_util/part_file.h"

namespace otelstack::test {

// Writes `rows` into a part at `path` in granules of `granule_rows` rows and
// adds it to *snapshot. Returns its reader (owned by the snapshot), or null
// after a test failure.
inline const PartReader* AddPart(const RowBatch& rows, const std::string& path, size_t granule_rows,
                                 StoreSnapshot* snapshot) {
  PartInfo info;
  std::unique_ptr<PartReader> reader = WriteAndOpenPart(rows, path, granule_rows, &info);
  if (reader == nullptr) return nullptr;
  StoreSnapshot::Part part;
  part.entry.signal = rows.signal();
  part.entry.SetInfo(info);
  part.reader = std::move(reader);
  snapshot->parts.push_back(std::move(part));
  return snapshot->parts.back().reader.get();
}

}  // namespace otelstack::test
