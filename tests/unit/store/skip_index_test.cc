// Skip indexes as stored in parts: filters out of the footer, found by token
// and trace id, and damage that costs pruning but never hides rows.
#include "store/skip_index/skip_index.h"

#include <gtest/gtest.h>

#include "common/any_value.h"
#include "common/file_util.h"
#include "common/varint.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "store/skip_index/tokenizer.h"
#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

// 4 granules of 100 logs; granule g's bodies mention "word<g>", and granule
// 2 holds one trace id.
RowBatch Logs() {
  RowBatch b(Signal::kLogs);
  for (int r = 0; r < 400; ++r) {
    b.SetU64(logs_col::kTimestamp, 1000 + r);
    std::string body;
    anyvalue::AppendString(&body, "GET /api user-" + std::to_string(r) + " word" + std::to_string(r / 100));
    b.SetBytes(logs_col::kBody, body);
    if (r == 250) b.SetBytes(logs_col::kTraceId, std::string(16, '\x42'));
    b.FinishRow();
  }
  return b;
}

class SkipIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PartWriteOptions options;
    options.granule_rows = 100;
    ASSERT_TRUE(WritePart(path_, Logs(), options, nullptr).ok());
  }
  std::unique_ptr<PartReader> Open() {
    std::unique_ptr<PartReader> reader;
    Status s = PartReader::Open(path_, &reader);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return reader;
  }
  test::TempDir dir_;
  std::string path_ = dir_.Sub("p.part");
};

TEST_F(SkipIndexTest, FiltersFindTokensAndTraceIds) {
  auto reader = Open();
  ASSERT_EQ(reader->granule_count(), 4u);
  const SkipIndex& index = reader->skip_index();
  for (size_t g = 0; g < 4; ++g) {
    EXPECT_TRUE(index.MayContainToken(g, tokens::TokenHash("api")));
    EXPECT_TRUE(index.MayContainToken(g, tokens::TokenHash("WORD" + std::to_string(g))));  // case-folded
    for (size_t other = 0; other < 4; ++other) {
      if (other != g) {
        EXPECT_FALSE(index.MayContainToken(g, tokens::TokenHash("word" + std::to_string(other))));
      }
    }
    EXPECT_EQ(index.MayContainTraceId(g, TraceIdHash(std::string(16, '\x42'))), g == 2);
  }
  // The footer holds only the filters' locations (a few bytes per granule).
  ASSERT_TRUE(reader->section(kTokenBloomSection).has_value());
  EXPECT_LT(reader->section(kTokenBloomSection)->size(), 4u * 16 + 8);
}

TEST_F(SkipIndexTest, DamagedFilterPrunesNothing) {
  auto reader = Open();
  // Granule 1's token filter, through the location the footer gives.
  std::string_view section = *reader->section(kTokenBloomSection);
  uint64_t count = 0, offset = 0, size = 0;
  ASSERT_TRUE(GetVarint64(&section, &count));
  for (int g = 0; g <= 1; ++g) {
    ASSERT_TRUE(GetVarint64(&section, &offset));
    ASSERT_TRUE(GetVarint64(&section, &size));
    section.remove_prefix(8);
  }
  reader.reset();
  std::string bytes;
  ASSERT_TRUE(ReadFile(path_, &bytes).ok());
  for (uint64_t i = 0; i < size; ++i) bytes[offset + i] = 0;  // granule 1's filter: all zero bits
  ASSERT_TRUE(WriteFileAtomic(path_, bytes, 0600).ok());
  reader = Open();
  // A zeroed filter would rule out everything; its checksum fails, so it
  // rules out nothing instead.
  EXPECT_TRUE(reader->skip_index().MayContainToken(1, tokens::TokenHash("word1")));
  EXPECT_TRUE(reader->skip_index().MayContainToken(1, tokens::TokenHash("word3")));
  EXPECT_FALSE(reader->skip_index().MayContainToken(0, tokens::TokenHash("word3")));  // others still prune
}

// Attribute maps repeated row after row (a resource's attributes) are
// tokenized once per granule: every granule that holds the map must still
// find its values, and a granule without it must not.
TEST(SkipIndexBuilderTest, RepeatedAttributeMapsAreIndexedInEveryGranule) {
  auto map_of = [](const std::string& pod) {
    std::string map;
    anyvalue::AppendKey(&map, "k8s.pod.name");
    anyvalue::AppendString(&map, pod);
    return map;
  };
  RowBatch b(Signal::kLogs);
  for (int r = 0; r < 300; ++r) {
    b.SetU64(logs_col::kTimestamp, 1000 + r);
    // Granules 0 and 1 alternate two pods; granule 2 has a third one only.
    b.SetBytes(logs_col::kResourceAttributes, map_of(r < 200 ? (r % 2 ? "pod-alpha" : "pod-beta") : "pod-gamma"));
    b.FinishRow();
  }
  test::TempDir dir;
  std::string path = dir.Sub("p.part");
  PartWriteOptions options;
  options.granule_rows = 100;
  ASSERT_TRUE(WritePart(path, b, options, nullptr).ok());
  std::unique_ptr<PartReader> reader;
  ASSERT_TRUE(PartReader::Open(path, &reader).ok());
  const SkipIndex& index = reader->skip_index();
  for (size_t g = 0; g < 3; ++g) {
    EXPECT_EQ(index.MayContainToken(g, tokens::TokenHash("alpha")), g < 2) << g;
    EXPECT_EQ(index.MayContainToken(g, tokens::TokenHash("beta")), g < 2) << g;
    EXPECT_EQ(index.MayContainToken(g, tokens::TokenHash("gamma")), g == 2) << g;
    EXPECT_TRUE(index.MayContainToken(g, tokens::TokenHash("pod"))) << g;
  }
}

// Attribute values that repeat within a granule are tokenized once (a cache
// of recent values); every value must still reach its granule's filter: in
// a later granule again, after the cache evicted it, and whatever its type.
TEST(SkipIndexBuilderTest, EveryAttributeValueIsIndexedInItsGranule) {
  constexpr int kGranuleRows = 6000;  // more distinct values than the cache has slots
  auto attributes = [](int r) {
    std::string map;
    size_t h = anyvalue::BeginKvList(&map);
    anyvalue::AppendKey(&map, "http.method");
    anyvalue::AppendString(&map, r % 2 ? "GET" : "POST");
    anyvalue::AppendKey(&map, "request.id");
    anyvalue::AppendString(&map, "req" + std::to_string(r));  // unique: evicts the cache
    anyvalue::AppendKey(&map, "http.status_code");
    anyvalue::AppendInt(&map, 200 + r % 7);
    anyvalue::AppendKey(&map, "duration_ms");
    anyvalue::AppendDouble(&map, 1.5 + r % 11);
    anyvalue::AppendKey(&map, "granule.marker");
    anyvalue::AppendString(&map, "marker" + std::to_string(r / kGranuleRows));
    anyvalue::EndList(&map, h, 5);
    return map;
  };
  RowBatch b(Signal::kLogs);
  for (int r = 0; r < 2 * kGranuleRows; ++r) {
    b.SetU64(logs_col::kTimestamp, 1000 + r);
    b.SetBytes(logs_col::kLogAttributes, attributes(r));
    b.FinishRow();
  }
  test::TempDir dir;
  std::string path = dir.Sub("p.part");
  PartWriteOptions options;
  options.granule_rows = kGranuleRows;
  ASSERT_TRUE(WritePart(path, b, options, nullptr).ok());
  std::unique_ptr<PartReader> reader;
  ASSERT_TRUE(PartReader::Open(path, &reader).ok());
  const SkipIndex& index = reader->skip_index();
  ASSERT_EQ(reader->granule_count(), 2u);
  for (size_t g = 0; g < 2; ++g) {
    for (const char* token : {"get", "post", "200", "206", "1", "5", "11"}) {
      EXPECT_TRUE(index.MayContainToken(g, tokens::TokenHash(token))) << token << " in granule " << g;
    }
    EXPECT_TRUE(index.MayContainToken(g, tokens::TokenHash("marker" + std::to_string(g))));
    for (int r = static_cast<int>(g) * kGranuleRows; r < static_cast<int>(g + 1) * kGranuleRows; r += 97) {
      EXPECT_TRUE(index.MayContainToken(g, tokens::TokenHash("req" + std::to_string(r)))) << r << " in " << g;
    }
  }
}

}  // namespace
}  // namespace otelstack
