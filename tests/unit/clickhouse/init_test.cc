#include "clickhouse/init.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util/clickhouse_server.h"

namespace otelstack::clickhouse {
namespace {

ServerFeatures Features(const char* version) { return FeaturesOf(*ServerVersion::Parse(version)); }

InitOptions Options() {
  InitOptions options;
  options.ingest_password = "ingest-Secret-1";
  options.query_password = "query-Secret-2";
  options.max_rows_to_read = 5000;
  options.max_execution_time_seconds = 30;
  return options;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(InitPlanTest, Sha256HexAndGeneratedPasswords) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto a = GenerateClickHousePassword(), b = GenerateClickHousePassword();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  for (char c : *a) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << *a;
}

// The modern path cannot run here (only 18.16 is installed): its SQL text is
// checked statement by statement.
TEST(InitPlanTest, ModernServerGetsSqlUsersWithChangeableInReadonlyLimits) {
  auto plan = PlanInit(Features("24.8.4.13"), Options());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->users_xml.empty());
  const std::string ingest_hash = Sha256Hex("ingest-Secret-1"), query_hash = Sha256Hex("query-Secret-2");
  std::vector<std::string> expected = {
      "CREATE DATABASE IF NOT EXISTS otel",
      "CREATE USER IF NOT EXISTS otelstack_ingest",
      "ALTER USER otelstack_ingest IDENTIFIED WITH sha256_hash BY '" + ingest_hash + "'",
      "GRANT SELECT, INSERT, CREATE TABLE, CREATE VIEW ON otel.* TO otelstack_ingest",
      "GRANT ALTER DELETE ON otel.* TO otelstack_ingest",
      "CREATE SETTINGS PROFILE IF NOT EXISTS otelstack_query",
      "ALTER SETTINGS PROFILE otelstack_query SETTINGS readonly = 1 READONLY, max_rows_to_read = 5000 MIN 1 MAX 5000 "
      "CHANGEABLE_IN_READONLY, read_overflow_mode = 'throw' CHANGEABLE_IN_READONLY, max_execution_time = 30 MIN 1 "
      "MAX 30 CHANGEABLE_IN_READONLY, cancel_http_readonly_queries_on_client_close = 1 CHANGEABLE_IN_READONLY",
      "CREATE USER IF NOT EXISTS otelstack_query",
      "ALTER USER otelstack_query IDENTIFIED WITH sha256_hash BY '" + query_hash +
          "' SETTINGS PROFILE 'otelstack_query'",
      "GRANT SELECT ON otel.* TO otelstack_query",
  };
  EXPECT_EQ(plan->statements, expected);
  for (const std::string& sql : plan->statements) {
    EXPECT_FALSE(Contains(sql, "Secret")) << "a plaintext password in: " << sql;
    EXPECT_FALSE(Contains(sql, "readonly = 2")) << sql;
    EXPECT_FALSE(Contains(sql, "DROP")) << sql;
  }
  EXPECT_TRUE(Contains(plan->notes, "settings_constraints_replace_previous")) << plan->notes;
}

TEST(InitPlanTest, SqlUsersWithoutChangeableInReadonlyFixTheLimits) {
  auto plan = PlanInit(Features("21.8.15"), Options());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->statements.size(), 10u);
  EXPECT_EQ(plan->statements[6],
            "ALTER SETTINGS PROFILE otelstack_query SETTINGS readonly = 1 READONLY, max_rows_to_read = 5000 READONLY, "
            "read_overflow_mode = 'throw' READONLY, max_execution_time = 30 READONLY, "
            "cancel_http_readonly_queries_on_client_close = 1 READONLY");
  EXPECT_TRUE(Contains(plan->notes, "no CHANGEABLE_IN_READONLY")) << plan->notes;
  InitOptions no_retention = Options();
  no_retention.retention_grant = false;
  plan = PlanInit(Features("21.8.15"), no_retention);
  ASSERT_TRUE(plan.ok());
  for (const std::string& sql : plan->statements) EXPECT_FALSE(Contains(sql, "ALTER DELETE")) << sql;
}

TEST(InitPlanTest, OldServerGetsAUsersXmlFragment) {
  InitOptions options = Options();
  options.networks = {"10.0.0.0/8", "::1"};
  auto plan = PlanInit(Features("18.16.1"), options);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->statements, std::vector<std::string>{"CREATE DATABASE IF NOT EXISTS otel"});
  const std::string& xml = plan->users_xml;
  EXPECT_TRUE(Contains(xml, "<password_sha256_hex>" + Sha256Hex("ingest-Secret-1") + "</password_sha256_hex>"));
  EXPECT_TRUE(Contains(xml, "<password_sha256_hex>" + Sha256Hex("query-Secret-2") + "</password_sha256_hex>"));
  EXPECT_FALSE(Contains(xml, "Secret"));
  EXPECT_TRUE(Contains(xml, "<allow_databases>\n        <database>otel</database>"));
  EXPECT_TRUE(Contains(xml, "<ip>10.0.0.0/8</ip>"));
  EXPECT_TRUE(Contains(xml, "<ip>::1</ip>"));
  EXPECT_TRUE(Contains(xml, "<readonly>1</readonly>"));
  EXPECT_TRUE(Contains(xml, "<max_rows_to_read>5000</max_rows_to_read>"));
  EXPECT_TRUE(Contains(xml, "<max_execution_time>30</max_execution_time>"));
  // 18.16 does not know the setting (code 115 would refuse every login).
  EXPECT_FALSE(Contains(xml, "cancel_http_readonly_queries_on_client_close"));
  EXPECT_TRUE(Contains(plan->notes, "users.d/otelstack.xml")) << plan->notes;
  auto v19 = PlanInit(Features("19.16.3"), options);
  ASSERT_TRUE(v19.ok());
  EXPECT_TRUE(Contains(v19->users_xml, "<cancel_http_readonly_queries_on_client_close>1<"));
}

TEST(InitPlanTest, RefusesUnsafeInput) {
  ServerFeatures modern = Features("24.8");
  for (const char* bad : {"", "otel; DROP DATABASE x", "o-tel", "1otel", "otel.x", "a'b"}) {
    InitOptions options = Options();
    options.database = bad;
    EXPECT_EQ(PlanInit(modern, options).status().code(), Status::Code::kInvalidArgument) << bad;
    options = Options();
    options.query_user = bad;
    EXPECT_EQ(PlanInit(modern, options).status().code(), Status::Code::kInvalidArgument) << bad;
  }
  InitOptions same = Options();
  same.query_user = same.ingest_user;
  EXPECT_FALSE(PlanInit(modern, same).ok());
  InitOptions no_password = Options();
  no_password.query_password.clear();
  EXPECT_FALSE(PlanInit(modern, no_password).ok());
  InitOptions unlimited = Options();
  unlimited.max_rows_to_read = 0;
  EXPECT_FALSE(PlanInit(modern, unlimited).ok());
  InitOptions bad_network = Options();
  bad_network.networks = {"</ip><ip>::/0"};
  EXPECT_FALSE(PlanInit(Features("18.16.1"), bad_network).ok());
}

// --- The 18.16 fragment on a real server -----------------------------------------

class InitOnRealServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The version decides the plan; the plan's fragment configures the server.
    test::ClickHouseTestServer* probe = test::SharedClickHouseServer();
    ASSERT_NE(probe, nullptr);
    auto version = Client(probe->Connection()).Version();
    ASSERT_TRUE(version.ok()) << version.status().ToString();
    features_ = FeaturesOf(*ServerVersion::Parse(*version));
    if (features_.sql_users) GTEST_SKIP() << "this test covers servers without SQL users; found " << *version;
    InitOptions init = Options();
    init.max_rows_to_read = 10000;  // more than one granule (8192 rows), less than the table
    auto plan = PlanInit(features_, init);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    plan_ = *plan;
    test::ClickHouseTestServerOptions options;
    options.users_d["otelstack.xml"] = plan_.users_xml;
    auto server = test::ClickHouseTestServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    Status ran = RunInit(Admin(), plan_);
    ASSERT_TRUE(ran.ok()) << ran.ToString();
    // Again: init may be re-run.
    ran = RunInit(Admin(), plan_);
    ASSERT_TRUE(ran.ok()) << ran.ToString();
    Must(Admin(), "CREATE TABLE default.secret (x UInt8) ENGINE = Memory");
    Must(Admin(), "CREATE TABLE otel.rows (n UInt64) ENGINE = MergeTree ORDER BY n");
    Must(Admin(), "INSERT INTO otel.rows SELECT number FROM system.numbers LIMIT 40000");
  }

  Client Admin() const { return Client(server_->Connection()); }
  Client Ingest() const { return Client(server_->Connection("otelstack_ingest", "ingest-Secret-1")); }
  Client Query() const { return Client(server_->Connection("otelstack_query", "query-Secret-2")); }
  static void Must(const Client& client, const std::string& sql) {
    Status status = client.Query(sql, {}, nullptr);
    ASSERT_TRUE(status.ok()) << sql << ": " << status.ToString();
  }

  ServerFeatures features_;
  InitPlan plan_;
  std::unique_ptr<test::ClickHouseTestServer> server_;
};

TEST_F(InitOnRealServerTest, QueryUserReadsOtelOnlyWithinItsLimits) {
  std::string out;
  Status small = Query().Query("SELECT count() FROM otel.rows WHERE n < 100", {}, &out);
  ASSERT_TRUE(small.ok()) << small.ToString() << "\n" << server_->LogTail();
  EXPECT_EQ(out, "100\n");
  // readonly=1: no writes, no DDL, no table functions.
  Status insert = Query().Insert("INSERT INTO otel.rows FORMAT TSV", "1\n", {});
  EXPECT_EQ(ExceptionCode(insert), 164) << insert.ToString();
  EXPECT_EQ(insert.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(ExceptionCode(Query().Query("CREATE TABLE otel.x (x UInt8) ENGINE = Memory", {}, nullptr)), 164);
  EXPECT_EQ(ExceptionCode(Query().Query("DROP TABLE otel.rows", {}, nullptr)), 164);
  EXPECT_EQ(ExceptionCode(Query().Query("SELECT count() FROM numbers(10)", {}, nullptr)), 164);
  // Other databases are closed (291 DATABASE_ACCESS_DENIED).
  EXPECT_EQ(ExceptionCode(Query().Query("SELECT count() FROM default.secret", {}, nullptr)), 291);
  // The profile's max_rows_to_read (10000) holds: 40000 rows are too many.
  Status big = Query().Query("SELECT count() FROM otel.rows", {}, nullptr);
  EXPECT_EQ(ExceptionCode(big), 158) << big.ToString();
  EXPECT_EQ(big.code(), Status::Code::kResourceExhausted);
  // 18.16 refuses any URL setting that differs from the current value under
  // readonly=1: lifting (0 = unlimited, or more) and lowering alike...
  for (const char* value : {"0", "1000000", "9999"}) {
    Status lifted = Query().Query("SELECT 1", {{"max_rows_to_read", value}}, nullptr);
    EXPECT_EQ(ExceptionCode(lifted), 164) << value << ": " << lifted.ToString();
  }
  EXPECT_EQ(ExceptionCode(Query().Query("SELECT 1", {{"read_overflow_mode", "break"}}, nullptr)), 164);
  EXPECT_EQ(ExceptionCode(Query().Query("SELECT 1", {{"max_execution_time", "0"}}, nullptr)), 164);
  EXPECT_EQ(ExceptionCode(Query().Query("SELECT 1", {{"readonly", "2"}}, nullptr)), 164);
  // ...but accepts the profile's own values, and wait_end_of_query (an HTTP
  // parameter, not a setting).
  Status same = Query().Query("SELECT count() FROM otel.rows WHERE n < 10",
                              {{"max_rows_to_read", "10000"},
                               {"read_overflow_mode", "throw"},
                               {"max_execution_time", "30"},
                               {"wait_end_of_query", "1"}},
                              &out);
  ASSERT_TRUE(same.ok()) << same.ToString();
  EXPECT_EQ(out, "10\n");
}

TEST_F(InitOnRealServerTest, IngestUserIsConfinedToOtel) {
  Must(Ingest(), "CREATE TABLE IF NOT EXISTS otel.logs (n UInt64, s String) ENGINE = MergeTree ORDER BY n");
  Status inserted = Ingest().Insert("INSERT INTO otel.logs FORMAT TSV", "1\ta\n2\tb\n", {}, /*compress=*/true);
  ASSERT_TRUE(inserted.ok()) << inserted.ToString();
  std::string out;
  ASSERT_TRUE(Ingest().Query("SELECT count() FROM otel.logs", {}, &out).ok());
  EXPECT_EQ(out, "2\n");
  EXPECT_EQ(ExceptionCode(Ingest().Query("SELECT count() FROM default.secret", {}, nullptr)), 291);
  EXPECT_EQ(ExceptionCode(Ingest().Insert("INSERT INTO default.secret FORMAT TSV", "1\n", {})), 291);
  EXPECT_EQ(ExceptionCode(Ingest().Query("CREATE DATABASE other", {}, nullptr)), 291);
  EXPECT_EQ(ExceptionCode(Ingest().Query("CREATE TABLE default.x (x UInt8) ENGINE = Memory", {}, nullptr)), 291);
  // The documented limit of 18.16 (no grants): inside otel the ingest user
  // may drop tables. If this starts failing, update docs/clickhouse.md.
  EXPECT_TRUE(Ingest().Query("DROP TABLE otel.logs", {}, nullptr).ok());
  // The query user reads what the ingest user wrote.
  Status read = Query().Query("SELECT count() FROM otel.rows WHERE n < 5", {}, &out);
  EXPECT_TRUE(read.ok()) << read.ToString();
}

}  // namespace
}  // namespace otelstack::clickhouse
