#include "store/part_merge.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <random>

#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

class PartMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    dir_ = tmp_.path();
  }
  test::TempDir tmp_;

  // Logs rows with the given times; Body is "<tag>-<i>" so every row is unique.
  static RowBatch Rows(const std::vector<uint64_t>& times, const std::string& tag) {
    RowBatch b(Signal::kLogs);
    for (size_t i = 0; i < times.size(); ++i) {
      b.SetU64(logs_col::kTimestamp, times[i]);
      b.SetBytes(logs_col::kBody, tag + "-" + std::to_string(i));
      b.SetBytes(logs_col::kServiceName, "svc" + std::to_string(i % 3));
      b.FinishRow();
    }
    return b;
  }

  // Body -> time of every row of a part, checking time order on the way.
  static std::map<std::string, uint64_t> ReadBack(const std::string& path) {
    std::unique_ptr<PartReader> reader;
    EXPECT_TRUE(PartReader::Open(path, &reader).ok());
    RowBatch all(Signal::kLogs);
    EXPECT_TRUE(reader->ReadAll(&all).ok());
    std::map<std::string, uint64_t> rows;
    for (size_t r = 0; r < all.rows(); ++r) {
      if (r > 0) {
        EXPECT_LE(all.Time(r - 1), all.Time(r)) << "row " << r;
      }
      EXPECT_TRUE(rows.emplace(std::string(all.Bytes(logs_col::kBody, r)), all.Time(r)).second)
          << "duplicate row " << all.Bytes(logs_col::kBody, r);
    }
    return rows;
  }

  std::string dir_;
};

TEST_F(PartMergeTest, WriteRowsAsPartSortsAcrossBatches) {
  RowBatch a = Rows({50, 10, 30}, "a");
  RowBatch b = Rows({20, 40, 10}, "b");
  std::vector<const RowBatch*> sources = {&a, &b};
  std::vector<TimedRowRef> rows;
  for (uint32_t s = 0; s < 2; ++s) {
    for (uint32_t r = 0; r < 3; ++r) rows.push_back({sources[s]->Time(r), RowRef{s, r}});
  }
  SortByTime(&rows);
  PartWriteOptions options;
  options.granule_rows = 4;  // two granules
  PartInfo info;
  std::string path = dir_ + "/p.part";
  ASSERT_TRUE(WriteRowsAsPart(path, Signal::kLogs, sources, rows, options, &info).ok());
  EXPECT_EQ(info.rows, 6u);
  EXPECT_EQ(info.min_time, 10u);
  EXPECT_EQ(info.max_time, 50u);
  auto back = ReadBack(path);
  ASSERT_EQ(back.size(), 6u);
  EXPECT_EQ(back["a-1"], 10u);
  EXPECT_EQ(back["b-2"], 10u);
  EXPECT_EQ(back["b-1"], 40u);
}

TEST_F(PartMergeTest, MergeKeepsEveryRowOnceInTimeOrder) {
  std::mt19937_64 rng(7);
  std::map<std::string, uint64_t> expected;
  std::vector<std::unique_ptr<PartReader>> readers;
  PartWriteOptions small;
  small.granule_rows = 100;  // many granules per input, so inputs advance mid-granule
  for (int p = 0; p < 5; ++p) {
    std::vector<uint64_t> times(300 + p * 97);
    for (auto& t : times) t = 1000 + rng() % 5000;  // overlapping ranges, many ties
    std::sort(times.begin(), times.end());
    std::string tag = "p" + std::to_string(p);
    RowBatch batch = Rows(times, tag);
    for (size_t i = 0; i < times.size(); ++i) expected[tag + "-" + std::to_string(i)] = times[i];
    std::string path = dir_ + "/in" + std::to_string(p) + ".part";
    ASSERT_TRUE(WritePart(path, batch, small, nullptr).ok());
    std::unique_ptr<PartReader> reader;
    ASSERT_TRUE(PartReader::Open(path, &reader).ok());
    readers.push_back(std::move(reader));
  }
  std::vector<const PartReader*> inputs;
  for (auto& r : readers) inputs.push_back(r.get());
  PartWriteOptions out_options;
  out_options.granule_rows = 128;
  PartInfo info;
  std::string out = dir_ + "/merged.part";
  ASSERT_TRUE(MergeParts(inputs, out, out_options, &info).ok());
  EXPECT_EQ(info.rows, expected.size());
  EXPECT_EQ(ReadBack(out), expected);
  EXPECT_FALSE(std::filesystem::exists(out + ".tmp"));
}

TEST_F(PartMergeTest, PartWriterRejectsRowsOlderThanEarlierGranules) {
  std::unique_ptr<PartWriter> writer;
  PartWriteOptions options;
  std::string path = dir_ + "/bad.part";
  ASSERT_TRUE(PartWriter::Create(path, Signal::kLogs, options, &writer).ok());
  RowBatch first = Rows({10, 20}, "x");
  RowBatch second = Rows({15}, "y");
  ASSERT_TRUE(writer->AddGranule(first, 0, 2).ok());
  EXPECT_EQ(writer->AddGranule(second, 0, 1).code(), Status::Code::kInvalidArgument);
  writer.reset();  // abandoned: no temp file, no part
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace otelstack
