// The text of the DDL and SQL expressions of table_layout.h, and the
// RowBinary encoder's framing. (kModern and cluster DDL cannot run on the
// 18.16 server of these tests: they are checked on their text only. The
// compat layout runs on a real server in table_layout_server_test.cc.)
#include "clickhouse/table_layout.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "common/any_value.h"
#include "common/varint.h"

namespace otelstack::clickhouse {
namespace {

bool Contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

std::string Joined(const std::vector<std::string>& statements) {
  std::string all;
  for (const std::string& s : statements) all += s + ";\n";
  return all;
}

SchemaOptions Options(Layout layout) {
  SchemaOptions o;
  o.layout = layout;
  o.database = "otel";
  return o;
}

TEST(CreateStatementsTest, ModernIsTheExporterSchemaWithTtl) {
  SchemaOptions o = Options(Layout::kModern);
  o.ttl_days = 7;
  std::vector<std::string> statements = CreateStatements(o);
  ASSERT_EQ(statements.size(), 10u);  // database, 7 data tables, lookup table, view
  EXPECT_EQ(statements[0], "CREATE DATABASE IF NOT EXISTS `otel`");
  const std::string& logs = statements[1];
  EXPECT_TRUE(Contains(logs, "CREATE TABLE IF NOT EXISTS `otel`.`otel_logs` (")) << logs;
  EXPECT_TRUE(Contains(logs, "`Timestamp` DateTime64(9) CODEC(Delta(8), ZSTD(1))")) << logs;
  EXPECT_TRUE(Contains(logs, "`TimestampTime` DateTime DEFAULT toDateTime(`Timestamp`)")) << logs;
  EXPECT_TRUE(Contains(logs, "`LogAttributes` Map(LowCardinality(String), String) CODEC(ZSTD(1))")) << logs;
  EXPECT_TRUE(Contains(logs, "`ServiceName` LowCardinality(String) CODEC(ZSTD(1))")) << logs;
  EXPECT_TRUE(Contains(logs, "INDEX idx_trace_id `TraceId` TYPE bloom_filter(0.001) GRANULARITY 1")) << logs;
  EXPECT_TRUE(Contains(logs, "INDEX idx_log_attr_key mapKeys(`LogAttributes`)")) << logs;
  EXPECT_TRUE(Contains(logs, "`InsertId` UInt64")) << logs;
  EXPECT_TRUE(Contains(logs, "PARTITION BY toDate(`TimestampTime`)")) << logs;
  EXPECT_TRUE(Contains(logs, "ORDER BY (`ServiceName`, `TimestampTime`, `Timestamp`)")) << logs;
  EXPECT_TRUE(Contains(logs, "TTL `TimestampTime` + toIntervalDay(7)")) << logs;
  EXPECT_TRUE(Contains(logs, "ttl_only_drop_parts = 1")) << logs;

  const std::string& traces = statements[2];
  EXPECT_TRUE(Contains(traces,
                       "`Events` Nested(`Timestamp` DateTime64(9), `Name` LowCardinality(String), `Attributes` "
                       "Map(LowCardinality(String), String), `DroppedAttributesCount` UInt32) CODEC(ZSTD(1))"))
      << traces;
  EXPECT_TRUE(Contains(traces, "`Duration` UInt64 CODEC(T64, ZSTD(1))")) << traces;
  EXPECT_TRUE(Contains(traces, "TTL toDateTime(`Timestamp`) + toIntervalDay(7)")) << traces;

  const std::string& histogram = statements[5];
  EXPECT_TRUE(Contains(histogram, "`otel`.`otel_metrics_histogram`")) << histogram;
  EXPECT_TRUE(Contains(histogram, "`BucketCounts` Array(UInt64)")) << histogram;
  EXPECT_TRUE(Contains(histogram, "`Sum` Float64")) << histogram;
  EXPECT_TRUE(Contains(histogram,
                       "`Exemplars` Nested(`FilteredAttributes` Map(LowCardinality(String), String), "
                       "`TimeUnix` DateTime64(9), `Value` Float64, `SpanId` String, `TraceId` String)"))
      << histogram;
  EXPECT_FALSE(Contains(histogram, "`Value` Float64 CODEC")) << "gauge/sum column in the histogram table";
  EXPECT_FALSE(Contains(histogram, "MetricType")) << histogram;

  EXPECT_TRUE(Contains(statements[8], "`Start` SimpleAggregateFunction(min, DateTime)")) << statements[8];
  EXPECT_TRUE(Contains(statements[8], "TTL toDateTime(`Start`) + toIntervalDay(7)")) << statements[8];
  EXPECT_EQ(statements[9],
            "CREATE MATERIALIZED VIEW IF NOT EXISTS `otel`.`otel_traces_trace_id_ts_mv` TO "
            "`otel`.`otel_traces_trace_id_ts` AS SELECT `TraceId`, min(toDateTime(`Timestamp`)) AS `Start`, "
            "max(toDateTime(`Timestamp`)) AS `End` FROM `otel`.`otel_traces` WHERE `TraceId` != '' GROUP BY "
            "`TraceId`");
}

TEST(CreateStatementsTest, ModernWithoutTtlHasNoTtlClause) {
  std::string all = Joined(CreateStatements(Options(Layout::kModern)));
  EXPECT_FALSE(Contains(all, "TTL ")) << all;
  EXPECT_FALSE(Contains(all, "ttl_only_drop_parts")) << all;
}

TEST(CreateStatementsTest, CompatUsesOnly1816Features) {
  SchemaOptions o = Options(Layout::kCompat);
  o.ttl_days = 30;  // ignored
  std::string all = Joined(CreateStatements(o));
  for (std::string_view banned : {"Map(", "DateTime64", "CODEC", "INDEX", "TTL", "LowCardinality", "Nested",
                                  "SimpleAggregateFunction", "ON CLUSTER"}) {
    EXPECT_FALSE(Contains(all, banned)) << banned << " in\n" << all;
  }
  EXPECT_TRUE(Contains(all, "`Timestamp` DateTime,\n    `TimestampNs` UInt64,")) << all;
  EXPECT_TRUE(Contains(all, "`LogAttributes.keys` Array(String),\n    `LogAttributes.values` Array(String),")) << all;
  EXPECT_TRUE(Contains(all, "`Events.Attributes.keys` Array(Array(String))")) << all;
  EXPECT_TRUE(Contains(all, "`Sum` Nullable(Float64)")) << all;
  EXPECT_TRUE(Contains(all, "PARTITION BY toDate(`Timestamp`)")) << all;
}

TEST(CreateStatementsTest, ClusterCreatesLocalTablesThenDistributedOnes) {
  SchemaOptions o = Options(Layout::kModern);
  o.cluster = "prod";
  std::vector<std::string> statements = CreateStatements(o);
  ASSERT_EQ(statements.size(), 18u);  // database, 8 local tables, view, 8 distributed tables
  EXPECT_EQ(statements[0], "CREATE DATABASE IF NOT EXISTS `otel` ON CLUSTER `prod`");
  EXPECT_TRUE(Contains(statements[1], "CREATE TABLE IF NOT EXISTS `otel`.`otel_logs_local` ON CLUSTER `prod` ("));
  EXPECT_TRUE(Contains(statements[9],
                       "`otel`.`otel_traces_trace_id_ts_local_mv` ON CLUSTER `prod` TO "
                       "`otel`.`otel_traces_trace_id_ts_local`"))
      << statements[9];
  EXPECT_TRUE(Contains(statements[9], "FROM `otel`.`otel_traces_local`")) << statements[9];
  EXPECT_EQ(statements[10],
            "CREATE TABLE IF NOT EXISTS `otel`.`otel_logs` ON CLUSTER `prod` AS `otel`.`otel_logs_local` ENGINE = "
            "Distributed('prod', 'otel', 'otel_logs_local', rand())");
  EXPECT_EQ(statements[11],
            "CREATE TABLE IF NOT EXISTS `otel`.`otel_traces` ON CLUSTER `prod` AS `otel`.`otel_traces_local` ENGINE = "
            "Distributed('prod', 'otel', 'otel_traces_local', cityHash64(`TraceId`))");
}

TEST(ReadMappingTest, AttributeKeysAreEscapedLiterals) {
  auto compat = MakeReadMapping(Signal::kLogs, Options(Layout::kCompat));
  EXPECT_EQ(compat->AttributeValue(logs_col::kLogAttributes, "it's\\x"),
            "`LogAttributes.values`[indexOf(`LogAttributes.keys`, 'it\\'s\\\\x')]");
  EXPECT_EQ(compat->AttributeExists(logs_col::kResourceAttributes, "service.name"),
            "has(`ResourceAttributes.keys`, 'service.name')");
  auto modern = MakeReadMapping(Signal::kLogs, Options(Layout::kModern));
  EXPECT_EQ(modern->AttributeValue(logs_col::kLogAttributes, "a'b"), "`LogAttributes`['a\\'b']");
  EXPECT_EQ(modern->AttributeExists(logs_col::kLogAttributes, "k"), "mapContains(`LogAttributes`, 'k')");
  // Not a map: a constant.
  EXPECT_EQ(modern->AttributeValue(logs_col::kBody, "k"), "''");
}

TEST(ReadMappingTest, TimeExpressions) {
  auto compat = MakeReadMapping(Signal::kTraces, Options(Layout::kCompat));
  EXPECT_EQ(compat->TimeNs(), "`TimestampNs`");
  EXPECT_EQ(compat->TimeRange(1'500'000'000'123, 1'600'000'000'000),
            "(`Timestamp` >= toDateTime(1500) AND `Timestamp` <= toDateTime(1600) AND `TimestampNs` >= "
            "1500000000123 AND `TimestampNs` <= 1600000000000)");
  auto modern = MakeReadMapping(Signal::kLogs, Options(Layout::kModern));
  EXPECT_EQ(modern->TimeNs(), "toUInt64(toUnixTimestamp64Nano(`Timestamp`))");
  EXPECT_TRUE(Contains(modern->TimeRange(0, UINT64_MAX), "`TimestampTime` <= toDateTime(4294967295)"));
  EXPECT_TRUE(Contains(modern->TimeRange(0, UINT64_MAX), "fromUnixTimestamp64Nano(toInt64(9223372036854775807))"));
  auto metrics = MakeReadMapping(Signal::kMetrics, Options(Layout::kCompat));
  EXPECT_EQ(metrics->TimeNs(), "`TimeUnixNs`");
  std::string from = metrics->From();
  EXPECT_EQ(from.front(), '(');
  EXPECT_TRUE(Contains(from, "SELECT 'Gauge' AS `MetricType`")) << from;
  EXPECT_TRUE(Contains(from, "FROM `otel`.`otel_metrics_summary`)")) << from;
  EXPECT_TRUE(Contains(from, "CAST('[]' AS Array(UInt64)) AS `BucketCounts`")) << from;
}

TEST(ReadMappingTest, ColumnTypes) {
  auto compat = MakeReadMapping(Signal::kLogs, Options(Layout::kCompat));
  EXPECT_EQ(compat->Column(logs_col::kTimestamp), "`TimestampNs`");
  EXPECT_EQ(compat->Column(logs_col::kSeverityNumber), "toInt64(`SeverityNumber`)");
  EXPECT_EQ(compat->Column(logs_col::kTraceFlags), "toUInt64(`TraceFlags`)");
  EXPECT_EQ(compat->Column(logs_col::kTraceId), "`TraceId`");
  EXPECT_EQ(compat->Column(logs_col::kBody), "`Body`");
  EXPECT_EQ(compat->Column(logs_col::kLogAttributes), "''");
  auto metrics = MakeReadMapping(Signal::kMetrics, Options(Layout::kCompat));
  EXPECT_EQ(metrics->Column(metrics_col::kValue), "toFloat64(`Value`)");
  EXPECT_TRUE(Contains(metrics->Column(metrics_col::kSum),
                       "if(`MetricType` IN ('Histogram', "
                       "'ExponentialHistogram', 'Summary')"));
  EXPECT_EQ(compat->TextValues(),
            "arrayConcat([toString(`Body`)], `LogAttributes.values`, `ResourceAttributes.values`, "
            "`ScopeAttributes.values`)");
}

// A metrics batch with one row per kind name in `types`.
RowBatch MetricRows(std::initializer_list<std::string_view> types) {
  RowBatch b(Signal::kMetrics);
  uint64_t t = 1'700'000'000'000'000'000;
  for (std::string_view type : types) {
    b.SetU64(metrics_col::kTimeUnix, t++);
    b.SetBytes(metrics_col::kMetricType, type);
    b.SetBytes(metrics_col::kMetricName, "m");
    b.FinishRow();
  }
  return b;
}

TEST(EncodeInsertsTest, MetricsGoToTheTableOfTheirKindAndUnknownKindsAreSkipped) {
  RowBatch a = MetricRows({"Gauge", "Summary", "Gauge", "Nonsense"});
  RowBatch b = MetricRows({"Histogram"});
  std::vector<InsertBatch> out;
  uint64_t skipped = 0;
  ASSERT_TRUE(EncodeInserts(Signal::kMetrics, {&a, &b}, {7, 8}, Options(Layout::kCompat), &out, &skipped).ok());
  EXPECT_EQ(skipped, 1u);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].table, "otel_metrics_gauge");
  EXPECT_EQ(out[0].rows, 2u);
  EXPECT_EQ(out[1].table, "otel_metrics_summary");
  EXPECT_EQ(out[2].table, "otel_metrics_histogram");
  EXPECT_TRUE(Contains(out[0].sql, "INSERT INTO `otel`.`otel_metrics_gauge` (`ResourceAttributes.keys`, "))
      << out[0].sql;
  EXPECT_TRUE(Contains(out[0].sql, ", `InsertId`) FORMAT RowBinary")) << out[0].sql;
  // The last 8 bytes of the histogram body: its batch's InsertId.
  ASSERT_GE(out[2].data.size(), 8u);
  EXPECT_EQ(DecodeFixed64(out[2].data.data() + out[2].data.size() - 8), 8u);

  // A second call reuses the buffers and gives the same bytes.
  std::string first = out[0].data;
  ASSERT_TRUE(EncodeInserts(Signal::kMetrics, {&a, &b}, {7, 8}, Options(Layout::kCompat), &out, &skipped).ok());
  EXPECT_EQ(out[0].data, first);
}

TEST(EncodeInsertsTest, ModernMapIsCountThenPairsAndTimeIsInt64Ns) {
  RowBatch b(Signal::kLogs);
  b.SetU64(logs_col::kTimestamp, 1'700'000'000'123'456'789);
  std::string attrs;
  size_t h = anyvalue::BeginKvList(&attrs);
  anyvalue::AppendKey(&attrs, "n");
  anyvalue::AppendInt(&attrs, -5);
  anyvalue::AppendKey(&attrs, "d");
  anyvalue::AppendDouble(&attrs, 2.0);
  anyvalue::EndList(&attrs, h, 2);
  b.SetBytes(logs_col::kLogAttributes, attrs);
  b.SetBytes(logs_col::kTraceId, std::string("\x01\xab", 2));
  b.FinishRow();
  std::vector<InsertBatch> out;
  ASSERT_TRUE(EncodeInserts(Signal::kLogs, {&b}, {1}, Options(Layout::kModern), &out).ok());
  ASSERT_EQ(out.size(), 1u);
  const std::string& d = out[0].data;
  EXPECT_EQ(DecodeFixed64(d.data()), 1'700'000'000'123'456'789u);  // Timestamp first
  EXPECT_EQ(d.substr(8, 5), std::string("\x04"
                                        "01ab",
                                        5));  // TraceId as hex
  EXPECT_TRUE(Contains(d, std::string("\x02\x01n\x02-5\x01"
                                      "d\x03"
                                      "2.0",
                                      13)))
      << "LogAttributes map";
}

TEST(EncodeInsertsTest, CostPerRow) {
  // Not a benchmark: prints the approximate cost (a sanitizer Debug build is
  // ~50x slower than Release, where this is ~3-4 us/row), and checks that a
  // row's body holds what it should and nothing more.
  RowBatch b(Signal::kLogs);
  std::string attrs;
  size_t h = anyvalue::BeginKvList(&attrs);
  for (int i = 0; i < 8; ++i) {
    anyvalue::AppendKey(&attrs, "attribute.key." + std::to_string(i));
    if (i % 2 == 0) {
      anyvalue::AppendString(&attrs, "some value of moderate length");
    } else {
      anyvalue::AppendInt(&attrs, 1000 + i);
    }
  }
  anyvalue::EndList(&attrs, h, 8);
  std::string body;
  anyvalue::AppendString(&body, "GET /api/v1/items?id=42 200 12ms user-agent=curl/8.0");
  for (int r = 0; r < 2000; ++r) {
    b.SetU64(logs_col::kTimestamp, 1'700'000'000'000'000'000 + r);
    b.SetBytes(logs_col::kTraceId, std::string(16, '\x5a'));
    b.SetBytes(logs_col::kSpanId, std::string(8, '\x5b'));
    b.SetBytes(logs_col::kServiceName, "checkout");
    b.SetBytes(logs_col::kBody, body);
    b.SetBytes(logs_col::kLogAttributes, attrs);
    b.SetBytes(logs_col::kResourceAttributes, attrs);
    b.SetBytes(logs_col::kScopeAttributes, anyvalue::EmptyKvList());
    b.FinishRow();
  }
  std::vector<InsertBatch> out;
  ASSERT_TRUE(EncodeInserts(Signal::kLogs, {&b}, {1}, Options(Layout::kCompat), &out).ok());  // warm-up
  auto start = std::chrono::steady_clock::now();
  constexpr int kRounds = 5;
  for (int i = 0; i < kRounds; ++i)
    ASSERT_TRUE(EncodeInserts(Signal::kLogs, {&b}, {1}, Options(Layout::kCompat), &out).ok());
  double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  double per_row = ns / (kRounds * b.rows());
  std::printf("EncodeInserts (logs, 16 attributes, compat): %.0f ns/row, %zu bytes/row\n", per_row,
              out[0].data.size() / b.rows());
  EXPECT_GT(out[0].data.size() / b.rows(), 600u);
  EXPECT_LT(out[0].data.size() / b.rows(), 800u);
}

}  // namespace
}  // namespace otelstack::clickhouse
