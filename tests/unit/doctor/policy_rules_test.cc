#include "doctor/policy_rules.h"

#include <gtest/gtest.h>

#include "doctor_test_util.h"
#include "test_util/temp_dir.h"

namespace otelstack::doctor {
namespace {

using testing::ClearDoctorEnvironment;

server::ServerOptions Options(const std::string& data_dir) {
  server::ServerOptions o;
  o.data_dir = data_dir;
  o.otlp_grpc_listen = o.otlp_http_listen = o.http_listen = "127.0.0.1:0";
  return o;
}

class PolicyRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClearDoctorEnvironment();
    ::setenv("OTELSTACK_SESSION_SECRET", testing::kStrongSecret, 1);
  }
  void TearDown() override { ClearDoctorEnvironment(); }
  test::TempDir dir_;
};

TEST_F(PolicyRulesTest, CleanOptionsHaveNoViolation) {
  PolicyByRule p = ClassifyPolicyViolations(Options(dir_.path()));
  EXPECT_TRUE(p.listeners.empty());
  EXPECT_TRUE(p.ingestion.empty());
  EXPECT_TRUE(p.clickhouse.empty());
  EXPECT_TRUE(p.other.empty());
}

TEST_F(PolicyRulesTest, EachViolationLandsInItsRule) {
  server::ServerOptions o = Options(dir_.path());
  o.insecure_ingest = true;
  o.http_listen = "0.0.0.0:8080";
  o.otlp_http_listen = "0.0.0.0:4318";
  server::ClickHouseStorageOptions ch;
  ch.connection.user = "default";  // and no password
  ch.query_connection = ch.connection;
  o.clickhouse = ch;
  ::setenv("OTELSTACK_SESSION_SECRET", "changeme", 1);

  PolicyByRule p = ClassifyPolicyViolations(o);
  ASSERT_EQ(p.listeners.size(), 2u);
  EXPECT_NE(p.listeners[0].problem.find("0.0.0.0"), std::string::npos);
  ASSERT_EQ(p.ingestion.size(), 1u);
  EXPECT_NE(p.ingestion[0].problem.find("--insecure-ingest"), std::string::npos);
  EXPECT_EQ(p.clickhouse.size(), 2u);  // default user, empty password (query == ingestion: once)
  ASSERT_EQ(p.other.size(), 1u);       // the weak session secret
  EXPECT_NE(p.other[0].problem.find("OTELSTACK_SESSION_SECRET"), std::string::npos);
}

}  // namespace
}  // namespace otelstack::doctor
