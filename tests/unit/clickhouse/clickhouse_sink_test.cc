// ClickHouseSink and partition retention against a real clickhouse-server
// (tests/unit/test_util/clickhouse_server.h): inserts, idempotent retries
// (whole and partial), metrics split by kind, and dropping expired days.
#include "clickhouse/clickhouse_sink.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "clickhouse/retention.h"
#include "common/any_value.h"
#include "test_util/clickhouse_server.h"

namespace otelstack::clickhouse {
namespace {

#define ASSERT_OK(expr)                                     \
  do {                                                      \
    ::otelstack::Status _s = (expr);                        \
    ASSERT_TRUE(_s.ok()) << #expr << ": " << _s.ToString(); \
  } while (0)

constexpr uint64_t kSecond = 1'000'000'000;
constexpr uint64_t kDay = 86'400 * kSecond;

uint64_t NowNs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::string AnyString(std::string_view text) {
  std::string out;
  anyvalue::AppendString(&out, text);
  return out;
}

// Logs with bodies "<prefix>-<i>" at the given times.
std::shared_ptr<RowBatch> Logs(const std::string& prefix, const std::vector<uint64_t>& times) {
  auto batch = std::make_shared<RowBatch>(Signal::kLogs);
  for (size_t i = 0; i < times.size(); ++i) {
    batch->SetU64(logs_col::kTimestamp, times[i]);
    batch->SetU64(logs_col::kObservedTimestamp, times[i]);
    batch->SetBytes(logs_col::kServiceName, "sink-test");
    batch->SetBytes(logs_col::kBody, AnyString(prefix + "-" + std::to_string(i)));
    batch->SetBytes(logs_col::kResourceAttributes, anyvalue::EmptyKvList());
    batch->SetBytes(logs_col::kScopeAttributes, anyvalue::EmptyKvList());
    batch->SetBytes(logs_col::kLogAttributes, anyvalue::EmptyKvList());
    batch->FinishRow();
  }
  return batch;
}

std::shared_ptr<RowBatch> Metrics(const std::vector<std::string>& types, uint64_t time) {
  auto batch = std::make_shared<RowBatch>(Signal::kMetrics);
  for (size_t i = 0; i < types.size(); ++i) {
    batch->SetU64(metrics_col::kTimeUnix, time + i);
    batch->SetBytes(metrics_col::kServiceName, "sink-test");
    batch->SetBytes(metrics_col::kMetricName, "m" + std::to_string(i));
    batch->SetBytes(metrics_col::kMetricType, types[i]);
    batch->SetBytes(metrics_col::kResourceAttributes, anyvalue::EmptyKvList());
    batch->SetBytes(metrics_col::kScopeAttributes, anyvalue::EmptyKvList());
    batch->SetBytes(metrics_col::kAttributes, anyvalue::EmptyKvList());
    batch->SetF64(metrics_col::kValue, static_cast<double>(i));
    batch->FinishRow();
  }
  return batch;
}

class ClickHouseSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = test::SharedClickHouseServer();
    ASSERT_NE(server_, nullptr);
    static std::atomic<int> n{0};
    database_ = "sink_test_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  }

  SinkOptions Options() const {
    SinkOptions options;
    options.connection = server_->Connection();
    // As `serve` sets it: the sink must not need the database to exist yet.
    options.connection.database = database_;
    options.schema.database = database_;
    return options;
  }

  uint64_t Count(const std::string& table, const std::string& where = "1") {
    Client client(server_->Connection());
    std::string body;
    Status s = client.Query("SELECT count() FROM `" + database_ + "`.`" + table + "` WHERE " + where, {}, &body);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return s.ok() ? std::stoull(body) : 0;
  }

  test::ClickHouseTestServer* server_ = nullptr;
  std::string database_;
};

TEST_F(ClickHouseSinkTest, InsertsOnceAndARetryOfTheSameBatchesAddsNothing) {
  ClickHouseSink sink(Options());
  const uint64_t t = NowNs();
  std::vector<SinkBatch> batches = {{Logs("a", {t, t + 1, t + 2}), 11}, {Logs("b", {t + 3, t + 4}), 12}};
  ASSERT_OK(sink.Write(batches, false));
  EXPECT_EQ(sink.layout(), Layout::kCompat) << "18.16 gets the compatible layout";
  EXPECT_EQ(Count("otel_logs"), 5u);
  EXPECT_EQ(Count("otel_logs", "InsertId = 12"), 2u);
  ASSERT_OK(sink.Write(batches, true));
  EXPECT_EQ(Count("otel_logs"), 5u);
  EXPECT_EQ(sink.stats().skipped_present, 5u);
  // A retry holding one stored and one new batch sends only the new one.
  batches.push_back({Logs("c", {t + 5}), 13});
  ASSERT_OK(sink.Write(batches, true));
  EXPECT_EQ(Count("otel_logs"), 6u);
}

TEST_F(ClickHouseSinkTest, APartlyStoredInsertIsCompletedRowForRow) {
  ClickHouseSink sink(Options());
  const uint64_t t = NowNs() - 2 * kDay;
  // One WAL record spanning two days (two partitions, so two parts): only the
  // first day's part made it before the failure.
  std::vector<uint64_t> times = {t, t + 1, t + 1, t + kDay, t + kDay + 1};
  ASSERT_OK(sink.Write({{Logs("p", {t, t + 1, t + 1}), 21}}, false));
  ASSERT_OK(sink.Write({{Logs("p", times), 21}}, true));
  EXPECT_EQ(Count("otel_logs", "InsertId = 21"), 5u);
  EXPECT_EQ(Count("otel_logs", "Body = 'p-3'"), 1u);
  EXPECT_EQ(Count("otel_logs", "Body = 'p-0'"), 1u);
}

TEST_F(ClickHouseSinkTest, MetricsGoToTheTableOfTheirKindAndRetriesCheckEachTable) {
  ClickHouseSink sink(Options());
  auto batch = Metrics({"Gauge", "Sum", "Gauge", "Summary"}, NowNs());
  ASSERT_OK(sink.Write({{batch, 31}}, false));
  EXPECT_EQ(Count("otel_metrics_gauge"), 2u);
  EXPECT_EQ(Count("otel_metrics_sum"), 1u);
  EXPECT_EQ(Count("otel_metrics_summary"), 1u);
  EXPECT_EQ(Count("otel_metrics_histogram"), 0u);
  ASSERT_OK(sink.Write({{batch, 31}}, true));
  EXPECT_EQ(Count("otel_metrics_gauge"), 2u);
  EXPECT_EQ(Count("otel_metrics_sum"), 1u);
}

TEST_F(ClickHouseSinkTest, AnUnreachableServerIsUnavailableAndNothingIsPrepared) {
  SinkOptions options = Options();
  options.connection.url.port = 1;  // nothing listens there
  options.connection.timeout = std::chrono::milliseconds(2000);
  ClickHouseSink sink(options);
  Status s = sink.Write({{Logs("x", {NowNs()}), 41}}, false);
  EXPECT_EQ(s.code(), Status::Code::kUnavailable) << s.ToString();
  EXPECT_FALSE(sink.layout().has_value());
  EXPECT_EQ(sink.stats().failed_writes, 1u);
}

TEST_F(ClickHouseSinkTest, RetentionDropsWholeExpiredDays) {
  ClickHouseSink sink(Options());
  const uint64_t now = NowNs();
  ASSERT_OK(sink.Write({{Logs("old", {now - 10 * kDay, now - 9 * kDay}), 51}, {Logs("new", {now}), 52}}, false));
  ASSERT_EQ(Count("otel_logs"), 3u);
  SchemaOptions schema;
  schema.database = database_;
  Client client(server_->Connection());
  std::vector<DroppedPartition> dropped;
  ASSERT_OK(DropExpiredPartitions(client, schema, Signal::kLogs, std::chrono::hours(24 * 3), now, &dropped));
  EXPECT_EQ(dropped.size(), 2u);
  EXPECT_EQ(Count("otel_logs"), 1u);
  EXPECT_EQ(Count("otel_logs", "InsertId = 52"), 1u);
  // Retention 0 keeps everything.
  ASSERT_OK(DropExpiredPartitions(client, schema, Signal::kLogs, std::chrono::seconds(0), now + 100 * kDay));
  EXPECT_EQ(Count("otel_logs"), 1u);
}

}  // namespace
}  // namespace otelstack::clickhouse
