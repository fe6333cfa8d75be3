// A table with its own column names, read through a user column mapping
// (clickhouse::MakeMappedReadMapping via ConnectClickHouseBackend) on a real
// ClickHouse (Debian's 18.16: the compat layout): search, charts and facets
// see the mapped columns as otelstack's.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "clickhouse/table_layout.h"
#include "query/backend.h"
#include "query/parser/lucene_parser.h"
#include "query/parser/sql_parser.h"
#include "query/planner/binder.h"
#include "query/row_json.h"
#include "test_util/clickhouse_server.h"

namespace otelstack::query {
namespace {

constexpr uint64_t kSecond = 1'000'000'000;
constexpr uint64_t kT0 = 1'700'000'000;  // seconds, 2023-11-14

class ClickHouseMappedTableTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = test::SharedClickHouseServer();
    if (server_ == nullptr) return;
    clickhouse::Client client(server_->Connection());
    for (const std::string& sql : {
             std::string("CREATE DATABASE IF NOT EXISTS mapped_test"),
             std::string("DROP TABLE IF EXISTS mapped_test.app_logs"),
             std::string("CREATE TABLE mapped_test.app_logs (ts DateTime, msg String, svc String, lvl String, "
                         "trace String, attrs_k Array(String), attrs_v Array(String)) "
                         "ENGINE = MergeTree ORDER BY ts"),
             // Five rows, one per second from kT0; the trace ids in upper case.
             "INSERT INTO mapped_test.app_logs VALUES "
             "(" +
                 std::to_string(kT0) +
                 ", 'checkout started', 'checkout', 'info', "
                 "'0AF7651916CD43DD8448EB211C80319C', ['user.id', 'order.id'], ['u1', 'o1']), "
                 "(" +
                 std::to_string(kT0 + 1) +
                 ", 'payment declined', 'checkout', 'error', '', ['order.id'], ['o1']), "
                 "(" +
                 std::to_string(kT0 + 2) +
                 ", 'cart updated', 'cart', 'info', 'not-hex', [], []), "
                 "(" +
                 std::to_string(kT0 + 3) +
                 ", 'cart emptied', 'cart', 'warn', '', ['user.id'], ['u2']), "
                 "(" +
                 std::to_string(kT0 + 4) + ", 'payment retried', 'billing', 'Error', '', [], [])",
         }) {
      Status s = client.Query(sql, {}, nullptr);
      ASSERT_TRUE(s.ok()) << sql << ": " << s.ToString();
    }
  }

  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static clickhouse::ColumnMapping AppLogsMapping() {
    clickhouse::ColumnMapping m;
    m.expressions[logs_col::kTimestamp] = "ts";
    m.expressions[logs_col::kBody] = "msg";
    m.expressions[logs_col::kServiceName] = "svc";
    m.expressions[logs_col::kSeverityText] = "upper(lvl)";
    m.expressions[logs_col::kTraceId] = "trace";
    m.expressions[logs_col::kLogAttributes] = "(attrs_k, attrs_v)";
    return m;
  }

  static StatusOr<std::unique_ptr<QueryBackend>> Connect(const clickhouse::ColumnMapping& mapping) {
    clickhouse::SchemaOptions schema;
    schema.database = "mapped_test";
    schema.tables.logs = "app_logs";
    return ConnectClickHouseBackend(server_->Connection(), schema, {{Signal::kLogs, mapping}});
  }

  struct Row {
    uint64_t time;
    std::string service, severity, json;
  };
  static std::vector<Row> Search(const QueryBackend& backend, const std::string& lucene, uint64_t from_ns = 0,
                                 uint64_t to_ns = UINT64_MAX) {
    ast::NodePtr root;
    EXPECT_TRUE(ParseLucene(lucene, &root).ok()) << lucene;
    SearchRequest req;
    req.signal = Signal::kLogs;
    req.query = root.get();
    req.from_ns = from_ns;
    req.to_ns = to_ns;
    std::vector<Row> rows;
    Status s = backend.Search(
        req,
        [&](const RowBatch& b, size_t r) {
          Row row{b.Time(r), std::string(b.Bytes(logs_col::kServiceName, r)),
                  std::string(b.Bytes(logs_col::kSeverityText, r)), ""};
          EXPECT_TRUE(AppendRowJson(b, r, &row.json).ok());
          rows.push_back(std::move(row));
        },
        nullptr);
    EXPECT_TRUE(s.ok()) << lucene << ": " << s.ToString();
    return rows;
  }

  static inline test::ClickHouseTestServer* server_ = nullptr;
};

TEST_F(ClickHouseMappedTableTest, SearchReadsTheMappedColumnsNewestFirst) {
  auto backend = Connect(AppLogsMapping());
  ASSERT_TRUE(backend.ok()) << backend.status().ToString();

  std::vector<Row> all = Search(**backend, "");
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].time, (kT0 + 4 - i) * kSecond) << i;
  EXPECT_EQ(all[0].service, "billing");
  EXPECT_EQ(all[0].severity, "ERROR");  // upper(lvl)
  EXPECT_NE(all[0].json.find("\"Body\":\"payment retried\""), std::string::npos) << all[0].json;
  // Trace ids come back lower-case; a value that is not hex reads as none.
  EXPECT_NE(all[4].json.find("0af7651916cd43dd8448eb211c80319c"), std::string::npos) << all[4].json;
  EXPECT_EQ(all[2].json.find("not-hex"), std::string::npos) << all[2].json;
  // The attributes tuple is the LogAttributes map.
  EXPECT_NE(all[4].json.find("\"user.id\":\"u1\""), std::string::npos) << all[4].json;

  std::vector<Row> checkout = Search(**backend, "ServiceName:checkout");
  ASSERT_EQ(checkout.size(), 2u);
  EXPECT_EQ(checkout[0].time, (kT0 + 1) * kSecond);
  EXPECT_EQ(checkout[1].time, kT0 * kSecond);

  // Free text looks at the mapped Body and the attributes.
  std::vector<Row> payment = Search(**backend, "payment");
  ASSERT_EQ(payment.size(), 2u);
  EXPECT_EQ(payment[0].service, "billing");
  EXPECT_EQ(Search(**backend, "u2").size(), 1u);
  EXPECT_EQ(Search(**backend, "SeverityText:ERROR").size(), 2u);
  EXPECT_EQ(Search(**backend, "order.id:o1").size(), 2u);
  EXPECT_EQ(Search(**backend, "ServiceName:cart AND -SeverityText:WARN").size(), 1u);
  EXPECT_EQ(Search(**backend, "TraceId:0af7651916cd43dd8448eb211c80319c").size(), 1u);

  // The time range applies to the mapped timestamp.
  std::vector<Row> middle = Search(**backend, "", (kT0 + 1) * kSecond, (kT0 + 3) * kSecond);
  ASSERT_EQ(middle.size(), 3u);
  EXPECT_EQ(middle.front().time, (kT0 + 3) * kSecond);
  EXPECT_EQ(middle.back().time, (kT0 + 1) * kSecond);
}

TEST_F(ClickHouseMappedTableTest, ChartsAndFacetsGroupByMappedColumns) {
  auto backend = Connect(AppLogsMapping());
  ASSERT_TRUE(backend.ok()) << backend.status().ToString();

  ChartRequest chart;
  chart.signal = Signal::kLogs;
  AggSpec count;
  ASSERT_TRUE(ParseAggSpec("count", &count).ok());
  chart.aggregates.push_back(count);
  ast::Field service;
  ASSERT_TRUE(ParseFieldRef("ServiceName", &service).ok());
  chart.group_by.push_back(service);
  ChartResult result;
  Status s = (*backend)->Chart(chart, &result);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::map<std::string, int64_t> counts;
  for (const ChartRow& row : result.rows) {
    ASSERT_EQ(row.group.size(), 1u);
    ASSERT_EQ(row.values.size(), 1u);
    counts[row.group[0].s] =
        row.values[0].kind == Cell::Kind::kInt ? row.values[0].i : static_cast<int64_t>(row.values[0].d);
  }
  EXPECT_EQ(counts, (std::map<std::string, int64_t>{{"billing", 1}, {"cart", 2}, {"checkout", 2}}));

  // Per-second buckets on the mapped timestamp.
  chart.group_by.clear();
  chart.granularity_ns = kSecond;
  chart.from_ns = kT0 * kSecond;
  chart.to_ns = (kT0 + 10) * kSecond;
  ChartResult buckets;
  s = (*backend)->Chart(chart, &buckets);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(buckets.rows.size(), 5u);
  EXPECT_EQ(buckets.rows[0].bucket, kT0 * kSecond);

  FacetsRequest facets;
  facets.signal = Signal::kLogs;
  ast::Field severity;
  ASSERT_TRUE(ParseFieldRef("SeverityText", &severity).ok());
  facets.fields.push_back(severity);
  std::vector<Facet> out;
  s = (*backend)->Facets(facets, &out, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(out.size(), 1u);
  ASSERT_FALSE(out[0].values.empty());
  EXPECT_EQ(out[0].values[0].value.s, "ERROR");
  EXPECT_EQ(out[0].values[0].count, 2u);
}

TEST_F(ClickHouseMappedTableTest, BodyMayBeComputedFromAColumnNamedLikeOurs) {
  // A table that has otelstack's column name with other contents: the
  // mapped expression reads the table's column, not the projected alias.
  clickhouse::Client client(server_->Connection());
  for (const char* sql : {"DROP TABLE IF EXISTS mapped_test.json_logs",
                          "CREATE TABLE mapped_test.json_logs (Timestamp DateTime, Body String) "
                          "ENGINE = MergeTree ORDER BY Timestamp",
                          "INSERT INTO mapped_test.json_logs VALUES (1700000000, '{\"message\":\"hello\"}')"}) {
    Status s = client.Query(sql, {}, nullptr);
    ASSERT_TRUE(s.ok()) << sql << ": " << s.ToString();
  }
  clickhouse::ColumnMapping m;
  m.expressions[logs_col::kTimestamp] = "Timestamp";
  m.expressions[logs_col::kBody] = "visitParamExtractString(Body, 'message')";
  m.expressions[logs_col::kServiceName] = "'json-service'";
  clickhouse::SchemaOptions schema;
  schema.database = "mapped_test";
  schema.tables.logs = "json_logs";
  auto backend = ConnectClickHouseBackend(server_->Connection(), schema, {{Signal::kLogs, m}});
  ASSERT_TRUE(backend.ok()) << backend.status().ToString();
  std::vector<Row> rows = Search(**backend, "hello");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].service, "json-service");
  EXPECT_NE(rows[0].json.find("\"Body\":\"hello\""), std::string::npos) << rows[0].json;
}

TEST_F(ClickHouseMappedTableTest, BadMappingsAreRefusedByName) {
  clickhouse::ColumnMapping hostile = AppLogsMapping();
  hostile.expressions[logs_col::kBody] = "msg FROM system.one";
  auto backend = Connect(hostile);
  ASSERT_EQ(backend.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(backend.status().message().find("Body"), std::string::npos) << backend.status().ToString();

  clickhouse::ColumnMapping unmappable;
  unmappable.expressions[logs_col::kScopeAttributes + 100] = "x";
  EXPECT_EQ(Connect(unmappable).status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace otelstack::query
