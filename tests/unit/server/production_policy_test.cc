#include "server/production_policy.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "test_util/temp_dir.h"

namespace otelstack::server {
namespace {

constexpr char kStrongSecret[] = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f0a2c4e6b8d1f";

// Sets the session secret for one test and restores "unset" afterwards.
class SessionSecretEnv {
 public:
  explicit SessionSecretEnv(const char* value) { setenv("OTELSTACK_SESSION_SECRET", value, 1); }
  ~SessionSecretEnv() { unsetenv("OTELSTACK_SESSION_SECRET"); }
};

// Options that production accepts: loopback listeners, a strong secret.
ServerOptions SafeOptions(const std::string& data_dir) {
  ServerOptions options;
  options.data_dir = data_dir;
  options.otlp_grpc_listen = "127.0.0.1:4317";
  options.otlp_http_listen = "127.0.0.1:4318";
  options.http_listen = "127.0.0.1:8080";
  return options;
}

bool Mentions(const std::vector<PolicyViolation>& violations, const std::string& text) {
  for (const auto& v : violations) {
    if (v.problem.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ProductionPolicyTest, SafeConfigurationHasNoViolations) {
  test::TempDir dir;
  SessionSecretEnv secret(kStrongSecret);
  EXPECT_TRUE(ProductionPolicyViolations(SafeOptions(dir.path())).empty());
}

TEST(ProductionPolicyTest, MissingAndPublishedSessionSecretsAreRefusedWithoutShowingThem) {
  test::TempDir dir;
  auto missing = ProductionPolicyViolations(SafeOptions(dir.path()));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].problem.find("no session secret"), std::string::npos) << missing[0].problem;
  EXPECT_NE(missing[0].fix.find("openssl rand -hex 32"), std::string::npos);

  SessionSecretEnv secret("super-secure-random-string");
  auto published = ProductionPolicyViolations(SafeOptions(dir.path()));
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].problem.find("super-secure"), std::string::npos) << "the secret leaked into the message";
}

TEST(ProductionPolicyTest, InsecureIngestIsRefused) {
  test::TempDir dir;
  SessionSecretEnv secret(kStrongSecret);
  ServerOptions options = SafeOptions(dir.path());
  options.insecure_ingest = true;
  auto violations = ProductionPolicyViolations(options);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_TRUE(Mentions(violations, "--insecure-ingest"));
}

TEST(ProductionPolicyTest, PlaintextPublicListenersNeedTlsOrAnUpstreamDeclaration) {
  test::TempDir dir;
  SessionSecretEnv secret(kStrongSecret);
  ServerOptions options = SafeOptions(dir.path());
  options.otlp_http_listen = "0.0.0.0:4318";
  options.http_listen = "[::]:8080";
  auto violations = ProductionPolicyViolations(options);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_TRUE(Mentions(violations, "OTLP/HTTP listener on 0.0.0.0:4318"));
  EXPECT_TRUE(Mentions(violations, "app (UI and API) listener on [::]:8080"));
  EXPECT_NE(violations[0].fix.find("--tls-terminated-upstream"), std::string::npos);

  ServerOptions with_tls = options;
  with_tls.tls.cert_file = "cert.pem";
  with_tls.tls.key_file = "key.pem";
  EXPECT_TRUE(ProductionPolicyViolations(with_tls).empty());

  ServerOptions upstream = options;
  upstream.tls_terminated_upstream = true;
  EXPECT_TRUE(ProductionPolicyViolations(upstream).empty());
}

TEST(ProductionPolicyTest, PublicInternalListenerIsRefusedEvenWithTls) {
  test::TempDir dir;
  SessionSecretEnv secret(kStrongSecret);
  ServerOptions options = SafeOptions(dir.path());
  options.tls.cert_file = "cert.pem";
  options.tls.key_file = "key.pem";
  options.internal_listen = "0.0.0.0:8888";
  auto violations = ProductionPolicyViolations(options);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_TRUE(Mentions(violations, "internal (/health, /ready, /metrics) listener"));
  EXPECT_EQ(violations[0].fix.find("--tls-cert"), std::string::npos) << "the internal listener cannot serve TLS";
}

TEST(ProductionPolicyTest, ClickHouseDefaultUserAndEmptyPasswordsAreRefused) {
  test::TempDir dir;
  SessionSecretEnv secret(kStrongSecret);
  ServerOptions options = SafeOptions(dir.path());
  ClickHouseStorageOptions clickhouse;
  clickhouse.connection.user = "default";
  clickhouse.query_connection = clickhouse.connection;
  options.clickhouse = clickhouse;
  auto violations = ProductionPolicyViolations(options);
  // Same connection for both: reported once, for the user and the password.
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_TRUE(Mentions(violations, "ingestion connection uses the 'default' user"));
  EXPECT_TRUE(Mentions(violations, "ingestion connection has an empty password"));

  options.clickhouse->connection.user = "otelstack_ingest";
  options.clickhouse->connection.password = "p1";
  options.clickhouse->query_connection.user = "otelstack_query";
  options.clickhouse->query_connection.password = "";
  violations = ProductionPolicyViolations(options);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_TRUE(Mentions(violations, "query connection has an empty password"));
  EXPECT_NE(violations[0].fix.find("OTELSTACK_CLICKHOUSE_QUERY_PASSWORD"), std::string::npos);

  options.clickhouse->query_connection.password = "p2";
  EXPECT_TRUE(ProductionPolicyViolations(options).empty());
}

TEST(ProductionPolicyTest, LoopbackHosts) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("::"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("1270.0.0.1"));
}

}  // namespace
}  // namespace otelstack::server
