// Free text without a field reads the attribute maps of part granules field
// by field (planner TextOnlyAttributeMaps, PartReader::ReadGranuleMapFields,
// CompiledFilter::Filter with UnreadMaps) instead of rebuilding every row's
// map; the answers must be those of whole maps.
#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "common/any_value.h"
#include "query/execution/scan.h"
#include "query/parser/lucene_parser.h"
#include "query/planner/binder.h"
#include "query/row_json.h"
#include "query/search.h"
#include "test_util/any_value_builders.h"
#include "test_util/part_snapshot.h"
#include "test_util/temp_dir.h"

namespace otelstack::query {
namespace {

std::string TextOnlyMapsOf(const std::string& lucene) {
  ast::NodePtr root;
  EXPECT_TRUE(ParseLucene(lucene, &root).ok()) << lucene;
  BoundFilter bound;
  EXPECT_TRUE(BindFilter(Signal::kLogs, root.get(), &bound).ok()) << lucene;
  std::string out;
  for (size_t map : TextOnlyAttributeMaps(bound)) out += std::string(SchemaOf(Signal::kLogs)[map].name) + " ";
  return out;
}

TEST(TextOnlyAttributeMapsTest, MapsReadForFreeTextAlone) {
  EXPECT_EQ(TextOnlyMapsOf("refused"), "ResourceAttributes ScopeAttributes LogAttributes ");
  EXPECT_EQ(TextOnlyMapsOf("refused OR \"timed out\" -blue"), "ResourceAttributes ScopeAttributes LogAttributes ");
  // A key looked up in a map (unqualified: in all three) needs it decoded.
  EXPECT_EQ(TextOnlyMapsOf("refused AND LogAttributes.user:u1"), "ResourceAttributes ScopeAttributes ");
  EXPECT_EQ(TextOnlyMapsOf("refused AND http.method:GET"), "");
  // Text in a named field, or no text: no map is read for text.
  EXPECT_EQ(TextOnlyMapsOf("Body:refused"), "");
  EXPECT_EQ(TextOnlyMapsOf("SeverityText:ERROR"), "");
  EXPECT_EQ(TextOnlyMapsOf(""), "");
}

// LogAttributes of every value kind a shredded block stores differently:
// strings with few values (a dictionary), templated ids, random hex ids,
// ints, doubles, bools, arrays and a key that is sometimes of another type.
std::string RichAttributes(size_t i, std::mt19937_64& rng) {
  using namespace test;
  std::string hex;
  for (int k = 0; k < 32; ++k) hex.push_back("0123456789abcdef"[rng() % 16]);
  std::vector<Kv> items = {{"http.method", S(i % 3 == 0 ? "GET" : "POST")},
                           {"user.id", S("user-" + std::to_string(rng() % 5000))},
                           {"http.status_code", I(i % 4 == 0 ? 500 : 200)},
                           {"duration_ms", D(static_cast<double>(rng() % 100000) / 1000)}};
  if (i % 3 == 1) items.push_back({"request.id", S(hex)});
  if (i % 5 == 0) items.push_back({"cache.hit", B(i % 10 == 0)});
  if (i % 7 == 0) {
    std::string tags;
    size_t h = anyvalue::BeginArray(&tags);
    anyvalue::AppendString(&tags, i % 14 == 0 ? "blue" : "green");
    anyvalue::AppendInt(&tags, static_cast<int64_t>(i));
    anyvalue::EndList(&tags, h, 2);
    items.push_back({"tags", tags});
  }
  items.push_back({"retry", i % 11 == 0 ? S("none") : I(static_cast<int64_t>(i % 4))});
  return Map(items);
}

RowBatch Logs() {
  RowBatch b(Signal::kLogs);
  std::mt19937_64 rng(3);
  for (size_t i = 0; i < 1000; ++i) {
    b.SetU64(logs_col::kTimestamp, 1000 + i);
    b.SetBytes(logs_col::kLogAttributes, RichAttributes(i, rng));
    std::string body;
    anyvalue::AppendString(&body, i % 13 == 0 ? "connection refused for user-42" : "ok");
    b.SetBytes(logs_col::kBody, body);
    b.FinishRow();
  }
  return b;
}

class FreeTextPushdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RowBatch rows = Logs();
    reader_ = test::AddPart(rows, dir_.Sub("logs.part"), 128, &parts_);
    ASSERT_NE(reader_, nullptr);
    for (size_t g = 0; g < reader_->granule_count(); ++g) {
      ASSERT_TRUE(reader_->StoresShredded(g, logs_col::kLogAttributes)) << "the test needs LogAttributes shredded";
    }
    unflushed_.unflushed.push_back(std::make_shared<RowBatch>(std::move(rows)));
  }

  // The rows of every granule that `lucene` matches, filtered with the maps
  // decoded into the batch and with LogAttributes left in the part: the two
  // must agree. Returns how many matched.
  size_t ExpectSameRows(const std::string& lucene) {
    SCOPED_TRACE(lucene);
    ast::NodePtr root;
    EXPECT_TRUE(ParseLucene(lucene, &root).ok());
    PreparedScan prepared;
    EXPECT_TRUE(PrepareScan(Signal::kLogs, 0, UINT64_MAX, root.get(), QueryLimits(), 1, &prepared).ok());
    EXPECT_EQ(prepared.request.filter_text_only_maps.size(), 3u);
    std::vector<size_t> columns = prepared.filter->columns();
    std::vector<size_t> without_map = columns;
    std::erase(without_map, logs_col::kLogAttributes);
    EXPECT_NE(without_map.size(), columns.size());
    size_t matched = 0;
    for (size_t g = 0; g < reader_->granule_count(); ++g) {
      RowBatch whole(Signal::kLogs), partial(Signal::kLogs);
      EXPECT_TRUE(reader_->ReadGranule(g, columns, &whole, /*keep_dictionaries=*/true).ok());
      EXPECT_TRUE(reader_->ReadGranule(g, without_map, &partial, /*keep_dictionaries=*/true).ok());
      std::vector<uint32_t> want(whole.rows()), got(whole.rows());
      std::iota(want.begin(), want.end(), 0u);
      std::iota(got.begin(), got.end(), 0u);
      EXPECT_TRUE(prepared.filter->Filter(whole, &want).ok());
      UnreadMaps unread{reader_, g, {logs_col::kLogAttributes}};
      Status s = prepared.filter->Filter(partial, &got, &unread);
      EXPECT_TRUE(s.ok()) << s.ToString();
      EXPECT_EQ(got, want) << "granule " << g;
      matched += want.size();
    }
    return matched;
  }

  // Search results (newest 50, as JSON) from the part and from the same rows
  // unflushed, which must agree; returns how many.
  size_t ExpectSameSearch(const std::string& lucene) {
    SCOPED_TRACE(lucene);
    ast::NodePtr root;
    EXPECT_TRUE(ParseLucene(lucene, &root).ok());
    auto run = [&](const StoreSnapshot& snapshot) {
      SearchRequest req;
      req.query = root.get();
      req.limit = 50;
      req.threads = 2;
      std::vector<std::string> out;
      Status s = Search(snapshot, req, [&](const RowBatch& b, size_t r) {
        std::string json;
        EXPECT_TRUE(AppendRowJson(b, r, &json).ok());
        out.push_back(std::move(json));
      });
      EXPECT_TRUE(s.ok()) << s.ToString();
      return out;
    };
    std::vector<std::string> from_part = run(parts_), from_unflushed = run(unflushed_);
    EXPECT_EQ(from_part, from_unflushed);
    return from_part.size();
  }

  test::TempDir dir_;
  const PartReader* reader_ = nullptr;
  StoreSnapshot parts_, unflushed_;
};

TEST_F(FreeTextPushdownTest, FieldByFieldMatchesAsWholeMaps) {
  EXPECT_EQ(ExpectSameRows("GET"), 334u);    // a dictionary entry: i % 3 == 0
  EXPECT_EQ(ExpectSameRows("blue"), 72u);    // inside an array: i % 14 == 0
  EXPECT_EQ(ExpectSameRows("none"), 91u);    // a key of two types: i % 11 == 0
  EXPECT_EQ(ExpectSameRows("true"), 100u);   // a bool: i % 10 == 0
  EXPECT_GE(ExpectSameRows("500"), 250u);    // an int (i % 4 == 0), and some user ids
  EXPECT_GT(ExpectSameRows("user-42"), 0u);  // templated ids, and bodies
  EXPECT_GT(ExpectSameRows("*ser-4*"), 0u);  // a partial word
  EXPECT_GT(ExpectSameRows("\"user-1\" OR 2.5 OR 17"), 0u);
  EXPECT_EQ(ExpectSameRows("refused NOT GET"), ExpectSameRows("refused") - ExpectSameRows("refused AND GET"));
  EXPECT_EQ(ExpectSameRows("nowhere"), 0u);
}

TEST_F(FreeTextPushdownTest, SearchesAnswerAsFromUnflushedRows) {
  EXPECT_EQ(ExpectSameSearch("GET"), 50u);
  EXPECT_GE(ExpectSameSearch("blue AND 500"), 36u);  // i % 28 == 0, and perhaps a user id
  EXPECT_GT(ExpectSameSearch("user-42"), 0u);
  EXPECT_EQ(ExpectSameSearch("nowhere"), 0u);
}

}  // namespace
}  // namespace otelstack::query
