// The compat layout on a real ClickHouse 18.16 server: the DDL runs (and
// runs again), rows of every signal and metric kind round-trip through
// EncodeInserts -> INSERT -> SELECT RowSelectList() FROM From() -> DecodeRows,
// and the Column/AttributeValue/TextValues expressions give the values the
// embedded store's query engine sees (query/execution/row_value.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "clickhouse/http_client.h"
#include "clickhouse/table_layout.h"
#include "common/any_value.h"
#include "common/any_value_json.h"
#include "test_util/any_value_builders.h"
#include "test_util/clickhouse_server.h"

namespace otelstack::clickhouse {
namespace {

using namespace test;  // the any_value_builders

constexpr uint64_t kT0 = 1'700'000'000'123'456'789;  // 2023-11-14

std::string Array(const std::vector<std::string>& items) {
  std::string out;
  size_t h = anyvalue::BeginArray(&out);
  for (const std::string& v : items) out += v;
  anyvalue::EndList(&out, h, static_cast<uint32_t>(items.size()));
  return out;
}

std::string Text(std::string_view encoded) {
  if (encoded.empty()) return "";
  anyvalue::Value v;
  EXPECT_TRUE(anyvalue::ParseWhole(encoded, &v).ok());
  std::string out;
  EXPECT_TRUE(anyvalue::AppendAnyText(v, &out).ok());
  return out;
}
// An attribute map as ClickHouse keeps it: every value in its text form.
std::string AsStringMap(std::string_view encoded) {
  anyvalue::Value map;
  EXPECT_TRUE(anyvalue::ParseWhole(encoded, &map).ok());
  std::vector<Kv> items;
  anyvalue::ListReader r(map);
  std::string_view key;
  anyvalue::Value v;
  while (r.Next(&key, &v)) {
    std::string text;
    EXPECT_TRUE(anyvalue::AppendAnyText(v, &text).ok());
    items.push_back({std::string(key), S(text)});
  }
  return Map(items);
}
std::string Json(std::string_view encoded) {
  if (encoded.empty()) return "<unset>";
  anyvalue::Value v;
  if (!anyvalue::ParseWhole(encoded, &v).ok()) return "<corrupt>";
  rapidjson::StringBuffer buffer;
  anyvalue::JsonWriter w(buffer);
  EXPECT_TRUE(anyvalue::WriteAnyJson(w, v).ok());
  return buffer.GetString();
}

const std::string kRawTraceId("\x0a\xf7\x65\x19\x16\xcd\x43\xdd\x84\x48\xeb\x21\x1c\x80\x31\x9c", 16);
const std::string kRawSpanId("\xb7\xad\x6b\x71\x69\x20\x33\x31", 8);

std::string Resource() { return Map({{"service.name", S("checkout")}, {"host.cpus", I(8)}}); }

RowBatch Logs() {
  RowBatch b(Signal::kLogs);
  using namespace logs_col;
  // Row 0: everything set, typed attributes.
  b.SetU64(kTimestamp, kT0);
  b.SetU64(kObservedTimestamp, kT0 + 5);
  b.SetBytes(kTraceId, kRawTraceId);
  b.SetBytes(kSpanId, kRawSpanId);
  b.SetU64(kTraceFlags, 1);
  b.SetBytes(kSeverityText, "ERROR");
  b.SetI64(kSeverityNumber, 17);
  b.SetBytes(kServiceName, "checkout");
  b.SetBytes(kBody, S("payment failed: card declined"));
  b.SetBytes(kResourceSchemaUrl, "https://opentelemetry.io/schemas/1.21.0");
  b.SetBytes(kResourceAttributes, Resource());
  b.SetU64(kResourceDroppedAttributesCount, 2);
  b.SetBytes(kScopeName, "lib");
  b.SetBytes(kScopeVersion, "1.0");
  b.SetBytes(kScopeAttributes, Map({{"scope.flag", B(true)}}));
  b.SetBytes(kLogAttributes, Map({{"http.status", I(502)},
                                  {"ratio", D(0.25)},
                                  {"whole", D(3.0)},
                                  {"ok", B(false)},
                                  {"list", Array({I(1), S("a")})},
                                  {"it's", S("quoted \\ value")}}));
  b.SetU64(kDroppedAttributesCount, 1);
  b.SetBytes(kEventName, "payment.failed");
  b.FinishRow();
  // Row 1: a structured body, no ids, empty maps.
  b.SetU64(kTimestamp, kT0 + 1'000'000'000);
  b.SetBytes(kBody, Map({{"msg", S("hi")}, {"n", I(3)}}));
  b.SetBytes(kResourceAttributes, anyvalue::EmptyKvList());
  b.SetBytes(kScopeAttributes, anyvalue::EmptyKvList());
  b.SetBytes(kLogAttributes, anyvalue::EmptyKvList());
  b.FinishRow();
  // Row 2: no body.
  b.SetU64(kTimestamp, kT0 + 2'000'000'000);
  b.SetBytes(kBody, Empty());
  b.SetBytes(kResourceAttributes, Resource());
  b.SetBytes(kScopeAttributes, anyvalue::EmptyKvList());
  b.SetBytes(kLogAttributes, Map({{"k", S("v")}}));
  b.FinishRow();
  return b;
}

std::string Event(uint64_t t, std::string_view name, std::string attrs, int64_t dropped) {
  return Map({{"Timestamp", I(static_cast<int64_t>(t))},
              {"Name", S(name)},
              {"Attributes", std::move(attrs)},
              {"DroppedAttributesCount", I(dropped)}});
}
std::string Link(std::string_view trace_id_hex, std::string_view span_id_hex, std::string attrs) {
  return Map({{"TraceId", S(trace_id_hex)},
              {"SpanId", S(span_id_hex)},
              {"TraceState", S("k=v")},
              {"Attributes", std::move(attrs)},
              {"DroppedAttributesCount", I(0)},
              {"Flags", I(257)}});
}
std::string Exemplar(uint64_t t, double value) {
  return Map({{"FilteredAttributes", Map({{"user", S("u1")}})},
              {"TimeUnix", I(static_cast<int64_t>(t))},
              {"Value", D(value)},
              {"SpanId", S("b7ad6b7169203331")},
              {"TraceId", S("0af7651916cd43dd8448eb211c80319c")}});
}

RowBatch Traces() {
  RowBatch b(Signal::kTraces);
  using namespace traces_col;
  for (int i = 0; i < 2; ++i) {
    b.SetU64(kTimestamp, kT0 + i * 1000);
    b.SetBytes(kTraceId, kRawTraceId);
    b.SetBytes(kSpanId, i == 0 ? kRawSpanId : std::string(8, '\x01'));
    b.SetBytes(kParentSpanId, i == 0 ? std::string() : kRawSpanId);
    b.SetBytes(kTraceState, "vendor=1");
    b.SetBytes(kSpanName, i == 0 ? "GET /cart" : "SELECT cart");
    b.SetBytes(kSpanKind, i == 0 ? "Server" : "Client");
    b.SetBytes(kServiceName, "checkout");
    b.SetBytes(kResourceAttributes, Resource());
    b.SetBytes(kScopeAttributes, anyvalue::EmptyKvList());
    b.SetBytes(kSpanAttributes, Map({{"db.rows", I(i * 10)}}));
    b.SetU64(kDuration, 1'500'000 + i);
    b.SetBytes(kStatusCode, i == 0 ? "Error" : "Unset");
    b.SetBytes(kStatusMessage, i == 0 ? "boom" : "");
    b.SetU64(kFlags, 0x301);
    b.SetBytes(kEvents, i == 0 ? Array({Event(kT0 + 10, "exception", Map({{"type", S("IOError")}}), 1),
                                        Event(kT0 + 20, "retry", std::string(anyvalue::EmptyKvList()), 0)})
                               : Array({}));
    b.SetU64(kDroppedEventsCount, 3);
    b.SetBytes(kLinks,
               i == 0
                   ? Array({Link("0af7651916cd43dd8448eb211c80319d", "b7ad6b7169203332", Map({{"rel", S("follows")}}))})
                   : Array({}));
    b.SetU64(kDroppedLinksCount, 4);
    b.FinishRow();
  }
  return b;
}

RowBatch Metrics() {
  RowBatch b(Signal::kMetrics);
  using namespace metrics_col;
  uint64_t t = kT0;
  auto common = [&](std::string_view type, std::string_view name) {
    b.SetU64(kTimeUnix, t);
    b.SetU64(kStartTimeUnix, t - 60'000'000'000);
    t += 1'000'000;
    b.SetBytes(kServiceName, "checkout");
    b.SetBytes(kMetricName, name);
    b.SetBytes(kMetricDescription, "d");
    b.SetBytes(kMetricUnit, "ms");
    b.SetBytes(kMetricType, type);
    b.SetBytes(kMetricMetadata, anyvalue::EmptyKvList());
    b.SetBytes(kResourceAttributes, Resource());
    b.SetBytes(kScopeAttributes, anyvalue::EmptyKvList());
    b.SetU64(kScopeDroppedAttributesCount, 1);
    b.SetBytes(kAttributes, Map({{"route", S("/cart")}, {"code", I(200)}}));
    b.SetU64(kFlags, 1);
  };
  common("Gauge", "queue.depth");
  b.SetF64(kValue, 42);
  b.SetI64(kIntValue, 42);
  b.SetU64(kIsIntValue, 1);
  b.SetBytes(kExemplars, Array({Exemplar(kT0 - 5, 41.5)}));
  b.FinishRow();

  common("Sum", "requests");
  b.SetF64(kValue, 12.5);
  b.SetI64(kAggregationTemporality, 2);
  b.SetU64(kIsMonotonic, 1);
  b.SetBytes(kExemplars, Array({}));
  b.FinishRow();

  common("Histogram", "latency");
  b.SetI64(kAggregationTemporality, 1);
  b.SetU64(kCount, 6);
  b.SetBytes(kSum, D(123.0));
  b.SetBytes(kMin, D(0.5));
  b.SetBytes(kMax, Empty());  // absent
  b.SetBytes(kBucketCounts, Array({I(1), I(2), I(3)}));
  b.SetBytes(kExplicitBounds, Array({D(1.0), D(2.5)}));
  b.SetBytes(kExemplars, Array({Exemplar(kT0 - 7, 2.0), Exemplar(kT0 - 6, 1e21)}));
  b.FinishRow();

  common("ExponentialHistogram", "size");
  b.SetI64(kAggregationTemporality, 2);
  b.SetU64(kCount, 9);
  b.SetBytes(kSum, Empty());
  b.SetBytes(kMin, D(-1.5));
  b.SetBytes(kMax, D(1e-7));
  b.SetI64(kScale, -3);
  b.SetU64(kZeroCount, 2);
  b.SetF64(kZeroThreshold, 0.001);
  b.SetI64(kPositiveOffset, -2);
  b.SetBytes(kPositiveBucketCounts, Array({I(4), I(0), I(1)}));
  b.SetI64(kNegativeOffset, 5);
  b.SetBytes(kNegativeBucketCounts, Array({}));
  b.SetBytes(kExemplars, Array({}));
  b.FinishRow();

  common("Summary", "rpc.duration");
  b.SetU64(kCount, 4);
  b.SetBytes(kSum, D(10.0));
  b.SetBytes(kValueAtQuantiles,
             Array({Map({{"Quantile", D(0.5)}, {"Value", D(2.0)}}), Map({{"Quantile", D(0.99)}, {"Value", D(7.25)}})}));
  b.FinishRow();
  return b;
}

// The value of `col` of `row` as the comparison sees it: maps with string
// values (ClickHouse keeps attribute values as text), Body as text.
std::string Normalized(const RowBatch& b, size_t col, size_t row) {
  const ColumnDef& def = SchemaOf(b.signal())[col];
  if (IsFixed(def.type)) return std::to_string(b.U64(col, row));
  std::string_view bytes = b.Bytes(col, row);
  if (def.type != ColumnType::kAny) return std::string(bytes);
  std::string_view name = def.name;
  if (name == "Body") return Text(bytes);
  if (name.ends_with("Attributes") || name == "MetricMetadata") return Json(AsStringMap(bytes));
  return Json(bytes);
}

class TableLayoutServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = test::SharedClickHouseServer();
    ASSERT_NE(server_, nullptr);
    client_ = std::make_unique<Client>(server_->Connection());
    options_.layout = Layout::kCompat;
    options_.database = std::string("layout_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  std::string Query(const std::string& sql) {
    std::string out;
    Status s = client_->Query(sql, {}, &out);
    EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << sql;
    return out;
  }

  // Writes `batch`, reads every row back in time order and compares.
  void RoundTrip(const RowBatch& batch, RowBatch* back_out = nullptr) {
    ASSERT_TRUE(EnsureSchema(*client_, options_).ok());
    std::vector<InsertBatch> inserts;
    uint64_t skipped = 0;
    Status s = EncodeInserts(batch.signal(), {&batch}, {99}, options_, &inserts, &skipped);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(skipped, 0u);
    for (const InsertBatch& insert : inserts) {
      s = client_->Insert(insert.sql, insert.data, {});
      ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << insert.sql;
    }
    auto mapping = MakeReadMapping(batch.signal(), options_);
    std::string sql = "SELECT " + mapping->RowSelectList() + " FROM " + mapping->From() + " ORDER BY " +
                      mapping->TimeNs() + " FORMAT RowBinary";
    std::string data = Query(sql);
    RowBatch back(batch.signal());
    s = mapping->DecodeRows(data, &back);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(back.rows(), batch.rows());
    auto schema = SchemaOf(batch.signal());
    for (size_t row = 0; row < batch.rows(); ++row) {
      for (size_t col = 0; col < schema.size(); ++col) {
        EXPECT_EQ(Normalized(back, col, row), Normalized(batch, col, row)) << "row " << row << " " << schema[col].name;
      }
    }
    if (back_out != nullptr) *back_out = std::move(back);
  }

  // The values of `expr` over all rows in time order, one TSV line each.
  std::vector<std::string> Values(const ReadMapping& m, const std::string& expr) {
    std::string out = Query("SELECT " + expr + " FROM " + m.From() + " ORDER BY " + m.TimeNs() + " FORMAT TSV");
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < out.size()) {
      size_t end = out.find('\n', start);
      lines.push_back(out.substr(start, end - start));
      start = end + 1;
    }
    return lines;
  }

  test::ClickHouseTestServer* server_ = nullptr;
  std::unique_ptr<Client> client_;
  SchemaOptions options_;
};

TEST_F(TableLayoutServerTest, CompatSchemaIsCreatedAndCreatingItAgainIsHarmless) {
  ASSERT_TRUE(EnsureSchema(*client_, options_).ok());
  Status again = EnsureSchema(*client_, options_);
  ASSERT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(Query("SELECT name FROM system.tables WHERE database = '" + options_.database + "' ORDER BY name"),
            "otel_logs\notel_metrics_exponential_histogram\notel_metrics_gauge\notel_metrics_histogram\n"
            "otel_metrics_sum\notel_metrics_summary\notel_traces\notel_traces_trace_id_ts\n"
            "otel_traces_trace_id_ts_mv\n");
}

TEST_F(TableLayoutServerTest, LogsRoundTrip) {
  RowBatch logs = Logs();
  RoundTrip(logs);
  auto m = MakeReadMapping(Signal::kLogs, options_);
  using namespace logs_col;
  EXPECT_EQ(Values(*m, m->Column(kTraceId)), (std::vector<std::string>{"0af7651916cd43dd8448eb211c80319c", "", ""}));
  EXPECT_EQ(Values(*m, m->Column(kBody)),
            (std::vector<std::string>{"payment failed: card declined", R"({"msg":"hi","n":3})", ""}));
  EXPECT_EQ(Values(*m, m->Column(kSeverityNumber)), (std::vector<std::string>{"17", "0", "0"}));
  EXPECT_EQ(Values(*m, m->Column(kTimestamp)),
            (std::vector<std::string>{std::to_string(kT0), std::to_string(kT0 + 1'000'000'000),
                                      std::to_string(kT0 + 2'000'000'000)}));
  EXPECT_EQ(Values(*m, m->AttributeValue(kLogAttributes, "http.status")), (std::vector<std::string>{"502", "", ""}));
  EXPECT_EQ(Values(*m, m->AttributeValue(kLogAttributes, "whole")), (std::vector<std::string>{"3.0", "", ""}));
  EXPECT_EQ(Values(*m, m->AttributeValue(kLogAttributes, "ok")), (std::vector<std::string>{"false", "", ""}));
  EXPECT_EQ(Values(*m, m->AttributeValue(kLogAttributes, "list")), (std::vector<std::string>{R"([1,"a"])", "", ""}));
  EXPECT_EQ(Values(*m, m->AttributeValue(kLogAttributes, "it's")),
            (std::vector<std::string>{"quoted \\\\ value", "", ""}));  // TSV escapes the backslash
  EXPECT_EQ(Values(*m, m->AttributeExists(kLogAttributes, "k")), (std::vector<std::string>{"0", "0", "1"}));
  EXPECT_EQ(Values(*m, m->TextValues())[2], "['','v','checkout','8']");
  // Pruning and exact filtering on time.
  EXPECT_EQ(Query("SELECT count() FROM " + m->From() + " WHERE " + m->TimeRange(kT0 + 1, kT0 + 1'000'000'000)), "1\n");
  EXPECT_EQ(Query("SELECT count() FROM " + m->From() + " WHERE " + m->TimeRange(kT0, kT0)), "1\n");
}

// A table written by someone else (like the OTel collector's exporter) lacks
// otelstack's extra columns: with DescribeTables the mapping reads them as
// zero values; without it the query fails on the missing columns.
TEST_F(TableLayoutServerTest, ATableWithoutOurExtraColumnsIsReadWithZeroValues) {
  RowBatch logs = Logs();
  RoundTrip(logs);
  SchemaOptions foreign = options_;
  foreign.database = options_.database + "_foreign";
  const std::string ours = "`" + options_.database + "`.`otel_logs`";
  const std::string theirs = "`" + foreign.database + "`.`otel_logs`";
  Query("CREATE DATABASE IF NOT EXISTS `" + foreign.database + "`");
  Query("CREATE TABLE " + theirs + " AS " + ours);
  for (const char* column :
       {"InsertId", "EventName", "ObservedTimestamp", "ObservedTimestampNs", "DroppedAttributesCount"}) {
    Query("ALTER TABLE " + theirs + " DROP COLUMN `" + std::string(column) + "`");
  }
  std::string columns = Query(
      "SELECT arrayStringConcat(groupArray(concat('`', name, '`')), ', ') FROM system.columns "
      "WHERE database = '" +
      foreign.database + "' AND table = 'otel_logs'");
  columns.pop_back();  // the newline
  Query("INSERT INTO " + theirs + " (" + columns + ") SELECT " + columns + " FROM " + ours);

  auto described = DescribeTables(*client_, foreign);
  ASSERT_TRUE(described.ok()) << described.status().ToString();
  EXPECT_EQ(described->count("otel_logs"), 1u);
  EXPECT_EQ(described->at("otel_logs").count("EventName"), 0u);
  auto m = MakeReadMapping(Signal::kLogs, foreign, &*described);
  std::string data = Query("SELECT " + m->RowSelectList() + " FROM " + m->From() + " WHERE " +
                           m->TimeRange(0, UINT64_MAX) + " ORDER BY " + m->TimeNs() + " FORMAT RowBinary");
  RowBatch back(Signal::kLogs);
  Status s = m->DecodeRows(data, &back);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(back.rows(), logs.rows());
  for (size_t row = 0; row < logs.rows(); ++row) {
    EXPECT_EQ(Normalized(back, logs_col::kBody, row), Normalized(logs, logs_col::kBody, row));
    EXPECT_EQ(back.Time(row), logs.Time(row));
    EXPECT_EQ(back.Bytes(logs_col::kEventName, row), "") << "missing columns read as zero values";
    EXPECT_EQ(back.U64(logs_col::kObservedTimestamp, row), 0u);
  }
  EXPECT_EQ(Values(*m, m->Column(logs_col::kBody))[0], "payment failed: card declined");

  // Our own tables, having every column, are read directly.
  auto ours_described = DescribeTables(*client_, options_);
  ASSERT_TRUE(ours_described.ok());
  EXPECT_EQ(MakeReadMapping(Signal::kLogs, options_, &*ours_described)->From(), ours);

  auto unaware = MakeReadMapping(Signal::kLogs, foreign);
  std::string ignored;
  EXPECT_FALSE(client_->Query("SELECT " + unaware->RowSelectList() + " FROM " + unaware->From(), {}, &ignored).ok());
}

TEST_F(TableLayoutServerTest, TracesRoundTripAndFillTheTraceIdLookup) {
  RowBatch traces = Traces();
  RowBatch back(Signal::kTraces);
  RoundTrip(traces, &back);
  ASSERT_EQ(back.rows(), 2u);
  EXPECT_EQ(Json(back.Bytes(traces_col::kEvents, 0)),
            R"([{"Timestamp":1700000000123456799,"Name":"exception","Attributes":{"type":"IOError"},)"
            R"("DroppedAttributesCount":1},{"Timestamp":1700000000123456809,"Name":"retry","Attributes":{},)"
            R"("DroppedAttributesCount":0}])");
  EXPECT_EQ(back.Bytes(traces_col::kTraceId, 1), kRawTraceId);
  EXPECT_EQ(Json(back.Bytes(traces_col::kSpanAttributes, 1)), R"({"db.rows":"10"})");
  auto m = MakeReadMapping(Signal::kTraces, options_);
  EXPECT_EQ(Values(*m, m->Column(traces_col::kParentSpanId)), (std::vector<std::string>{"", "b7ad6b7169203331"}));
  EXPECT_EQ(Values(*m, m->Column(traces_col::kDuration)), (std::vector<std::string>{"1500000", "1500001"}));
  EXPECT_EQ(Values(*m, m->TextValues())[0], "['GET /cart','boom','0','checkout','8']");
  EXPECT_EQ(Query("SELECT TraceId, min(Start) = toDateTime(1700000000) FROM " + options_.database +
                  ".otel_traces_trace_id_ts GROUP BY TraceId"),
            "0af7651916cd43dd8448eb211c80319c\t1\n");
}

TEST_F(TableLayoutServerTest, MetricsOfEveryKindRoundTrip) {
  RowBatch metrics = Metrics();
  RoundTrip(metrics);
  auto m = MakeReadMapping(Signal::kMetrics, options_);
  using namespace metrics_col;
  EXPECT_EQ(Values(*m, m->Column(kMetricType)),
            (std::vector<std::string>{"Gauge", "Sum", "Histogram", "ExponentialHistogram", "Summary"}));
  EXPECT_EQ(Values(*m, m->Column(kValue)), (std::vector<std::string>{"42", "12.5", "0", "0", "0"}));
  // Text forms as row_value.h gives them: doubles as JSON renders them, ''
  // when absent or not of the row's kind.
  EXPECT_EQ(Values(*m, m->Column(kSum)), (std::vector<std::string>{"", "", "123.0", "", "10.0"}));
  EXPECT_EQ(Values(*m, m->Column(kMax)), (std::vector<std::string>{"", "", "", "1e-7", ""}));
  EXPECT_EQ(Values(*m, m->Column(kBucketCounts)), (std::vector<std::string>{"", "", "[1,2,3]", "", ""}));
  EXPECT_EQ(Values(*m, m->Column(kExplicitBounds)), (std::vector<std::string>{"", "", "[1.0,2.5]", "", ""}));
  EXPECT_EQ(Values(*m, m->Column(kValueAtQuantiles))[4], Text(metrics.Bytes(kValueAtQuantiles, 4)));
  EXPECT_EQ(Values(*m, m->Column(kScale)), (std::vector<std::string>{"0", "0", "0", "-3", "0"}));
  EXPECT_EQ(Values(*m, m->AttributeValue(kAttributes, "code"))[3], "200");
  EXPECT_EQ(Values(*m, m->TextValues())[0], "['queue.depth','/cart','200','checkout','8']");
}

}  // namespace
}  // namespace otelstack::clickhouse
