// The query engine end to end on a small fixture: parse (Lucene and SQL),
// bind, prune with skip indexes, filter, top-N, aggregate, facets, traces.
// The differential test against ClickHouse (tests/integration/differential)
// covers the same semantics on a large dataset.
#include <gtest/gtest.h>

#include <set>

#include "common/any_value.h"
#include "common/file_util.h"
#include "query/aggregate.h"
#include "query/facets.h"
#include "query/parser/lucene_parser.h"
#include "query/parser/sql_parser.h"
#include "query/result_json.h"
#include "query/search.h"
#include "query/trace.h"
#include "store/part_writer.h"
#include "test_util/temp_dir.h"

namespace otelstack::query {
namespace {

struct LogRow {
  uint64_t time;
  const char* service;
  const char* severity;
  const char* body;
  std::vector<std::pair<const char*, std::string>> string_attrs;
  std::vector<std::pair<const char*, int64_t>> int_attrs;
  const char* pod = "";
  std::string trace_id = {};  // raw
};

std::string Attributes(const LogRow& r) {
  std::string out;
  size_t h = anyvalue::BeginKvList(&out);
  for (const auto& [k, v] : r.string_attrs) {
    anyvalue::AppendKey(&out, k);
    anyvalue::AppendString(&out, v);
  }
  for (const auto& [k, v] : r.int_attrs) {
    anyvalue::AppendKey(&out, k);
    anyvalue::AppendInt(&out, v);
  }
  anyvalue::EndList(&out, h, static_cast<uint32_t>(r.string_attrs.size() + r.int_attrs.size()));
  return out;
}

void AppendLog(RowBatch* b, const LogRow& r) {
  b->SetU64(logs_col::kTimestamp, r.time);
  b->SetBytes(logs_col::kServiceName, r.service);
  b->SetBytes(logs_col::kSeverityText, r.severity);
  std::string body;
  anyvalue::AppendString(&body, r.body);
  b->SetBytes(logs_col::kBody, body);
  b->SetBytes(logs_col::kLogAttributes, Attributes(r));
  std::string resource;
  size_t h = anyvalue::BeginKvList(&resource);
  anyvalue::AppendKey(&resource, "k8s.pod.name");
  anyvalue::AppendString(&resource, r.pod);
  anyvalue::EndList(&resource, h, 1);
  b->SetBytes(logs_col::kResourceAttributes, resource);
  b->SetBytes(logs_col::kTraceId, r.trace_id);
  b->FinishRow();
}

const std::string kTraceA(16, '\xaa');
const std::string kTraceB(16, '\xbb');

std::vector<LogRow> Fixture() {
  return {
      {1,
       "api",
       "INFO",
       "GET /api/v1/orders 200",
       {{"http.method", "GET"}},
       {{"http.status_code", 200}},
       "api-1",
       kTraceA},
      {2, "api", "ERROR", "Payment FAILED: card declined", {{"user.id", "u-42"}}, {{"http.status_code", 500}}, "api-1"},
      {3, "db", "WARN", "slow query took 1520 ms", {}, {}, "db-0"},
      {4,
       "api",
       "ERROR",
       "connection refused by upstream",
       {{"http.method", "POST"}},
       {{"http.status_code", 503}},
       "api-2",
       kTraceA},
      {5, "web", "INFO", "user@example.com logged in", {{"user.id", "u-7"}}, {}, "web-0"},
      {6, "db", "ERROR", "deadlock detected; connection refused", {}, {}, "db-0"},
      {7, "web", "INFO", "GET /health 200", {{"http.method", "GET"}}, {{"http.status_code", 200}}, "web-0", kTraceB},
      {8, "api", "INFO", "rare-needle-zq9 appeared once", {}, {{"http.status_code", 404}}, "api-2"},
      {9, "worker", "DEBUG", "ErrorHandler retried job", {{"job", "reindex"}}, {}, "w-0"},
      {10, "api", "ERROR", "Connection Refused", {{"http.method", "GET"}}, {{"http.status_code", 502}}, "api-1"},
  };
}

class QueryEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Rows 1..8 in a part of 2-row granules (so skip indexes can prune),
    // rows 9..10 unflushed (the WAL tail a snapshot holds in memory).
    auto rows = Fixture();
    RowBatch part_rows(Signal::kLogs);
    for (size_t i = 0; i < 8; ++i) AppendLog(&part_rows, rows[i]);
    PartWriteOptions options;
    options.granule_rows = 2;
    std::string path = dir_.Sub("p.part");
    PartInfo info;
    ASSERT_TRUE(WritePart(path, part_rows, options, &info).ok());
    std::unique_ptr<PartReader> reader;
    ASSERT_TRUE(PartReader::Open(path, &reader).ok());
    StoreSnapshot::Part part;
    part.entry.signal = Signal::kLogs;
    part.entry.SetInfo(info);
    part.reader = std::move(reader);
    snapshot_.parts.push_back(std::move(part));
    auto tail = std::make_shared<RowBatch>(Signal::kLogs);
    for (size_t i = 8; i < rows.size(); ++i) AppendLog(tail.get(), rows[i]);
    snapshot_.unflushed.push_back(tail);
  }

  // Times of the rows matching a query, newest first.
  std::vector<uint64_t> Find(const std::string& lucene, ScanStats* stats = nullptr) {
    ast::NodePtr root;
    Status s = ParseLucene(lucene, &root);
    EXPECT_TRUE(s.ok()) << lucene << ": " << s.ToString();
    return Run(root.get(), stats);
  }
  std::vector<uint64_t> FindSql(const std::string& where) {
    ast::NodePtr root;
    Status s = ParseSqlWhere(where, &root);
    EXPECT_TRUE(s.ok()) << where << ": " << s.ToString();
    return Run(root.get(), nullptr);
  }
  std::vector<uint64_t> Run(const ast::Node* root, ScanStats* stats) {
    SearchRequest req;
    req.query = root;
    req.limit = 100;
    std::vector<uint64_t> out;
    Status s = Search(
        snapshot_, req, [&](const RowBatch& b, size_t r) { out.push_back(b.Time(r)); }, stats);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  test::TempDir dir_;
  StoreSnapshot snapshot_;
};

using Times = std::vector<uint64_t>;

TEST_F(QueryEngineTest, LuceneSearches) {
  struct Case {
    const char* query;
    Times want;
  } cases[] = {
      {"", {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
      {"refused", {10, 6, 4}},  // whole token, any case
      {"REFUSED", {10, 6, 4}},
      {"refuse", {}},  // not a whole token
      {"refuse*", {10, 6, 4}},
      {"*andler", {9}},
      {"*rrorhan*", {9}},
      {"\"connection refused\"", {10, 6, 4}},
      {"\"refused connection\"", {}},
      {"error", {}},        // SeverityText is not free text; "ErrorHandler" is one token
      {"level:ERROR", {}},  // no such attribute
      {"SeverityText:ERROR", {10, 6, 4, 2}},
      {"severitytext:ERROR", {10, 6, 4, 2}},  // column names are case-insensitive
      {"ServiceName:api", {10, 8, 4, 2, 1}},
      {"ServiceName:api refused", {10, 4}},
      {"ServiceName:api AND NOT refused", {8, 2, 1}},
      {"ServiceName:api -refused", {8, 2, 1}},
      {"refused OR declined", {10, 6, 4, 2}},
      {"(db OR web) AND ServiceName:db", {6, 3}},  // "db" is a token of the pod name db-0
      {"ServiceName:(db OR web)", {7, 6, 5, 3}},
      {"http.status_code:500", {2}},
      {"http.status_code:>=500", {10, 4, 2}},
      {"http.status_code:[200 TO 404]", {8, 7, 1}},
      {"http.status_code:{200 TO 503}", {10, 8, 2}},
      {"http.status_code:*", {10, 8, 7, 4, 2, 1}},
      {"-http.status_code:*", {9, 6, 5, 3}},
      {"http.method:GET", {10, 7, 1}},
      {"http.method:get", {}},         // equality is exact
      {"http.method:g*", {10, 7, 1}},  // wildcards are case-insensitive
      {"LogAttributes.user.id:u-42", {2}},
      {"ResourceAttributes.k8s.pod.name:db-0", {6, 3}},
      {"k8s.pod.name:web-0", {7, 5}},
      {"user@example.com", {5}},
      {"/api/v1/orders", {1}},
      {"rare-needle-zq9", {8}},
      {"1520", {3}},
      {"u-7", {5}},  // attribute values are free text too
      {"TraceId:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", {4, 1}},
  };
  for (const Case& c : cases) EXPECT_EQ(Find(c.query), c.want) << c.query;
}

TEST_F(QueryEngineTest, SqlSearches) {
  struct Case {
    const char* where;
    Times want;
  } cases[] = {
      {"ServiceName = 'api' AND SeverityText != 'ERROR'", {8, 1}},
      {"ServiceName IN ('db', 'web')", {7, 6, 5, 3}},
      {"ServiceName NOT IN ('db', 'web', 'api')", {9}},
      {"Body LIKE '%refused%'", {6, 4}},
      {"Body ILIKE '%refused%'", {10, 6, 4}},
      {"Body NOT ILIKE '%refused%' AND ServiceName = 'api'", {8, 2, 1}},
      {"LogAttributes['http.status_code'] = '500'", {2}},
      {"LogAttributes['http.status_code'] >= 500", {10, 4, 2}},
      {"LogAttributes['http.status_code'] / 100 = 2", {7, 1}},
      {"LogAttributes['http.status_code'] % 100 = 3 OR Timestamp = 3", {4, 3}},
      {"LogAttributes['user.id'] IS NOT NULL", {5, 2}},
      {"LogAttributes['job'] IS NULL AND ServiceName = 'worker'", {}},
      {"Timestamp > 2 * 4", {10, 9}},
      {"-Timestamp < -9", {10}},
      {"(Timestamp < 3 OR Timestamp > 8) AND NOT ServiceName = 'worker'", {10, 2, 1}},
      // Ids compare as lowercase hex (raw bytes against the decoded literal).
      {"TraceId = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", {4, 1}},
      {"'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' = TraceId", {7}},
      {"TraceId != 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", {10, 9, 8, 7, 6, 5, 3, 2}},
      {"TraceId = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'", {}},
      {"TraceId = 'aaaa'", {}},
      {"TraceId = ''", {10, 9, 8, 6, 5, 3, 2}},
      {"TraceId IN ('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')", {7, 4, 1}},
  };
  for (const Case& c : cases) EXPECT_EQ(FindSql(c.where), c.want) << c.where;
}

TEST_F(QueryEngineTest, SkipIndexesPruneGranules) {
  ScanStats stats;
  EXPECT_EQ(Find("rare-needle-zq9", &stats), (Times{8}));
  // 4 part granules of 2 rows + the unflushed batch; only the needle's
  // granule and the unflushed batch (no index) are read.
  EXPECT_EQ(stats.granules_total, 5u);
  EXPECT_EQ(stats.granules_skipped, 3u);
  EXPECT_EQ(stats.rows_read, 4u);

  EXPECT_EQ(Find("TraceId:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", &stats), (Times{7}));
  EXPECT_EQ(stats.granules_skipped, 3u);
  // A prefix cannot use whole-token filters: nothing is skipped.
  EXPECT_EQ(Find("rare-needle-zq*", &stats), (Times{8}));
  EXPECT_LE(stats.granules_skipped, 3u);
  EXPECT_EQ(Find("zq*", &stats), (Times{8}));  // "-" separates tokens: zq9 starts one
  EXPECT_EQ(stats.granules_skipped, 0u);
}

TEST_F(QueryEngineTest, LimitsThrowOrBreak) {
  SearchRequest req;
  req.limits.max_rows_to_read = 3;
  Status s = Search(snapshot_, req, [](const RowBatch&, size_t) {});
  EXPECT_EQ(s.code(), Status::Code::kResourceExhausted);
  EXPECT_NE(s.message().find("max_rows_to_read"), std::string::npos) << s.ToString();

  req.limits.read_overflow_mode = OverflowMode::kBreak;
  req.threads = 1;
  ScanStats stats;
  std::vector<uint64_t> got;
  ASSERT_TRUE(Search(
                  snapshot_, req, [&](const RowBatch& b, size_t r) { got.push_back(b.Time(r)); }, &stats)
                  .ok());
  EXPECT_TRUE(stats.partial);
  EXPECT_LE(stats.rows_read, 3u);
  EXPECT_EQ(got, (Times{10, 9}));  // the unflushed batch is newest and read first

  std::atomic<bool> cancelled{true};
  req.limits = QueryLimits();
  req.limits.cancelled = &cancelled;
  EXPECT_EQ(Search(snapshot_, req, [](const RowBatch&, size_t) {}).code(), Status::Code::kCancelled);
}

TEST_F(QueryEngineTest, BadQueriesAreReportedWithPositions) {
  ast::NodePtr root;
  ASSERT_TRUE(ParseSqlWhere("Nope['x'] = 1", &root).ok());
  SearchRequest req;
  req.query = root.get();
  Status s = Search(snapshot_, req, [](const RowBatch&, size_t) {});
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("at position 1: ", 0), 0u) << s.ToString();
}

ChartResult RunChart(const StoreSnapshot& snap, const std::vector<std::string>& aggs,
                     const std::vector<std::string>& group_by, uint64_t granularity, size_t top_k,
                     const std::string& lucene = "") {
  ChartRequest req;
  for (const auto& a : aggs) {
    AggSpec spec;
    EXPECT_TRUE(ParseAggSpec(a, &spec).ok()) << a;
    req.aggregates.push_back(spec);
  }
  for (const auto& g : group_by) req.group_by.push_back(ast::Field{g, false, ""});
  req.granularity_ns = granularity;
  req.top_k = top_k;
  ast::NodePtr root;
  EXPECT_TRUE(ParseLucene(lucene, &root).ok());
  req.query = root.get();
  ChartResult result;
  Status s = Chart(snap, req, &result);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return result;
}

std::string Render(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kNull:
      return "null";
    case Cell::Kind::kInt:
      return std::to_string(c.i);
    case Cell::Kind::kDouble:
      return std::to_string(c.d);
    case Cell::Kind::kString:
      return "'" + c.s + "'";
  }
  return "?";
}

std::vector<std::string> Rows(const ChartResult& r) {
  std::vector<std::string> out;
  for (const ChartRow& row : r.rows) {
    std::string line = row.bucket ? std::to_string(*row.bucket) + " " : "";
    for (const Cell& c : row.group) line += Render(c) + " ";
    for (const Cell& c : row.values) line += Render(c) + " ";
    out.push_back(line);
  }
  return out;
}

TEST_F(QueryEngineTest, Aggregations) {
  using Lines = std::vector<std::string>;
  EXPECT_EQ(Rows(RunChart(snapshot_, {"count"}, {"ServiceName"}, 0, 0)),
            (Lines{"'api' 5 ", "'db' 2 ", "'web' 2 ", "'worker' 1 "}));
  EXPECT_EQ(Rows(RunChart(snapshot_, {"count"}, {"ServiceName"}, 0, 2)),
            (Lines{"'api' 5 ", "'db' 2 ", "null 3 "}));  // db and web tie at 2: the smaller value stays
  // Buckets of 4 ns: rows 4 and 6 start at 4, row 10 at 8.
  EXPECT_EQ(Rows(RunChart(snapshot_, {"count", "max(Timestamp)"}, {}, 4, 0, "refused")), (Lines{"4 2 6 ", "8 1 10 "}));
  EXPECT_EQ(Rows(RunChart(snapshot_,
                          {"sum(http.status_code)", "min(http.status_code)", "max(http.status_code)",
                           "avg(http.status_code)", "count_distinct(http.status_code)"},
                          {}, 0, 0)),
            (Lines{"2309 200 503 384.833333 5 "}));
  // quantileExact: the value at floor(p * n) of the sorted values
  // (200 200 404 500 502 503).
  EXPECT_EQ(
      Rows(RunChart(snapshot_, {"p50(http.status_code)", "p99(http.status_code)", "p0(http.status_code)"}, {}, 0, 0)),
      (Lines{"500 503 200 "}));
  EXPECT_EQ(Rows(RunChart(snapshot_, {"count", "avg(http.status_code)"}, {}, 0, 0, "ServiceName:nope")),
            (Lines{"0 null "}));
  // A missing attribute groups as "".
  EXPECT_EQ(Rows(RunChart(snapshot_, {"count"}, {"http.method"}, 0, 0)), (Lines{"'' 6 ", "'GET' 3 ", "'POST' 1 "}));
}

TEST_F(QueryEngineTest, FacetsAndTraces) {
  FacetsRequest req;
  req.fields = {ast::Field{"http.method", false, ""}, ast::Field{"ServiceName", false, ""}};
  req.limit = 2;
  std::vector<Facet> facets;
  ASSERT_TRUE(Facets(snapshot_, req, &facets).ok());
  ASSERT_EQ(facets.size(), 2u);
  EXPECT_EQ(facets[0].field, "http.method");
  ASSERT_EQ(facets[0].values.size(), 2u);  // "" (missing) is not a facet value
  EXPECT_EQ(facets[0].values[0].value.s, "GET");
  EXPECT_EQ(facets[0].values[0].count, 3u);
  EXPECT_EQ(facets[0].values[1].value.s, "POST");
  EXPECT_EQ(facets[1].values[0].value.s, "api");
  EXPECT_EQ(facets[1].values[0].count, 5u);

  TraceResult trace;
  ASSERT_TRUE(AssembleTrace(snapshot_, kTraceA, QueryLimits{}, &trace).ok());
  EXPECT_TRUE(trace.spans.empty());
  ASSERT_EQ(trace.logs.size(), 2u);
  EXPECT_NE(trace.logs[0].find("GET /api/v1/orders"), std::string::npos);  // oldest first
  EXPECT_NE(trace.logs[1].find("connection refused"), std::string::npos);
}

TEST(AggSpecTest, ParsesAndRejects) {
  AggSpec spec;
  ASSERT_TRUE(ParseAggSpec("p95(Duration)", &spec).ok());
  EXPECT_EQ(spec.function, AggFunction::kQuantile);
  EXPECT_DOUBLE_EQ(spec.level, 0.95);
  EXPECT_EQ(spec.name, "p95(Duration)");
  ASSERT_TRUE(ParseAggSpec("quantile(0.999,Duration)", &spec).ok());
  EXPECT_DOUBLE_EQ(spec.level, 0.999);
  ASSERT_TRUE(ParseAggSpec("count_distinct(LogAttributes['user.id'])", &spec).ok());
  EXPECT_TRUE(spec.field.has_map_key);
  EXPECT_EQ(spec.field.map_key, "user.id");
  for (const char* bad : {"", "median(x)", "p101(x)", "sum()", "quantile(2,x)", "sum(x"}) {
    EXPECT_FALSE(ParseAggSpec(bad, &spec).ok()) << bad;
  }
}

TEST(AutoGranularityTest, PicksFromTheLadder) {
  constexpr uint64_t s = 1'000'000'000ULL;
  EXPECT_EQ(AutoGranularity(0, 60 * s), 1 * s);
  EXPECT_EQ(AutoGranularity(0, 3600 * s), 30 * s);
  EXPECT_EQ(AutoGranularity(0, 86400 * s), 900 * s);
  EXPECT_EQ(AutoGranularity(0, 3 * 86400 * s), 3600 * s);
}

}  // namespace
}  // namespace otelstack::query

namespace otelstack::query {
namespace {

TEST(EffectiveLimitsTest, OverridesCannotExceedTheCeiling) {
  QueryLimits defaults, ceiling, requested;
  defaults.max_rows_to_read = 1000;
  ceiling.max_rows_to_read = 5000;
  EXPECT_EQ(EffectiveLimits(requested, defaults, ceiling).max_rows_to_read, 1000u);  // the default
  requested.max_rows_to_read = 3000;
  EXPECT_EQ(EffectiveLimits(requested, defaults, ceiling).max_rows_to_read, 3000u);  // lowered or raised within
  requested.max_rows_to_read = 9000;
  EXPECT_EQ(EffectiveLimits(requested, defaults, ceiling).max_rows_to_read, 5000u);  // capped
  defaults.max_rows_to_read = 0;
  requested.max_rows_to_read = 0;
  EXPECT_EQ(EffectiveLimits(requested, defaults, ceiling).max_rows_to_read, 5000u);  // unlimited -> ceiling
  ceiling.max_rows_to_read = 0;
  EXPECT_EQ(EffectiveLimits(requested, defaults, ceiling).max_rows_to_read, 0u);  // no ceiling: unlimited
  requested.max_execution_time = std::chrono::milliseconds(90'000);
  ceiling.max_execution_time = std::chrono::milliseconds(30'000);
  requested.read_overflow_mode = OverflowMode::kBreak;
  QueryLimits out = EffectiveLimits(requested, defaults, ceiling);
  EXPECT_EQ(out.max_execution_time.count(), 30'000);
  EXPECT_EQ(out.read_overflow_mode, OverflowMode::kBreak);
}

}  // namespace
}  // namespace otelstack::query

namespace otelstack::query {
namespace {

TEST(ChartUnitsTest, DurationAggregatesAreInNanoseconds) {
  auto spans = std::make_shared<RowBatch>(Signal::kTraces);
  for (uint64_t t = 1; t <= 4; ++t) {
    spans->SetU64(traces_col::kTimestamp, t);
    spans->SetBytes(traces_col::kServiceName, t % 2 ? "api" : "db");
    spans->SetU64(traces_col::kDuration, t * 1'000'000);
    spans->FinishRow();
  }
  StoreSnapshot snap;
  snap.unflushed.push_back(spans);
  ChartRequest req;
  req.signal = Signal::kTraces;
  for (const char* a : {"p99(Duration)", "count", "count_distinct(Duration)", "max(Duration)"}) {
    AggSpec spec;
    ASSERT_TRUE(ParseAggSpec(a, &spec).ok());
    req.aggregates.push_back(spec);
  }
  req.group_by = {ast::Field{"ServiceName", false, ""}};
  ChartResult result;
  ASSERT_TRUE(Chart(snap, req, &result).ok());
  EXPECT_EQ(result.units, (std::vector<std::string>{"", "ns", "", "", "ns"}));
  std::string json = ChartJson(result, 0);
  EXPECT_NE(json.find(R"x("units":{"p99(Duration)":"ns","max(Duration)":"ns"})x"), std::string::npos) << json;
  EXPECT_NE(json.find(R"x(["api",3000000,2,2,3000000])x"), std::string::npos) << json;
}

}  // namespace
}  // namespace otelstack::query

namespace otelstack::query {
namespace {

TEST(FormatBucketTest, SecondsWithoutFractionFractionWhenPresent) {
  EXPECT_EQ(FormatBucket(1763765000'000000000ULL), "2025-11-21T22:43:20Z");
  EXPECT_EQ(FormatBucket(1763765000'500000000ULL), "2025-11-21T22:43:20.500000000Z");
}

}  // namespace
}  // namespace otelstack::query
