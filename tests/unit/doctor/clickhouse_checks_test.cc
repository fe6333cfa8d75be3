#include "doctor/clickhouse_checks.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "doctor_test_util.h"
#include "test_util/temp_dir.h"

namespace otelstack::doctor {
namespace {

using testing::StatusOf;

// A scripted ClickHouse: answers by user and SQL, like an 18.16 server with
// otelstack's users.xml unless a test changes the script.
class FakeClickHouse : public ClickHouseProbe {
 public:
  std::string version = "18.16.1";
  std::string query_readonly = "1";
  bool default_without_password = false;
  bool refuse_settings = true;        // readonly = 1 without CHANGEABLE_IN_READONLY
  bool know_cancel_on_close = false;  // 18.16 does not
  bool ingest_confined = true;
  std::string grants = "GRANT SELECT, INSERT, CREATE TABLE, CREATE VIEW ON otel.* TO otelstack_ingest\n";
  std::set<uint16_t> open_ports;
  std::vector<std::string> log;

  Status Query(const clickhouse::ConnectionOptions& c, std::string_view sql, const clickhouse::Settings& settings,
               std::string* out) override {
    log.push_back(c.user + ": " + std::string(sql));
    auto answer = [&](std::string text) {
      if (out) *out = std::move(text);
      return Status::OK();
    };
    if (c.user == "default") {
      if (default_without_password) return answer("1\n");
      return Status::PermissionDenied("ClickHouse error 193: Wrong password for user default");
    }
    for (const auto& [name, value] : settings) {
      if (name == "cancel_http_readonly_queries_on_client_close" && !know_cancel_on_close) {
        return Status::Internal("ClickHouse error 115: Unknown setting " + name);
      }
      if (name != "wait_end_of_query" && c.user == "otelstack_query" && refuse_settings) {
        return Status::PermissionDenied("ClickHouse error 164: Cannot override setting (" + name +
                                        ") in readonly mode");
      }
    }
    if (sql == "SELECT version()") return answer(version + "\n");
    if (sql == "SELECT 1" && c.user == "otelstack_ingest" && c.database == "default") {
      if (ingest_confined) return Status::PermissionDenied("ClickHouse error 291: Access denied to database default");
      return answer("1\n");
    }
    if (sql == "SELECT 1") return answer("1\n");
    if (sql.find("name IN ('readonly')") != std::string_view::npos) {
      return answer("readonly\t" + (c.user == "otelstack_query" ? query_readonly : std::string("0")) + "\n");
    }
    if (sql.find("system.settings") != std::string_view::npos) {
      return answer("max_rows_to_read\t1000000000\nread_overflow_mode\tthrow\nmax_execution_time\t60\n");
    }
    if (sql == "SHOW GRANTS") return answer(grants);
    if (sql.find("system.databases") != std::string_view::npos) return answer("default\n");
    return Status::Internal("unexpected query " + std::string(sql));
  }

  bool TcpReachable(const std::string&, uint16_t port) override { return open_ports.count(port) > 0; }
};

class ClickHouseChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::ClearDoctorEnvironment();
    ::setenv("OTELSTACK_SESSION_SECRET", testing::kStrongSecret, 1);
    options_.data_dir = dir_.path();
    server::ClickHouseStorageOptions ch;
    ch.connection.url = *clickhouse::ParseClickHouseUrl("http://127.0.0.1:8123");
    ch.connection.user = "otelstack_ingest";
    ch.connection.password = "ingest-pw";
    ch.connection.database = "otel";
    ch.query_connection = ch.connection;
    ch.query_connection.user = "otelstack_query";
    ch.query_connection.password = "query-pw";
    options_.clickhouse = ch;
  }
  void TearDown() override { testing::ClearDoctorEnvironment(); }
  std::vector<CheckResult> Run() { return CheckClickHouse(options_, ClassifyPolicyViolations(options_), &fake_); }

  test::TempDir dir_;
  server::ServerOptions options_;
  FakeClickHouse fake_;
};

TEST_F(ClickHouseChecksTest, EmbeddedStorageSkipsEverything) {
  options_.clickhouse.reset();
  auto results = Run();
  ASSERT_EQ(results.size(), 8u);
  for (const CheckResult& r : results) {
    EXPECT_EQ(r.status, CheckStatus::kSkip) << r.id;
    EXPECT_NE(r.detail.find("no ClickHouse configured"), std::string::npos);
  }
}

TEST_F(ClickHouseChecksTest, WellSetUp1816) {
  auto results = Run();
  for (const char* id : {"clickhouse.users", "clickhouse.connection", "clickhouse.readonly", "clickhouse.ingest_scope",
                         "clickhouse.default_user", "clickhouse.tls", "clickhouse.exposure"}) {
    EXPECT_EQ(StatusOf(results, id), "PASS") << id << ": " << testing::Find(results, id)->detail;
  }
  // 18.16 cannot let a readonly = 1 user change settings: reported, not faked.
  const CheckResult* settings = testing::Find(results, "clickhouse.query_settings");
  EXPECT_EQ(StatusOf(results, "clickhouse.query_settings"), "WARN");
  EXPECT_NE(settings->detail.find("refused: max_rows_to_read, read_overflow_mode"), std::string::npos)
      << settings->detail;
  EXPECT_NE(settings->detail.find("unknown to this server: cancel_http_readonly_queries_on_client_close"),
            std::string::npos);
  EXPECT_NE(settings->detail.find("accepted: wait_end_of_query"), std::string::npos);
}

TEST_F(ClickHouseChecksTest, RefusedSettingsFailWhereConstraintsExist) {
  fake_.version = "23.8.2.7";
  fake_.know_cancel_on_close = true;
  auto results = Run();
  EXPECT_EQ(StatusOf(results, "clickhouse.query_settings"), "FAIL");
  EXPECT_NE(testing::Find(results, "clickhouse.query_settings")->fix.find("CHANGEABLE_IN_READONLY"), std::string::npos);
  fake_.refuse_settings = false;
  EXPECT_EQ(StatusOf(Run(), "clickhouse.query_settings"), "PASS");
}

TEST_F(ClickHouseChecksTest, WritableQueryUserFails) {
  fake_.query_readonly = "2";
  EXPECT_EQ(StatusOf(Run(), "clickhouse.readonly"), "FAIL");
  fake_.query_readonly = "0";
  EXPECT_EQ(StatusOf(Run(), "clickhouse.readonly"), "FAIL");
}

TEST_F(ClickHouseChecksTest, DefaultUserWithoutPasswordFails) {
  fake_.default_without_password = true;
  EXPECT_EQ(StatusOf(Run(), "clickhouse.default_user"), "FAIL");
}

TEST_F(ClickHouseChecksTest, PolicyUserRules) {
  options_.clickhouse->connection.user = "default";
  options_.clickhouse->query_connection.password.clear();
  auto results = Run();
  ASSERT_EQ(StatusOf(results, "clickhouse.users"), "FAIL");
  const std::string& detail = testing::Find(results, "clickhouse.users")->detail;
  EXPECT_NE(detail.find("'default' user"), std::string::npos) << detail;
  EXPECT_NE(detail.find("empty password"), std::string::npos) << detail;
}

TEST_F(ClickHouseChecksTest, IngestionScope) {
  fake_.ingest_confined = false;
  EXPECT_EQ(StatusOf(Run(), "clickhouse.ingest_scope"), "FAIL") << "1816: reads another database";
  fake_.version = "24.3.1.1";
  EXPECT_EQ(StatusOf(Run(), "clickhouse.ingest_scope"), "PASS") << "modern: SHOW GRANTS on otel.* only";
  fake_.grants = "GRANT SELECT ON *.* TO otelstack_ingest\n";
  EXPECT_EQ(StatusOf(Run(), "clickhouse.ingest_scope"), "FAIL");
}

TEST_F(ClickHouseChecksTest, RemotePlaintextClickHouse) {
  for (auto* c : {&options_.clickhouse->connection, &options_.clickhouse->query_connection}) {
    c->url = *clickhouse::ParseClickHouseUrl("http://10.1.2.3:8123");
  }
  fake_.open_ports = {9000, 8123};
  auto results = Run();
  EXPECT_EQ(StatusOf(results, "clickhouse.tls"), "FAIL");
  ASSERT_EQ(StatusOf(results, "clickhouse.exposure"), "WARN");
  const std::string& detail = testing::Find(results, "clickhouse.exposure")->detail;
  EXPECT_NE(detail.find("9000 (native)"), std::string::npos) << detail;
  EXPECT_EQ(detail.find("8123 (HTTP)"), std::string::npos) << "the configured port is expected: " << detail;

  fake_.open_ports = {8123};
  EXPECT_EQ(StatusOf(Run(), "clickhouse.exposure"), "PASS");
}

}  // namespace
}  // namespace otelstack::doctor
