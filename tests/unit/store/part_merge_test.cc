#include "store/part_merge.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <xxhash.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "common/file_util.h"
#include "common/varint.h"
#include "store/skip_index/tokenizer.h"
#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

// Renames a stored column in a part's footer (same length), fixing the
// footer checksum: the part then looks written with another schema.
void RenameStoredColumn(const std::string& path, std::string_view from, std::string_view to) {
  ASSERT_EQ(from.size(), to.size());
  std::string bytes;
  ASSERT_TRUE(ReadFile(path, &bytes).ok());
  const size_t trailer = bytes.size() - part_format::kTrailerSize;
  const uint64_t footer_len = DecodeFixed64(bytes.data() + trailer);
  const size_t footer_start = trailer - footer_len;
  size_t at = bytes.find(from, footer_start);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, to.size(), to);
  std::string checksum;
  PutFixed64(&checksum, XXH3_64bits(bytes.data() + footer_start, footer_len));
  bytes.replace(trailer + 8, 8, checksum);
  ASSERT_TRUE(WriteFileAtomic(path, bytes, 0600).ok());
}

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

  // Body -> time of every row of a part, checking on the way the part
  // format's order invariants: rows sorted within each granule, granules in
  // min_time order, granule times as the footer says.
  static std::map<std::string, uint64_t> ReadBack(const std::string& path) {
    std::unique_ptr<PartReader> reader;
    EXPECT_TRUE(PartReader::Open(path, &reader).ok());
    if (!reader) return {};
    std::map<std::string, uint64_t> rows;
    std::vector<size_t> columns = {logs_col::kTimestamp, logs_col::kBody};
    for (size_t g = 0; g < reader->granule_count(); ++g) {
      const GranuleInfo& info = reader->granule(g);
      if (g > 0) {
        EXPECT_LE(reader->granule(g - 1).min_time, info.min_time) << "granule " << g;
      }
      RowBatch granule(Signal::kLogs);
      EXPECT_TRUE(reader->ReadGranule(g, columns, &granule).ok());
      EXPECT_EQ(granule.Time(0), info.min_time) << "granule " << g;
      EXPECT_EQ(granule.Time(granule.rows() - 1), info.max_time) << "granule " << g;
      for (size_t r = 0; r < granule.rows(); ++r) {
        if (r > 0) {
          EXPECT_LE(granule.Time(r - 1), granule.Time(r)) << "granule " << g << " row " << r;
        }
        EXPECT_TRUE(rows.emplace(std::string(granule.Bytes(logs_col::kBody, r)), granule.Time(r)).second)
            << "duplicate row " << granule.Bytes(logs_col::kBody, r);
      }
    }
    return rows;
  }

  // Writes `times` as a part of granules of `granule_rows` and opens it.
  std::unique_ptr<PartReader> WriteInput(const std::string& name, const std::vector<uint64_t>& times,
                                         size_t granule_rows) {
    PartWriteOptions options;
    options.granule_rows = granule_rows;
    std::string path = dir_ + "/" + name + ".part";
    EXPECT_TRUE(WritePart(path, Rows(times, name), options, nullptr).ok());
    std::unique_ptr<PartReader> reader;
    EXPECT_TRUE(PartReader::Open(path, &reader).ok());
    return reader;
  }

  static std::vector<uint64_t> Times(uint64_t first, size_t n, uint64_t step) {
    std::vector<uint64_t> out;
    for (size_t i = 0; i < n; ++i) out.push_back(first + i * step);
    return out;
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

// SortByTime's order is (time, batch, row) whichever way it sorts: the radix
// sort (many rows listed in batch/row order, as the flush lists them) and the
// comparison sort (few rows, or rows listed in another order).
TEST(SortByTimeTest, OrdersByTimeThenBatchThenRow) {
  auto reference = [](std::vector<TimedRowRef> rows) {
    std::sort(rows.begin(), rows.end(), [](const TimedRowRef& a, const TimedRowRef& b) {
      return std::tie(a.time, a.ref.batch, a.ref.row) < std::tie(b.time, b.ref.batch, b.ref.row);
    });
    return rows;
  };
  auto same = [](const std::vector<TimedRowRef>& a, const std::vector<TimedRowRef>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const TimedRowRef& x, const TimedRowRef& y) {
      return x.time == y.time && x.ref.batch == y.ref.batch && x.ref.row == y.ref.row;
    });
  };
  std::mt19937_64 rng(7);
  const uint64_t base = 1795305600000000000ull;
  // time spreads: all equal, within a byte, seconds, days, the whole range.
  for (uint64_t spread :
       {uint64_t{0}, uint64_t{200}, uint64_t{3000000000}, uint64_t{86400000000000 * 3}, ~uint64_t{0}}) {
    for (size_t n : {size_t{1}, size_t{100}, size_t{5000}, size_t{70000}}) {
      std::vector<TimedRowRef> rows;
      for (size_t i = 0; i < n; ++i) {
        const uint64_t t = spread == ~uint64_t{0} ? rng() : base + (spread == 0 ? 0 : rng() % spread);
        rows.push_back({t, RowRef{static_cast<uint32_t>(i / 1000), static_cast<uint32_t>(i % 1000)}});
      }
      std::vector<TimedRowRef> sorted = rows;
      SortByTime(&sorted);
      EXPECT_TRUE(same(sorted, reference(rows))) << "spread " << spread << ", " << n << " rows";
      std::shuffle(rows.begin(), rows.end(), rng);  // not in batch/row order
      sorted = rows;
      SortByTime(&sorted);
      EXPECT_TRUE(same(sorted, reference(rows))) << "shuffled, spread " << spread << ", " << n << " rows";
    }
  }
}

TEST_F(PartMergeTest, MergeKeepsEveryRowOnceWithEachGranuleSorted) {
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

// Granules of at least half a granule are copied as stored (same bytes, same
// checksums); the small ones (the tail of each input) are merged into new,
// full granules.
TEST_F(PartMergeTest, MergeCopiesBigGranulesAndMergesSmallOnes) {
  // a: granules of 100, 100, 30 rows; b: 100, 20 rows (overlapping a).
  auto a = WriteInput("a", Times(1000, 230, 10), 100);
  auto b = WriteInput("b", Times(1005, 120, 10), 100);
  std::vector<const PartReader*> inputs = {a.get(), b.get()};
  PartWriteOptions options;
  options.granule_rows = 100;
  std::string out = dir_ + "/merged.part";
  PartInfo info;
  ASSERT_TRUE(MergeParts(inputs, out, options, &info).ok());
  EXPECT_EQ(info.rows, 350u);
  EXPECT_EQ(info.min_time, 1000u);
  EXPECT_EQ(info.max_time, 1000u + 229 * 10);
  std::map<std::string, uint64_t> expected;
  for (size_t i = 0; i < 230; ++i) expected["a-" + std::to_string(i)] = 1000 + i * 10;
  for (size_t i = 0; i < 120; ++i) expected["b-" + std::to_string(i)] = 1005 + i * 10;
  EXPECT_EQ(ReadBack(out), expected);

  std::unique_ptr<PartReader> merged;
  ASSERT_TRUE(PartReader::Open(out, &merged).ok());
  // Copied: a's granules 0 and 1, b's 0. Merged: a's 30 and b's 20 tail
  // rows, into one granule of 50.
  ASSERT_EQ(merged->granule_count(), 4u);
  std::map<uint64_t, std::string> stored_bodies;  // Body block checksum -> its bytes
  for (const PartReader* input : inputs) {
    for (size_t g = 0; g < input->granule_count(); ++g) {
      part_format::BlockEntry entry;
      std::string_view bytes;
      ASSERT_TRUE(input->StoredBlock(g, logs_col::kBody, &entry, &bytes).ok());
      stored_bodies[entry.checksum] = std::string(bytes);
    }
  }
  size_t copied = 0;
  for (size_t g = 0; g < merged->granule_count(); ++g) {
    part_format::BlockEntry entry;
    std::string_view bytes;
    ASSERT_TRUE(merged->StoredBlock(g, logs_col::kBody, &entry, &bytes).ok());
    auto it = stored_bodies.find(entry.checksum);
    if (it == stored_bodies.end()) {
      EXPECT_EQ(merged->granule(g).rows, 50u) << "granule " << g << " was re-encoded but is not the merged tail";
      continue;
    }
    EXPECT_EQ(it->second, bytes) << "granule " << g;
    ++copied;
  }
  EXPECT_EQ(copied, 3u);
  // The merge released the inputs' pages; they still read back in full.
  RowBatch a_rows(Signal::kLogs);
  ASSERT_TRUE(a->ReadAll(&a_rows).ok());
  ASSERT_EQ(a_rows.rows(), 230u);
  EXPECT_EQ(a_rows.Bytes(logs_col::kBody, 229), "a-229");
  // The skip index came along with the copied granules: b's rows are found
  // where they are, and (but for a filter's false positive) only there.
  const tokens::TokenKey b_hash = tokens::KeyOf("b");
  int without_b = 0, pruned = 0;
  for (size_t g = 0; g < merged->granule_count(); ++g) {
    RowBatch granule(Signal::kLogs);
    std::vector<size_t> body = {logs_col::kBody};
    ASSERT_TRUE(merged->ReadGranule(g, body, &granule).ok());
    bool has_b = false;
    for (size_t r = 0; r < granule.rows(); ++r) has_b = has_b || granule.Bytes(logs_col::kBody, r).starts_with("b-");
    if (has_b) {
      EXPECT_TRUE(merged->skip_index().MayContainToken(g, b_hash)) << "granule " << g;
    } else {
      ++without_b;
      pruned += !merged->skip_index().MayContainToken(g, b_hash);
    }
  }
  EXPECT_GT(without_b, 1);
  EXPECT_GE(pruned, without_b - 1);
}

// Each input made its own part dictionaries (from its first granule); the
// blocks a merge copies still refer to theirs, so the merged part holds the
// dictionaries of both inputs and reads back whole.
TEST_F(PartMergeTest, MergeKeepsThePartDictionariesOfCopiedBlocks) {
  auto a = WriteInput("alpha", Times(1000, 1000, 10), 100);
  auto b = WriteInput("beta", Times(1005, 1000, 10), 100);
  // The ids of the dictionaries an input's blocks refer to.
  auto dictionaries_of = [](const PartReader& part) {
    std::set<uint64_t> ids;
    for (size_t g = 0; g < part.granule_count(); ++g) {
      for (size_t c = 0; c < SchemaOf(Signal::kLogs).size(); ++c) {
        part_format::BlockEntry entry;
        std::string_view bytes;
        EXPECT_TRUE(part.StoredBlock(g, c, &entry, &bytes).ok());
        if (part_format::RefersToDictionary(entry.compression)) ids.insert(DecodeFixed64(bytes.data()));
      }
    }
    return ids;
  };
  const std::set<uint64_t> a_ids = dictionaries_of(*a), b_ids = dictionaries_of(*b);
  ASSERT_FALSE(a_ids.empty());
  ASSERT_FALSE(b_ids.empty());
  std::vector<const PartReader*> inputs = {a.get(), b.get()};
  PartWriteOptions options;
  options.granule_rows = 100;
  std::string out = dir_ + "/merged.part";
  ASSERT_TRUE(MergeParts(inputs, out, options, nullptr).ok());
  std::map<std::string, uint64_t> expected;
  for (size_t i = 0; i < 1000; ++i) {
    expected["alpha-" + std::to_string(i)] = 1000 + i * 10;
    expected["beta-" + std::to_string(i)] = 1005 + i * 10;
  }
  EXPECT_EQ(ReadBack(out), expected);
  std::unique_ptr<PartReader> merged;
  ASSERT_TRUE(PartReader::Open(out, &merged).ok());
  const std::set<uint64_t> merged_ids = dictionaries_of(*merged);
  for (uint64_t id : a_ids) EXPECT_EQ(merged_ids.count(id), 1u);
  for (uint64_t id : b_ids) EXPECT_EQ(merged_ids.count(id), 1u);
  for (uint64_t id : merged_ids) {
    std::shared_ptr<const ZstdDictionary> dictionary;
    EXPECT_TRUE(merged->Dictionary(id, &dictionary).ok());
  }
}

// Merges copy blocks unverified: a block whose dictionary id is damaged is
// copied as it is and fails to read in the merged part as in its source;
// the merge and every other granule are unaffected.
TEST_F(PartMergeTest, MergeCopiesABlockWithADamagedDictionaryIdAsItIs) {
  const std::string path = dir_ + "/alpha.part";
  part_format::BlockEntry damaged;
  {
    auto a = WriteInput("alpha", Times(1000, 1000, 10), 100);
    std::string_view bytes;
    ASSERT_TRUE(a->StoredBlock(3, logs_col::kBody, &damaged, &bytes).ok());
    ASSERT_TRUE(part_format::RefersToDictionary(damaged.compression));
  }
  std::string file;
  ASSERT_TRUE(ReadFile(path, &file).ok());
  file[damaged.offset] ^= 0x01;  // the id's first byte
  ASSERT_TRUE(WriteFileAtomic(path, file, 0600).ok());
  std::unique_ptr<PartReader> a;
  ASSERT_TRUE(PartReader::Open(path, &a).ok());
  std::vector<const PartReader*> inputs = {a.get()};
  PartWriteOptions options;
  options.granule_rows = 100;
  const std::string out = dir_ + "/merged.part";
  ASSERT_TRUE(MergeParts(inputs, out, options, nullptr).ok());
  std::unique_ptr<PartReader> merged;
  ASSERT_TRUE(PartReader::Open(out, &merged).ok());
  ASSERT_EQ(merged->granule_count(), a->granule_count());
  const std::vector<size_t> body = {logs_col::kBody};
  for (size_t g = 0; g < merged->granule_count(); ++g) {
    RowBatch from_source(Signal::kLogs), from_merged(Signal::kLogs);
    const Status source_read = a->ReadGranule(g, body, &from_source);
    const Status merged_read = merged->ReadGranule(g, body, &from_merged);
    EXPECT_EQ(source_read.ok(), g != 3) << "granule " << g;
    EXPECT_EQ(merged_read.ok(), g != 3) << "granule " << g;
    if (g == 3) {
      EXPECT_EQ(merged_read.code(), Status::Code::kCorruption);
    }
  }
}

// A part written with another schema (here: one whose EventName column has
// another name, as if the column had been added since) cannot have its
// blocks copied; its granules are decoded and re-encoded, the missing column
// as zeros.
TEST_F(PartMergeTest, MergeRewritesGranulesOfPartsWithAnotherSchema) {
  auto current = WriteInput("cur", Times(1000, 100, 10), 100);
  std::string old_path = dir_ + "/old.part";
  {
    RowBatch rows = Rows(Times(1003, 100, 10), "old");
    for (size_t r = 0; r < rows.rows(); ++r) ASSERT_EQ(rows.Bytes(logs_col::kEventName, r), "");
    PartWriteOptions options;
    options.granule_rows = 100;
    ASSERT_TRUE(WritePart(old_path, rows, options, nullptr).ok());
    RenameStoredColumn(old_path, "EventName", "EventNamX");
  }
  std::unique_ptr<PartReader> old;
  ASSERT_TRUE(PartReader::Open(old_path, &old).ok());
  ASSERT_FALSE(old->StoresCurrentSchema());
  ASSERT_TRUE(current->StoresCurrentSchema());
  std::vector<const PartReader*> inputs = {current.get(), old.get()};
  PartWriteOptions options;
  options.granule_rows = 100;
  std::string out = dir_ + "/merged.part";
  ASSERT_TRUE(MergeParts(inputs, out, options, nullptr).ok());
  auto back = ReadBack(out);
  EXPECT_EQ(back.size(), 200u);
  EXPECT_EQ(back["old-7"], 1073u);
  std::unique_ptr<PartReader> merged;
  ASSERT_TRUE(PartReader::Open(out, &merged).ok());
  EXPECT_TRUE(merged->StoresCurrentSchema());
  EXPECT_EQ(merged->granule_count(), 2u);
}

TEST_F(PartMergeTest, PartWriterRejectsUnsortedRowsAndGranulesOutOfOrder) {
  std::unique_ptr<PartWriter> writer;
  PartWriteOptions options;
  std::string path = dir_ + "/bad.part";
  ASSERT_TRUE(PartWriter::Create(path, Signal::kLogs, options, &writer).ok());
  RowBatch first = Rows({10, 20}, "x");
  RowBatch overlapping = Rows({15, 30}, "y");
  RowBatch earlier = Rows({12}, "z");
  RowBatch unsorted = Rows({40, 35}, "w");
  ASSERT_TRUE(writer->AddGranule(first, 0, 2).ok());
  EXPECT_TRUE(writer->AddGranule(overlapping, 0, 2).ok());  // granules may overlap in time
  EXPECT_EQ(writer->AddGranule(earlier, 0, 1).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(writer->AddGranule(unsorted, 0, 2).code(), Status::Code::kInvalidArgument);
  writer.reset();  // abandoned: no temp file, no part
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace otelstack
