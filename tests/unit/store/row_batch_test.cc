// RowBatch's dictionary form as decoders build it (UseDictionary) and as
// AppendRows carries it, and parts written from it: the same bytes as from
// the expanded rows.
#include "store/schema/row_batch.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/any_value.h"
#include "common/file_util.h"
#include "store/part_writer.h"
#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

constexpr size_t kCol = logs_col::kResourceAttributes;

std::string Pod(int i) {
  std::string map;
  size_t h = anyvalue::BeginKvList(&map);
  anyvalue::AppendKey(&map, "k8s.pod.name");
  anyvalue::AppendString(&map, "pod-" + std::to_string(i));
  anyvalue::EndList(&map, h, 1);
  return map;
}

// Equal codes <=> equal values, and CodeRows gives each code's first row.
void ExpectConsistentDictionary(const RowBatch& b, size_t col) {
  ASSERT_TRUE(b.InDictionaryForm(col));
  std::span<const uint32_t> codes = b.Codes(col);
  ASSERT_EQ(codes.size(), b.rows());
  std::map<std::string, uint32_t> code_of;
  std::vector<uint32_t> first_row(b.CodeRows(col).size(), RowBatch::kNoRow);
  for (size_t r = 0; r < b.rows(); ++r) {
    auto [it, added] = code_of.try_emplace(std::string(b.Bytes(col, r)), codes[r]);
    EXPECT_EQ(it->second, codes[r]) << "row " << r << ": equal values with different codes";
    if (first_row[codes[r]] == RowBatch::kNoRow) first_row[codes[r]] = static_cast<uint32_t>(r);
  }
  std::map<uint32_t, int> values_per_code;
  for (const auto& [value, code] : code_of) ++values_per_code[code];
  for (const auto& [code, n] : values_per_code) EXPECT_EQ(n, 1) << "code " << code << " holds several values";
  for (size_t k = 0; k < first_row.size(); ++k) EXPECT_EQ(b.CodeRows(col)[k], first_row[k]) << "code " << k;
}

TEST(RowBatchDictionaryTest, DecoderStyleBuildingStoresEachValueOnce) {
  RowBatch b(Signal::kLogs);
  b.UseDictionary(kCol);
  const std::vector<int> pods = {1, 1, 2, 1, -1, 3, 2};  // -1: column left unset (empty value)
  for (size_t r = 0; r < pods.size(); ++r) {
    b.SetU64(logs_col::kTimestamp, 100 + r);
    if (pods[r] >= 0) b.SetBytes(kCol, Pod(pods[r]));
    b.FinishRow();
    if (r == 2) {  // a row that is replaced, then abandoned, leaves no trace
      b.SetBytes(kCol, Pod(9));
      b.SetBytes(kCol, Pod(8));
      b.AbandonRow();
    }
  }
  b.SetBytes(kCol, Pod(2));  // replaced before the row finishes
  b.SetBytes(kCol, Pod(4));
  b.FinishRow();
  ASSERT_EQ(b.rows(), pods.size() + 1);
  for (size_t r = 0; r < pods.size(); ++r) EXPECT_EQ(b.Bytes(kCol, r), pods[r] >= 0 ? Pod(pods[r]) : "") << r;
  EXPECT_EQ(b.Bytes(kCol, pods.size()), Pod(4));
  ExpectConsistentDictionary(b, kCol);
  EXPECT_EQ(b.Codes(kCol)[0], b.Codes(kCol)[3]);
  EXPECT_NE(b.Codes(kCol)[0], b.Codes(kCol)[2]);
  // Entries 9 and 8 were added for the abandoned row and stay unused.
  size_t unused = 0;
  for (uint32_t row : b.CodeRows(kCol)) unused += row == RowBatch::kNoRow;
  EXPECT_EQ(unused, 2u);
}

// Interning a value once and setting its code on many rows (as decoders do
// per resource) builds the same column as SetBytes on every row.
TEST(RowBatchDictionaryTest, InternedCodesBuildTheSameColumnAsSetBytes) {
  RowBatch by_value(Signal::kLogs), by_code(Signal::kLogs);
  by_value.UseDictionary(kCol);
  by_code.UseDictionary(kCol);
  const std::vector<int> groups = {1, 2, 1, 3};  // resource groups of 5 rows; pod 1 comes back
  size_t row = 0;
  for (int pod : groups) {
    const uint32_t code = by_code.Intern(kCol, Pod(pod));
    for (int i = 0; i < 5; ++i, ++row) {
      by_value.SetU64(logs_col::kTimestamp, row);
      by_value.SetBytes(kCol, Pod(pod));
      by_value.FinishRow();
      by_code.SetU64(logs_col::kTimestamp, row);
      if (i == 2) by_code.SetCode(kCol, by_code.Intern(kCol, Pod(7)));  // replaced before the row finishes
      by_code.SetCode(kCol, code);
      by_code.FinishRow();
    }
  }
  ASSERT_EQ(by_code.rows(), row);
  for (size_t r = 0; r < row; ++r) EXPECT_EQ(by_code.Bytes(kCol, r), by_value.Bytes(kCol, r)) << r;
  ExpectConsistentDictionary(by_code, kCol);
  EXPECT_EQ(by_code.Codes(kCol)[0], by_code.Codes(kCol)[10]);  // pod 1's second group reuses its entry
  EXPECT_EQ(by_code.CodeRows(kCol).size(), 4u);                // pods 1, 2, 3 and the unused 7
}

RowBatch Source(int first_pod, int pods, int rows, uint64_t time) {
  RowBatch b(Signal::kLogs);
  b.UseDictionary(kCol);
  for (int r = 0; r < rows; ++r) {
    b.SetU64(logs_col::kTimestamp, time + r);
    b.SetBytes(kCol, Pod(first_pod + r % pods));
    b.FinishRow();
  }
  return b;
}

TEST(RowBatchDictionaryTest, AppendRowsKeepsTheFormWhenEverySourceHasIt) {
  RowBatch a = Source(0, 3, 10, 0), b = Source(2, 4, 10, 0);  // pod 2 and 3 in both
  std::vector<const RowBatch*> sources = {&a, &b};
  std::vector<RowRef> refs;
  for (uint32_t r = 0; r < 10; ++r) refs.push_back({r % 2, 9 - r});
  RowBatch out(Signal::kLogs);
  out.AppendRows(sources, refs);
  ASSERT_EQ(out.rows(), refs.size());
  for (size_t i = 0; i < refs.size(); ++i)
    EXPECT_EQ(out.Bytes(kCol, i), sources[refs[i].batch]->Bytes(kCol, refs[i].row));
  ExpectConsistentDictionary(out, kCol);

  // More rows appended to a batch already in dictionary form, and rows
  // copied or built one by one after them.
  RowBatch c = Source(10, 4, 10, 0);  // values out has no entries for yet
  std::vector<const RowBatch*> more_sources = {&a, &c};
  out.AppendRows(more_sources, refs);
  out.AppendRowFrom(b, 3);
  out.SetU64(logs_col::kTimestamp, 7);
  out.SetBytes(kCol, Pod(77));
  out.FinishRow();
  ASSERT_EQ(out.rows(), 2 * refs.size() + 2);
  for (size_t i = 0; i < 2 * refs.size(); ++i) {
    const RowRef& ref = refs[i % refs.size()];
    const RowBatch* source = i < refs.size() ? sources[ref.batch] : more_sources[ref.batch];
    EXPECT_EQ(out.Bytes(kCol, i), source->Bytes(kCol, ref.row)) << i;
  }
  EXPECT_EQ(out.Bytes(kCol, 2 * refs.size()), b.Bytes(kCol, 3));
  EXPECT_EQ(out.Bytes(kCol, 2 * refs.size() + 1), Pod(77));
  EXPECT_EQ(out.Bytes(logs_col::kBody, 2 * refs.size() + 1), "");  // unset: padded
  ExpectConsistentDictionary(out, kCol);

  // A plain source: the rows are expanded as before.
  RowBatch plain(Signal::kLogs);
  plain.AppendRowFrom(a, 0);
  std::vector<const RowBatch*> mixed = {&a, &plain};
  RowBatch expanded(Signal::kLogs);
  expanded.AppendRows(mixed, std::vector<RowRef>{{0, 1}, {1, 0}});
  EXPECT_FALSE(expanded.InDictionaryForm(kCol));
  EXPECT_EQ(expanded.Bytes(kCol, 0), a.Bytes(kCol, 1));
  EXPECT_EQ(expanded.Bytes(kCol, 1), a.Bytes(kCol, 0));
}

// The same rows, once with the column in dictionary form and once plain,
// give byte-identical parts: few distinct values (encoded from the codes)
// and many (more than one per 8 rows: expanded, then encoded as usual).
TEST(RowBatchDictionaryTest, PartsFromTheDictionaryFormAreTheSameBytes) {
  for (int pods : {1, 5, 40}) {
    RowBatch coded = Source(0, pods, 300, 1000);
    RowBatch plain(Signal::kLogs);
    for (size_t r = 0; r < coded.rows(); ++r) plain.AppendRowFrom(coded, r);
    ASSERT_FALSE(plain.InDictionaryForm(kCol));
    test::TempDir dir;
    PartWriteOptions options;
    options.granule_rows = 128;
    ASSERT_TRUE(WritePart(dir.Sub("coded.part"), coded, options, nullptr).ok());
    ASSERT_TRUE(WritePart(dir.Sub("plain.part"), plain, options, nullptr).ok());
    std::string coded_bytes, plain_bytes;
    ASSERT_TRUE(ReadFile(dir.Sub("coded.part"), &coded_bytes).ok());
    ASSERT_TRUE(ReadFile(dir.Sub("plain.part"), &plain_bytes).ok());
    EXPECT_EQ(coded_bytes, plain_bytes) << pods << " distinct values";
  }
}

// A batch reserved from another's footprint holds the same rows without
// growing: its ByteSize (capacities) stays what it was right after Reserve.
TEST(RowBatchFootprintTest, ReservedBatchHoldsAModelsRowsWithoutGrowing) {
  auto fill = [](RowBatch* b, int rows) {
    for (int r = 0; r < rows; ++r) {
      b->SetU64(logs_col::kTimestamp, 100 + r);
      std::string body;
      anyvalue::AppendString(&body, "request " + std::to_string(r) + " served");
      b->SetBytes(logs_col::kBody, body);
      b->SetBytes(kCol, Pod(r % 3));
      b->FinishRow();
    }
  };
  RowBatch model(Signal::kLogs);
  model.UseDictionary(kCol);
  fill(&model, 1000);
  const RowBatch::Footprint footprint = model.Measure();
  EXPECT_EQ(footprint.values[logs_col::kTimestamp], 1000u);
  EXPECT_EQ(footprint.values[logs_col::kBody], 1000u);
  EXPECT_EQ(footprint.bytes[logs_col::kBody], model.BytesData(logs_col::kBody).size());
  EXPECT_EQ(footprint.values[kCol], 1000u);  // codes
  EXPECT_EQ(footprint.bytes[kCol], 0u);

  RowBatch reserved(Signal::kLogs);
  reserved.UseDictionary(kCol);
  const size_t empty = reserved.ByteSize();
  reserved.Reserve(footprint, 1.0);
  const size_t after_reserve = reserved.ByteSize();
  EXPECT_GT(after_reserve, empty + 1000 * (8 + 4 + 4));
  fill(&reserved, 1000);
  // Only the dictionary's three entries (not reserved) take new room.
  EXPECT_LT(reserved.ByteSize(), after_reserve + 512) << "a column grew past what was reserved";

  // Scaled: half the model reserves about half as much.
  RowBatch half(Signal::kLogs);
  half.UseDictionary(kCol);
  half.Reserve(footprint, 0.5);
  EXPECT_LT(half.ByteSize() - empty, (after_reserve - empty) / 2 + 64);

  // A model of another signal's batch (another column count) is ignored.
  RowBatch spans(Signal::kTraces);
  RowBatch logs(Signal::kLogs);
  const size_t before = logs.ByteSize();
  logs.Reserve(spans.Measure(), 1.0);
  EXPECT_EQ(logs.ByteSize(), before);
}

}  // namespace
}  // namespace otelstack
