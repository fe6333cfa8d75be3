// The ClickHouse query engine (query/clickhouse/engine.h) against the
// embedded engine on the same rows: the rows go into a real ClickHouse
// (tables of clickhouse/table_layout.h, compat layout on Debian's 18.16) and
// into a snapshot held in memory; every query must give the same rows,
// chart cells and facets on both.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "clickhouse/http_client.h"
#include "clickhouse/table_layout.h"
#include "common/any_value.h"
#include "query/aggregate.h"
#include "query/clickhouse/engine.h"
#include "query/facets.h"
#include "query/parser/lucene_parser.h"
#include "query/parser/sql_parser.h"
#include "query/planner/binder.h"
#include "query/row_json.h"
#include "query/search.h"
#include "query/trace.h"
#include "test_util/any_value_builders.h"
#include "test_util/clickhouse_server.h"

namespace otelstack::query {
namespace {

using namespace test;  // the any_value_builders

constexpr uint64_t kT0 = 1'700'000'000'000'000'000;  // 2023-11-14
constexpr uint64_t kSecond = 1'000'000'000;





const char* kServices[] = {"api", "web", "db", "worker", "Gateway"};
const char* kSeverities[] = {"INFO", "WARN", "ERROR", "DEBUG"};
const char* kBodies[] = {"GET /api/v1/orders 200",
                         "Payment FAILED: card declined",
                         "connection refused by upstream",
                         "user@example.com logged in",
                         "ErrorHandler retried job",
                         "slow query took 1520 ms",
                         "deadlock detected; Connection Refused",
                         "naïve café crème 100%",
                         "it's a 'quoted' \\ backslash",
                         "rare-needle-zq9 appeared once"};
// Attribute strings, including numeric-looking ones that must parse (or not)
// exactly as the embedded engine parses them.
const char* kNumStrings[] = {"123", "+5", "-7",  "1e3", "abc", "007",  "99999999999999999999", "2.5", ".5", "5.",
                             "",    " 1", "inf", "-0",  "1e",  "12abc"};

RowBatch MakeLogs(size_t n) {
  RowBatch b(Signal::kLogs);
  std::mt19937 rng(42);
  for (size_t i = 0; i < n; ++i) {
    b.SetU64(logs_col::kTimestamp, kT0 + i * 7 * kSecond + rng() % 1000);
    b.SetU64(logs_col::kObservedTimestamp, kT0 + i * 7 * kSecond + 5);
    std::string trace(16, static_cast<char>(0x10 + i % 5));
    b.SetBytes(logs_col::kTraceId, i % 3 == 0 ? trace : std::string());
    b.SetBytes(logs_col::kSeverityText, kSeverities[rng() % 4]);
    b.SetI64(logs_col::kSeverityNumber, static_cast<int64_t>(rng() % 24));
    b.SetBytes(logs_col::kServiceName, kServices[rng() % 5]);
    b.SetBytes(logs_col::kBody, S(kBodies[rng() % 10]));
    std::vector<Kv> attrs;
    if (rng() % 4 != 0)
      attrs.push_back({"http.status_code", I(std::vector<int64_t>{200, 404, 500, 503, 201}[rng() % 5])});
    if (rng() % 3 != 0) attrs.push_back({"num", S(kNumStrings[rng() % std::size(kNumStrings)])});
    if (rng() % 2 == 0) attrs.push_back({"latency", D((rng() % 1000) / 8.0)});
    if (rng() % 5 == 0) attrs.push_back({"sampled", B(rng() % 2 == 0)});
    if (rng() % 3 == 0) attrs.push_back({"user.id", S("u-" + std::to_string(rng() % 9))});
    b.SetBytes(logs_col::kLogAttributes, Map(attrs));
    std::vector<Kv> resource = {{"service.name", S(kServices[i % 5])},
                                  {"k8s.pod.name", S(std::string("pod-") + std::to_string(i % 4))}};
    if (i % 7 == 0) resource.push_back({"num", S("42")});  // also a resource key: LogAttributes wins
    b.SetBytes(logs_col::kResourceAttributes, Map(resource));
    b.SetBytes(logs_col::kScopeAttributes, Map({}));
    b.SetBytes(logs_col::kScopeName, "scope");
    b.FinishRow();
  }
  return b;
}

RowBatch MakeTraces(size_t n) {
  RowBatch b(Signal::kTraces);
  std::mt19937 rng(7);
  for (size_t i = 0; i < n; ++i) {
    b.SetU64(traces_col::kTimestamp, kT0 + i * 11 * kSecond);
    b.SetBytes(traces_col::kTraceId, std::string(16, static_cast<char>(0x10 + i % 5)));
    b.SetBytes(traces_col::kSpanId, std::string(8, static_cast<char>(i)));
    b.SetBytes(traces_col::kSpanName, i % 2 ? "GET /orders" : "SELECT orders");
    b.SetBytes(traces_col::kSpanKind, i % 3 ? "Server" : "Client");
    b.SetBytes(traces_col::kServiceName, kServices[rng() % 5]);
    b.SetBytes(traces_col::kResourceAttributes, Map({{"service.name", S(kServices[i % 5])}}));
    b.SetBytes(traces_col::kScopeAttributes, Map({}));
    b.SetBytes(traces_col::kSpanAttributes, Map({{"http.route", S(i % 4 ? "/orders" : "/health")}}));
    b.SetU64(traces_col::kDuration, 1000 + rng() % 5'000'000);
    b.SetBytes(traces_col::kStatusCode, i % 9 == 0 ? "Error" : "Ok");
    b.SetBytes(traces_col::kStatusMessage, i % 9 == 0 ? "upstream timed out" : "");
    std::string empty_list;  // what ingestion writes for a span without events or links
    anyvalue::EndList(&empty_list, anyvalue::BeginArray(&empty_list), 0);
    b.SetBytes(traces_col::kEvents, empty_list);
    b.SetBytes(traces_col::kLinks, empty_list);
    b.FinishRow();
  }
  return b;
}

RowBatch MakeMetrics() {
  RowBatch b(Signal::kMetrics);
  for (size_t series = 0; series < 3; ++series) {
    double total = 0;
    for (size_t p = 0; p < 40; ++p) {
      b.SetU64(metrics_col::kTimeUnix, kT0 + p * 15 * kSecond + series);
      b.SetU64(metrics_col::kStartTimeUnix, p == 20 && series == 1 ? kT0 + 1 : kT0);
      b.SetBytes(metrics_col::kServiceName, kServices[series]);
      b.SetBytes(metrics_col::kMetricName, "http.requests");
      b.SetBytes(metrics_col::kMetricType, "Sum");
      b.SetBytes(metrics_col::kResourceAttributes, Map({{"service.name", S(kServices[series])}}));
      b.SetBytes(metrics_col::kScopeAttributes, Map({}));
      b.SetBytes(metrics_col::kAttributes, Map({{"route", S(series == 2 ? "/b" : "/a")}}));
      total = (p == 20 && series == 1) ? 3 : total + static_cast<double>((p * 7 + series) % 11);
      b.SetF64(metrics_col::kValue, total);
      b.SetI64(metrics_col::kAggregationTemporality, 2);
      b.SetI64(metrics_col::kIsMonotonic, 1);
      b.FinishRow();
    }
  }
  return b;
}

class ClickHouseEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = test::SharedClickHouseServer();
    if (server_ == nullptr) return;
    client_ = new clickhouse::Client(server_->Connection());
    options_ = new clickhouse::SchemaOptions();
    options_->layout = clickhouse::Layout::kCompat;
    options_->database = "query_engine_test";
    Status s = clickhouse::EnsureSchema(*client_, *options_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    batches_ = new std::vector<std::shared_ptr<RowBatch>>{std::make_shared<RowBatch>(MakeLogs(400)),
                                                          std::make_shared<RowBatch>(MakeTraces(120)),
                                                          std::make_shared<RowBatch>(MakeMetrics())};
    snapshot_ = new StoreSnapshot();
    for (const auto& batch : *batches_) {
      snapshot_->unflushed.push_back(batch);
      std::vector<clickhouse::InsertBatch> inserts;
      s = clickhouse::EncodeInserts(batch->signal(), {batch.get()}, {1}, *options_, &inserts);
      ASSERT_TRUE(s.ok()) << s.ToString();
      for (const auto& insert : inserts) {
        s = client_->Insert(insert.sql, insert.data, {});
        ASSERT_TRUE(s.ok()) << s.ToString();
      }
    }
    mappings_ = new std::vector<std::unique_ptr<clickhouse::ReadMapping>>();
    for (Signal signal : kAllSignals) mappings_->push_back(clickhouse::MakeReadMapping(signal, *options_));
  }

  void SetUp() override { ASSERT_NE(server_, nullptr); }

  ch::ClickHouseSource Source(Signal signal) {
    return ch::ClickHouseSource{client_, (*mappings_)[static_cast<size_t>(signal)].get(), false};
  }

  static ast::NodePtr Parse(const std::string& text, bool sql) {
    ast::NodePtr root;
    Status s = sql ? ParseSqlWhere(text, &root) : ParseLucene(text, &root);
    EXPECT_TRUE(s.ok()) << text << ": " << s.ToString();
    return root;
  }

  // Times of the rows a search returns, on both engines.
  void ExpectSameSearch(Signal signal, const std::string& text, bool sql, size_t limit = 1000) {
    ast::NodePtr root = Parse(text, sql);
    SearchRequest req;
    req.signal = signal;
    req.query = root.get();
    req.limit = limit;
    std::vector<uint64_t> embedded, clickhouse;
    Status s = Search(*snapshot_, req, [&](const RowBatch& b, size_t r) { embedded.push_back(b.Time(r)); });
    ASSERT_TRUE(s.ok()) << s.ToString();
    s = ch::Search(Source(signal), req, [&](const RowBatch& b, size_t r) { clickhouse.push_back(b.Time(r)); });
    ASSERT_TRUE(s.ok()) << text << ": " << s.ToString();
    EXPECT_EQ(clickhouse, embedded) << (sql ? "sql: " : "lucene: ") << text;
  }

  static std::string CellText(const Cell& c) {
    switch (c.kind) {
      case Cell::Kind::kNull:
        return "null";
      case Cell::Kind::kInt:
        return "i" + std::to_string(c.i);
      case Cell::Kind::kDouble: {
        char buf[40];
        std::snprintf(buf, sizeof(buf), "d%.12g", c.d);  // sums may differ in the last bits
        return buf;
      }
      case Cell::Kind::kString:
        return "s'" + c.s + "'";
    }
    return "?";
  }

  static std::string ChartText(const ChartResult& r) {
    std::string out;
    for (size_t i = 0; i < r.columns.size(); ++i) out += r.columns[i] + "[" + r.units[i] + "] ";
    out += "\n";
    for (const ChartRow& row : r.rows) {
      out += row.bucket ? std::to_string(*row.bucket) : "-";
      for (const Cell& c : row.group) out += " " + CellText(c);
      out += " |";
      for (const Cell& c : row.values) out += " " + CellText(c);
      out += "\n";
    }
    return out;
  }

  void ExpectSameChart(Signal signal, const std::string& where, const std::vector<std::string>& aggs,
                       const std::vector<std::string>& group_by, uint64_t granularity = 0, size_t top_k = 10) {
    ast::NodePtr root = where.empty() ? nullptr : Parse(where, true);
    ChartRequest req;
    req.signal = signal;
    req.query = root.get();
    req.granularity_ns = granularity;
    req.top_k = top_k;
    req.from_ns = kT0;
    req.to_ns = kT0 + 3600 * kSecond;
    for (const std::string& a : aggs) {
      AggSpec spec;
      ASSERT_TRUE(ParseAggSpec(a, &spec).ok()) << a;
      req.aggregates.push_back(spec);
    }
    for (const std::string& g : group_by) {
      ast::Field f;
      ASSERT_TRUE(ParseFieldRef(g, &f).ok()) << g;
      req.group_by.push_back(f);
    }
    ChartResult embedded, clickhouse;
    Status s = Chart(*snapshot_, req, &embedded);
    ASSERT_TRUE(s.ok()) << s.ToString();
    s = ch::Chart(Source(signal), req, &clickhouse);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(ChartText(clickhouse), ChartText(embedded)) << "where: " << where;
    EXPECT_GT(clickhouse.stats.rows_read, 0u);
  }

  static inline test::ClickHouseTestServer* server_ = nullptr;
  static inline clickhouse::Client* client_ = nullptr;
  static inline clickhouse::SchemaOptions* options_ = nullptr;
  static inline std::vector<std::shared_ptr<RowBatch>>* batches_ = nullptr;
  static inline StoreSnapshot* snapshot_ = nullptr;
  static inline std::vector<std::unique_ptr<clickhouse::ReadMapping>>* mappings_ = nullptr;
};

TEST_F(ClickHouseEngineTest, LuceneSearchesMatchTheEmbeddedEngine) {
  for (const char* q : {"",
                        "error",
                        "ERROR",
                        "err*",
                        "*rror",
                        "*onnec*",
                        "\"connection refused\"",
                        "\"alice example com\"",
                        "user@example.com",
                        "api/v1/ord*",
                        "café",
                        "naïve",
                        "100",
                        "ServiceName:api",
                        "-ServiceName:db",
                        "SeverityText:ERROR AND ServiceName:api",
                        "http.status_code:500",
                        "http.status_code:[400 TO 503]",
                        "http.status_code:{400 TO 503}",
                        "num:123",
                        "num:*",
                        "user.id:u-3 OR user.id:u-4",
                        "Body:refused",
                        "quoted",
                        "\"it's\"",
                        "backslash",
                        "rare-needle-zq9",
                        "k8s.pod.name:pod-1",
                        "sampled:true",
                        "latency:[10 TO 20]"}) {
    ExpectSameSearch(Signal::kLogs, q, false);
  }
  ExpectSameSearch(Signal::kLogs, "error", false, 7);
  ExpectSameSearch(Signal::kTraces, "timed", false);
  ExpectSameSearch(Signal::kTraces, "orders", false);
}

TEST_F(ClickHouseEngineTest, SqlSearchesMatchTheEmbeddedEngine) {
  for (const char* q : {"http.status_code >= 500",
                        "LogAttributes['http.status_code'] = 200",
                        "http.status_code = '200'",
                        "num > 100",
                        "num < 100",
                        "num = 5",
                        "num != 5",
                        "num = 'abc'",
                        "num != 'abc'",
                        "num >= -7",
                        "num = 1000",
                        "num = 0.5",
                        "num = 123.0",
                        "num <= 1e30",
                        "missing = ''",
                        "missing != 3",
                        "missing = 3",
                        "missing IS NULL",
                        "num IS NOT NULL",
                        "latency < 2.5",
                        "latency > 100",
                        "latency = 62.5",
                        "Body LIKE '%refused%'",
                        "Body ILIKE '%REFUSED%'",
                        "Body NOT LIKE '%e%'",
                        "Body LIKE 'GET _api%'",
                        "Body LIKE '%100\\%'",
                        "ServiceName IN ('api', 'web')",
                        "ServiceName NOT IN ('api')",
                        "http.status_code IN (200, 404)",
                        "(http.status_code + 1) % 2 = 1",
                        "http.status_code / 2 > 200",
                        "-http.status_code < -400",
                        "SeverityNumber * 2 >= 10",
                        "num + 1 > 100",
                        "num * 2 = 14",
                        "num % 2 = 1",
                        "num - 1 < 0",
                        "SeverityNumber % 0 = 0",
                        "SeverityNumber / 0 > 1",
                        "Timestamp > 1700000000500000000",
                        "TraceId = '10101010101010101010101010101010'",
                        "TraceId != ''",
                        "ServiceName > 'db'",
                        "ServiceName = 'it''s'",
                        "ResourceAttributes['num'] = 42",
                        "user.id = 'u-1' OR latency > 50",
                        "NOT (ServiceName = 'api')",
                        "sampled = 'true'",
                        "ScopeName = 'scope'"}) {
    ExpectSameSearch(Signal::kLogs, q, true);
  }
  ExpectSameSearch(Signal::kTraces, "Duration > 2500000 AND SpanKind = 'Server'", true);
  ExpectSameSearch(Signal::kTraces, "StatusCode = 'Error'", true);
}

TEST_F(ClickHouseEngineTest, InjectionAttemptsStayLiterals) {
  // Each would break out of a naively quoted literal; here they match nothing
  // (or what the embedded engine matches) and the tables survive.
  for (const char* q : {"Body = 'x'' OR 1=1 --'", "Body = 'x\\' OR 1=1 --'",
                        "Body LIKE '%'')) OR 1=1; DROP TABLE otel_logs; --'", "num = '\\\\'' OR ''='"}) {
    ExpectSameSearch(Signal::kLogs, q, true);
  }
  for (const char* q : {"\"x') OR 1=1 --\"", "x\\'y", "\"\\\\' OR 1\""}) ExpectSameSearch(Signal::kLogs, q, false);
  ExpectSameSearch(Signal::kLogs, "", false);  // every row still there
}

TEST_F(ClickHouseEngineTest, ChartsMatchTheEmbeddedEngine) {
  ExpectSameChart(Signal::kLogs, "", {"count"}, {});
  ExpectSameChart(Signal::kLogs, "ServiceName = 'nothing'", {"count", "sum(num)", "p50(num)"}, {});
  ExpectSameChart(Signal::kLogs, "", {"count", "count_distinct(user.id)", "count_distinct(ServiceName)"},
                  {"ServiceName"}, 300 * kSecond);
  ExpectSameChart(Signal::kLogs, "", {"sum(num)", "avg(num)", "min(num)", "max(num)", "p50(num)", "p99(num)"},
                  {"SeverityText"});
  ExpectSameChart(Signal::kLogs, "",
                  {"sum(latency)", "avg(latency)", "min(latency)", "max(latency)", "quantile(0.3,latency)",
                   "count_distinct(latency)"},
                  {"ServiceName"}, 600 * kSecond);
  ExpectSameChart(
      Signal::kLogs, "",
      {"sum(http.status_code)", "min(SeverityNumber)", "p90(SeverityNumber)", "count_distinct(SeverityNumber)"},
      {"http.status_code", "k8s.pod.name"});
  ExpectSameChart(Signal::kLogs, "Body ILIKE '%e%'", {"count", "avg(SeverityNumber)"}, {"num"}, 0, 3);
  ExpectSameChart(Signal::kLogs, "", {"max(latency)", "count"}, {"ServiceName", "SeverityText"}, 900 * kSecond, 4);
  ExpectSameChart(Signal::kLogs, "", {"sum(num)"}, {"num"}, 0, 5);  // mixed int/double/null scores
  ExpectSameChart(Signal::kTraces, "", {"count", "p95(Duration)", "avg(Duration)", "max(Duration)"}, {"SpanName"},
                  600 * kSecond);
  ExpectSameChart(Signal::kTraces, "", {"sum(Timestamp)"}, {"SeverityNumber"});
}

TEST_F(ClickHouseEngineTest, MetricSeriesFunctionsMatchTheEmbeddedEngine) {
  ExpectSameChart(Signal::kMetrics, "", {"rate(Value)", "count"}, {"ServiceName"}, 120 * kSecond);
  ExpectSameChart(Signal::kMetrics, "route = '/a'", {"rate(Value)"}, {}, 0);
  ExpectSameChart(Signal::kMetrics, "", {"sum(Value)", "max(Value)"}, {"route"}, 300 * kSecond);
}

TEST_F(ClickHouseEngineTest, FacetsMatchTheEmbeddedEngine) {
  for (const char* where : {"", "ServiceName = 'api'", "num > 0"}) {
    ast::NodePtr root = *where ? Parse(where, true) : nullptr;
    FacetsRequest req;
    req.signal = Signal::kLogs;
    req.query = root.get();
    req.limit = 4;
    for (const char* f : {"ServiceName", "num", "http.status_code", "SeverityNumber", "user.id", "missing"}) {
      ast::Field field;
      ASSERT_TRUE(ParseFieldRef(f, &field).ok());
      req.fields.push_back(field);
    }
    std::vector<Facet> embedded, clickhouse;
    ASSERT_TRUE(Facets(*snapshot_, req, &embedded).ok());
    ScanStats stats;
    Status s = ch::Facets(Source(Signal::kLogs), req, &clickhouse, &stats);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(clickhouse.size(), embedded.size());
    for (size_t i = 0; i < embedded.size(); ++i) {
      EXPECT_EQ(clickhouse[i].field, embedded[i].field);
      std::string a, b;
      for (const auto& v : embedded[i].values) a += CellText(v.value) + "=" + std::to_string(v.count) + " ";
      for (const auto& v : clickhouse[i].values) b += CellText(v.value) + "=" + std::to_string(v.count) + " ";
      EXPECT_EQ(b, a) << where << " " << embedded[i].field;
    }
    EXPECT_GT(stats.rows_read, 0u);
  }
}

TEST_F(ClickHouseEngineTest, TraceAssemblyMatchesTheEmbeddedEngine) {
  std::string raw(16, '\x11');
  TraceResult embedded, clickhouse;
  ASSERT_TRUE(AssembleTrace(*snapshot_, raw, QueryLimits{}, &embedded).ok());
  Status s = ch::AssembleTrace(Source(Signal::kTraces), Source(Signal::kLogs), raw, QueryLimits{}, &clickhouse);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_FALSE(embedded.spans.empty());
  EXPECT_EQ(clickhouse.spans, embedded.spans);  // traces here have string attributes only
  EXPECT_EQ(clickhouse.logs.size(), embedded.logs.size());
}

TEST_F(ClickHouseEngineTest, LimitsBecomeSettings) {
  ChartRequest req;
  req.signal = Signal::kLogs;
  AggSpec count;
  ASSERT_TRUE(ParseAggSpec("count", &count).ok());
  req.aggregates = {count};
  req.limits.max_rows_to_read = 10;
  ChartResult out;
  Status s = ch::Chart(Source(Signal::kLogs), req, &out);
  EXPECT_EQ(s.code(), Status::Code::kResourceExhausted) << s.ToString();

  req.limits.read_overflow_mode = OverflowMode::kBreak;
  s = ch::Chart(Source(Signal::kLogs), req, &out);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(out.stats.partial);
  EXPECT_NE(out.stats.partial_reason.find("max_rows_to_read (10)"), std::string::npos);

  std::atomic<bool> cancelled{true};
  req.limits = QueryLimits();
  req.limits.cancelled = &cancelled;
  s = ch::Chart(Source(Signal::kLogs), req, &out);
  EXPECT_EQ(s.code(), Status::Code::kCancelled) << s.ToString();
}

TEST_F(ClickHouseEngineTest, RejectsAMappingOfAnotherSignal) {
  SearchRequest req;
  req.signal = Signal::kTraces;
  Status s = ch::Search(Source(Signal::kLogs), req, [](const RowBatch&, size_t) {});
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace otelstack::query
