// Parts written by earlier versions of the part writer stay readable, their
// skip indexes keep pruning, and merges carry them into new parts.
//
// tests/data/parts/logs-bloom-filters.part holds test::GoldenLogRows(0, 600)
// in granules of 128 rows, written by the part writer as of commit 20bfd2e
// (format version 5): its token and trace-id filters are Bloom filters,
// located by footer sections kTokenBloomSection and kTraceIdBloomSection,
// and its text templates keep all numbers in one stream.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/part_merge.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "store/skip_index/skip_index.h"
#include "store/skip_index/tokenizer.h"
#include "test_util/golden_part_rows.h"
#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

constexpr uint32_t kGoldenRows = 600;
constexpr uint32_t kGoldenGranuleRows = 128;

std::unique_ptr<PartReader> OpenPart(const std::string& path) {
  std::unique_ptr<PartReader> reader;
  Status s = PartReader::Open(path, &reader);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return reader;
}

// Every column of every row of `reader` equals the rows of `want`.
void ExpectHoldsRows(const PartReader& reader, const RowBatch& want) {
  RowBatch got(want.signal());
  ASSERT_TRUE(reader.ReadAll(&got).ok());
  ASSERT_EQ(got.rows(), want.rows());
  auto schema = SchemaOf(want.signal());
  for (size_t c = 0; c < schema.size(); ++c) {
    for (size_t r = 0; r < want.rows(); ++r) {
      if (IsFixed(schema[c].type) ? got.U64(c, r) != want.U64(c, r) : got.Bytes(c, r) != want.Bytes(c, r)) {
        FAIL() << schema[c].name << " row " << r;
      }
    }
  }
}

// Each row's own body word and trace id pass its granule's filters, and a
// word and a trace id no row holds are ruled out in some granules. The part's
// first row is GoldenLogRows row `first`, the others follow in order.
void ExpectFiltersFindEveryRow(const PartReader& reader, uint32_t first, uint32_t rows) {
  const SkipIndex& index = reader.skip_index();
  size_t row = 0, ruled_out = 0;
  for (size_t g = 0; g < reader.granule_count(); ++g) {
    for (size_t k = 0; k < reader.granule(g).rows; ++k, ++row) {
      const auto i = static_cast<uint32_t>(first + row);
      ASSERT_TRUE(index.MayContainToken(g, tokens::KeyOf(test::GoldenRowWord(i)))) << "row " << i;
      const std::string trace = test::GoldenRowTraceId(i);
      if (!trace.empty()) {
        ASSERT_TRUE(index.MayContainTraceId(g, TraceIdHash(trace))) << "row " << i;
      }
    }
    ruled_out += index.MayContainToken(g, tokens::KeyOf("nowhere")) ? 0 : 1;
    ruled_out += index.MayContainTraceId(g, TraceIdHash("0123456789abcdef")) ? 0 : 1;
  }
  EXPECT_EQ(row, rows);
  EXPECT_GE(ruled_out, reader.granule_count()) << "the filters prune";
}

TEST(PartCompatTest, ReadsAPartWithBloomFilters) {
  std::unique_ptr<PartReader> reader = OpenPart(std::string(OTELSTACK_TEST_DATA) + "/parts/logs-bloom-filters.part");
  ASSERT_NE(reader, nullptr);
  // What makes the file a part of that version: Bloom filter sections only.
  EXPECT_TRUE(reader->section(kTokenBloomSection).has_value());
  EXPECT_TRUE(reader->section(kTraceIdBloomSection).has_value());
  EXPECT_FALSE(reader->section(kTokenFilterSection).has_value());
  EXPECT_FALSE(reader->section(kTraceIdFilterSection).has_value());
  ASSERT_EQ(reader->granule_count(), (kGoldenRows + kGoldenGranuleRows - 1) / kGoldenGranuleRows);
  // And text templates with all numbers in one stream (bodies, and the
  // order.ref attribute in string mode 2).
  part_format::BlockEntry body;
  std::string_view unused;
  ASSERT_TRUE(reader->StoredBlock(0, logs_col::kBody, &body, &unused).ok());
  EXPECT_EQ(body.encoding, static_cast<uint8_t>(ColumnEncoding::kBytesTextTemplateOneNumberStream));

  ExpectHoldsRows(*reader, test::GoldenLogRows(0, kGoldenRows));
  ExpectFiltersFindEveryRow(*reader, 0, kGoldenRows);
}

// A merge of the old part with one written now keeps each granule's filter
// in its own format: the old granules' Bloom filters, the new one's ribbon
// filters, all under the current sections.
TEST(PartCompatTest, MergesAPartWithBloomFiltersWithANewOne) {
  test::TempDir dir;
  std::unique_ptr<PartReader> old_part = OpenPart(std::string(OTELSTACK_TEST_DATA) + "/parts/logs-bloom-filters.part");
  ASSERT_NE(old_part, nullptr);
  PartWriteOptions options;
  options.granule_rows = kGoldenGranuleRows;
  const RowBatch later = test::GoldenLogRows(kGoldenRows, 300);
  ASSERT_TRUE(WritePart(dir.Sub("new.part"), later, options, nullptr).ok());
  std::unique_ptr<PartReader> new_part = OpenPart(dir.Sub("new.part"));
  ASSERT_NE(new_part, nullptr);
  EXPECT_TRUE(new_part->section(kTokenFilterSection).has_value());

  const PartReader* inputs[] = {old_part.get(), new_part.get()};
  ASSERT_TRUE(MergeParts(inputs, dir.Sub("merged.part"), options, nullptr).ok());
  std::unique_ptr<PartReader> merged = OpenPart(dir.Sub("merged.part"));
  ASSERT_NE(merged, nullptr);
  EXPECT_TRUE(merged->section(kTokenFilterSection).has_value());
  EXPECT_FALSE(merged->section(kTokenBloomSection).has_value());
  bool bloom = false, current = false;
  for (size_t g = 0; g < merged->granule_count(); ++g) {
    const FilterFormat format = merged->skip_index().StoredTokenFilter(g).format;
    bloom |= format == FilterFormat::kBloom;
    current |= format == SkipIndexBuilder::kTokenFilterFormat;
  }
  EXPECT_TRUE(bloom && current) << "granules of both parts, each filter as it was";

  ExpectHoldsRows(*merged, test::GoldenLogRows(0, kGoldenRows + 300));
  ExpectFiltersFindEveryRow(*merged, 0, kGoldenRows + 300);
}

}  // namespace
}  // namespace otelstack
