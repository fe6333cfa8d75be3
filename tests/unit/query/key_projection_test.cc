// Filters that only look attribute keys up read just those keys' entries of
// shredded attribute maps (planner KeyOnlyAttributeMaps, PartReader key
// projections); the answers must be those of whole maps.
#include <gtest/gtest.h>

#include "common/any_value.h"
#include "query/aggregate.h"
#include "query/execution/scan.h"
#include "query/parser/lucene_parser.h"
#include "query/parser/sql_parser.h"
#include "query/planner/binder.h"
#include "test_util/part_snapshot.h"
#include "test_util/sample_log_attributes.h"
#include "test_util/temp_dir.h"

namespace otelstack::query {
namespace {

std::vector<ColumnKeys> ProjectionsOf(const std::string& lucene) {
  ast::NodePtr root;
  EXPECT_TRUE(ParseLucene(lucene, &root).ok()) << lucene;
  BoundFilter bound;
  EXPECT_TRUE(BindFilter(Signal::kLogs, root.get(), &bound).ok()) << lucene;
  return KeyOnlyAttributeMaps(bound);
}

std::string Describe(const std::vector<ColumnKeys>& projections) {
  std::string out;
  for (const ColumnKeys& p : projections) {
    out += std::string(SchemaOf(Signal::kLogs)[p.column].name) + ":";
    for (const std::string& k : p.keys) out += k + ",";
    out += " ";
  }
  return out;
}

TEST(KeyOnlyAttributeMapsTest, KeysPerMapUnlessAMapIsReadWhole) {
  // An unqualified key is looked up in the three maps in order.
  EXPECT_EQ(Describe(ProjectionsOf("http.status_code:500")),
            "ResourceAttributes:http.status_code, ScopeAttributes:http.status_code, "
            "LogAttributes:http.status_code, ");
  EXPECT_EQ(Describe(ProjectionsOf("LogAttributes.user:u1 AND LogAttributes.http.method:GET -code:*")),
            "ResourceAttributes:code, ScopeAttributes:code, LogAttributes:code,http.method,user, ");
  // Free text reads every attribute map whole: no projection at all.
  EXPECT_EQ(Describe(ProjectionsOf("http.status_code:500 AND refused")), "");
  EXPECT_EQ(Describe(ProjectionsOf("SeverityText:ERROR")), "");
  EXPECT_EQ(Describe(ProjectionsOf("")), "");
}

// Logs whose LogAttributes hold several keys of several types, one of them
// sometimes missing, so the part stores the column shredded.
RowBatch Logs() {
  RowBatch b(Signal::kLogs);
  for (size_t i = 0; i < 600; ++i) {
    b.SetU64(logs_col::kTimestamp, 1000 + i);
    b.SetBytes(logs_col::kLogAttributes, test::SampleLogAttributes(i));
    std::string body;
    anyvalue::AppendString(&body, i % 7 == 0 ? "connection refused" : "ok");
    b.SetBytes(logs_col::kBody, body);
    b.FinishRow();
  }
  return b;
}

class KeyProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RowBatch rows = Logs();
    const PartReader* reader = test::AddPart(rows, dir_.Sub("logs.part"), 128, &parts_);
    ASSERT_NE(reader, nullptr);
    ASSERT_TRUE(reader->StoresShredded(0, logs_col::kLogAttributes)) << "the test needs LogAttributes shredded";
    unflushed_.unflushed.push_back(std::make_shared<RowBatch>(std::move(rows)));
  }

  // Counts (grouped by `group_by` when given) from the part and from the
  // unflushed batch, which are equal; returns them.
  std::string ExpectSame(const ast::Node* root, const std::string& group_by = "") {
    ChartRequest req;
    req.query = root;
    AggSpec count;
    EXPECT_TRUE(ParseAggSpec("count", &count).ok());
    req.aggregates.push_back(count);
    if (!group_by.empty()) {
      ast::Field field;
      EXPECT_TRUE(ParseFieldRef(group_by, &field).ok());
      req.group_by.push_back(field);
    }
    req.top_k = 0;
    req.threads = 2;
    auto text = [](const ChartResult& r) {
      std::string out;
      for (const ChartRow& row : r.rows) {
        for (const Cell& c : row.group) out += (c.kind == Cell::Kind::kString ? c.s : "?") + "=";
        out += std::to_string(row.values.at(0).i) + " ";
      }
      return out;
    };
    ChartResult from_part, from_unflushed;
    Status s = Chart(parts_, req, &from_part);
    EXPECT_TRUE(s.ok()) << s.ToString();
    s = Chart(unflushed_, req, &from_unflushed);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(text(from_part), text(from_unflushed));
    return text(from_unflushed);
  }
  std::string Lucene(const std::string& q, const std::string& group_by = "") {
    ast::NodePtr root;
    EXPECT_TRUE(ParseLucene(q, &root).ok()) << q;
    return ExpectSame(root.get(), group_by);
  }
  std::string Sql(const std::string& q) {
    ast::NodePtr root;
    EXPECT_TRUE(ParseSqlWhere(q, &root).ok()) << q;
    return ExpectSame(root.get());
  }

  test::TempDir dir_;
  StoreSnapshot parts_, unflushed_;
};

TEST_F(KeyProjectionTest, KeyLookupsAnswerAsOnWholeMaps) {
  // Rows with i % 5 != 0 and i % 4 == 0: 600/4 - 600/20 = 120.
  EXPECT_EQ(Lucene("http.status_code:500"), "120 ");
  EXPECT_EQ(Lucene("http.status_code:500 AND http.method:GET"), "40 ");
  EXPECT_EQ(Lucene("-http.status_code:*"), "120 ");
  EXPECT_EQ(Lucene("LogAttributes.user:u3 AND http.status_code:>=200"), Lucene("user:u3 AND http.status_code:*"));
  EXPECT_EQ(Sql("LogAttributes['http.status_code'] = 500 OR LogAttributes['user'] IN ('u1', 'u2')"),
            Sql("NOT (LogAttributes['http.status_code'] != 500 AND LogAttributes['user'] NOT IN ('u1', 'u2'))"));
  // With free text the maps are read whole; with a group-by on an attribute
  // the chart reads the map itself.
  Lucene("http.status_code:500 AND refused");
  Lucene("http.status_code:500 AND u4");
  Lucene("http.status_code:500", "http.method");
  Lucene("http.method:POST", "user");
}

}  // namespace
}  // namespace otelstack::query
