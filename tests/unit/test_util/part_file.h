// Writing rows into one part file and opening it, for tests of parts and
// what is stored in them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/part_reader.h"
#include "store/part_writer.h"

namespace otelstack::test {

// Writes `rows` into a part at `path` in granules of `granule_rows` rows
// (its PartInfo into *info when given) and opens it. Null after a test
// failure.
inline std::unique_ptr<PartReader> WriteAndOpenPart(const RowBatch& rows, const std::string& path, size_t granule_rows,
                                                    PartInfo* info = nullptr) {
  PartWriteOptions options;
  options.granule_rows = granule_rows;
  Status s = WritePart(path, rows, options, info);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::unique_ptr<PartReader> reader;
  if (s.ok()) s = PartReader::Open(path, &reader);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return nullptr;
  return reader;
}

}  // namespace otelstack::test
