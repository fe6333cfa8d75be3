// A snapshot of rows written into one part, for query tests that compare
// answers from a part with answers from the same rows unflushed.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/part_writer.h"
#include "store/snapshot.h"

namespace otelstack::test {

// Writes `rows` into a part at `path` in granules of `granule_rows` rows and
// adds it to *snapshot. Returns its reader (owned by the snapshot), or null
// after a test failure.
inline const PartReader* AddPart(const RowBatch& rows, const std::string& path, size_t granule_rows,
                                 StoreSnapshot* snapshot) {
  PartWriteOptions options;
  options.granule_rows = granule_rows;
  PartInfo info;
  Status s = WritePart(path, rows, options, &info);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::unique_ptr<PartReader> reader;
  if (s.ok()) s = PartReader::Open(path, &reader);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return nullptr;
  StoreSnapshot::Part part;
  part.entry.signal = rows.signal();
  part.entry.SetInfo(info);
  part.reader = std::move(reader);
  snapshot->parts.push_back(std::move(part));
  return snapshot->parts.back().reader.get();
}

}  // namespace otelstack::test
