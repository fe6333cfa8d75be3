// Phase two of a search (execution/row_gather.h): the gathered rows are the
// stored rows, whatever mix of scan batches, fresh decodes and unflushed
// batches they come from, in the order asked, across more granules than one
// decoding window; and searches answer the same from parts as from memory.
#include "query/execution/row_gather.h"

#include <gtest/gtest.h>

#include "common/any_value.h"
#include "query/parser/lucene_parser.h"
#include "query/row_json.h"
#include "query/search.h"
#include "test_util/part_snapshot.h"
#include "test_util/sample_log_attributes.h"
#include "test_util/temp_dir.h"

namespace otelstack::query {
namespace {

constexpr size_t kRows = 2000;
constexpr size_t kGranuleRows = 128;  // 16 granules: more than one window of 8

RowBatch Logs() {
  RowBatch b(Signal::kLogs);
  for (size_t i = 0; i < kRows; ++i) {
    b.SetU64(logs_col::kTimestamp, 1000 + i);  // distinct and ascending: a part keeps the order
    b.SetBytes(logs_col::kServiceName, i % 2 == 0 ? "api" : "worker");
    b.SetBytes(logs_col::kSeverityText, i % 11 == 0 ? "ERROR" : "INFO");
    b.SetU64(logs_col::kSeverityNumber, i % 11 == 0 ? 17 : 9);
    b.SetBytes(logs_col::kLogAttributes, test::SampleLogAttributes(i));
    std::string body;
    anyvalue::AppendString(&body, i % 7 == 0 ? "connection refused " + std::to_string(i) : "ok");
    b.SetBytes(logs_col::kBody, body);
    b.FinishRow();
  }
  return b;
}

std::string RowJson(const RowBatch& batch, size_t row) {
  std::string json;
  Status s = AppendRowJson(batch, row, &json);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return json;
}

class RowGatherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rows_ = std::make_shared<RowBatch>(Logs());
    reader_ = test::AddPart(*rows_, dir_.Sub("logs.part"), kGranuleRows, &parts_);
    ASSERT_NE(reader_, nullptr);
    ASSERT_EQ(reader_->granule_count(), (kRows + kGranuleRows - 1) / kGranuleRows);
    unflushed_.unflushed.push_back(rows_);
  }

  ScanUnit PartUnit(size_t granule) const {
    ScanUnit u;
    u.reader = reader_;
    u.granule = granule;
    u.rows = reader_->granule(granule).rows;
    return u;
  }

  // The rows of the newest-first search from the part and from memory, which
  // must agree; returns them as JSON lines.
  std::string SearchBoth(const std::string& lucene, size_t limit, unsigned threads) {
    ast::NodePtr root;
    EXPECT_TRUE(ParseLucene(lucene, &root).ok()) << lucene;
    SearchRequest req;
    req.query = root.get();
    req.limit = limit;
    req.threads = threads;
    auto run = [&](const StoreSnapshot& snapshot) {
      std::string out;
      Status s = Search(snapshot, req, [&](const RowBatch& batch, size_t row) { out += RowJson(batch, row) + "\n"; });
      EXPECT_TRUE(s.ok()) << s.ToString();
      return out;
    };
    std::string from_part = run(parts_);
    EXPECT_EQ(from_part, run(unflushed_)) << lucene << " limit " << limit;
    return from_part;
  }

  test::TempDir dir_;
  std::shared_ptr<RowBatch> rows_;
  const PartReader* reader_ = nullptr;
  StoreSnapshot parts_, unflushed_;
};

TEST_F(RowGatherTest, RowsComeWholeInTheOrderAskedFromEverySource) {
  // The scan batches of some granules hold the time and the body (in
  // dictionary form where stored so, as a scan reads them); the others are
  // decoded whole. Unflushed rows come from their batch.
  const std::vector<size_t> scanned_columns = {logs_col::kTimestamp, logs_col::kBody};
  std::vector<std::shared_ptr<const RowBatch>> scanned(reader_->granule_count());
  for (size_t g = 0; g < scanned.size(); g += 2) {
    auto batch = std::make_shared<RowBatch>(Signal::kLogs);
    ASSERT_TRUE(reader_->ReadGranule(g, scanned_columns, batch.get(), /*keep_dictionaries=*/true).ok());
    scanned[g] = batch;
  }
  std::vector<GatherRow> wanted;
  std::vector<std::string> expected;
  for (size_t i = kRows; i-- > 0;) {  // newest first, a few rows of every granule
    if (i % 37 != 0 && i % 101 != 3) continue;
    size_t g = i / kGranuleRows;
    wanted.push_back(GatherRow{PartUnit(g), static_cast<uint32_t>(i % kGranuleRows), scanned[g]});
    expected.push_back(RowJson(*rows_, i));
    if (i % 3 == 0) {  // and the same row from memory
      ScanUnit memory;
      memory.unflushed = rows_;
      wanted.push_back(GatherRow{memory, static_cast<uint32_t>(i), nullptr});
      expected.push_back(RowJson(*rows_, i));
    }
  }
  for (unsigned threads : {1u, 2u, 4u}) {
    RowBatch out(Signal::kMetrics);  // replaced by a logs batch
    Status s = GatherRows(Signal::kLogs, wanted, scanned_columns, threads, &out);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(out.signal(), Signal::kLogs);
    ASSERT_EQ(out.rows(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(RowJson(out, i), expected[i]) << "row " << i;
  }
}

TEST_F(RowGatherTest, NoRowsGiveAnEmptyBatch) {
  RowBatch out(Signal::kLogs);
  ASSERT_TRUE(GatherRows(Signal::kLogs, {}, {}, 2, &out).ok());
  EXPECT_EQ(out.rows(), 0u);
}

TEST_F(RowGatherTest, ARowBeyondItsUnitIsAnError) {
  std::vector<GatherRow> wanted = {GatherRow{PartUnit(0), static_cast<uint32_t>(kGranuleRows), nullptr}};
  RowBatch out(Signal::kLogs);
  EXPECT_FALSE(GatherRows(Signal::kLogs, wanted, {}, 2, &out).ok());
}

// Free text (maps read whole by the scan, so reused), key lookups (maps
// decoded by key only, so decoded again whole) and no filter, with hits in
// one granule or all of them.
TEST_F(RowGatherTest, SearchesAnswerFromPartsAsFromMemory) {
  for (const char* q : {"refused", "http.status_code:500", "user:u3 AND refused", "", "SeverityText:ERROR"}) {
    for (size_t limit : {1u, 50u, 5000u}) {
      for (unsigned threads : {1u, 2u}) SearchBoth(q, limit, threads);
    }
  }
  // Spot checks that the answers are the stored rows, newest first.
  std::string all = SearchBoth("", 5000, 2);
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), static_cast<long>(kRows));
  EXPECT_EQ(all.substr(0, all.find('\n')), RowJson(*rows_, kRows - 1));
  std::string status_500 = SearchBoth("http.status_code:500", 1, 2);
  size_t newest_500 = kRows - 1;
  while (!(newest_500 % 5 != 0 && newest_500 % 4 == 0)) --newest_500;
  EXPECT_EQ(status_500, RowJson(*rows_, newest_500) + "\n");
}

}  // namespace
}  // namespace otelstack::query
