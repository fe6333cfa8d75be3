#include "doctor/ingest_checks.h"

#include <gtest/gtest.h>

#include "doctor_test_util.h"
#include "test_util/temp_dir.h"

namespace otelstack::doctor {
namespace {

using testing::StatusOf;

class IngestChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::ClearDoctorEnvironment();
    ::setenv("OTELSTACK_SESSION_SECRET", testing::kStrongSecret, 1);
    options_.data_dir = dir_.path();
  }
  void TearDown() override { testing::ClearDoctorEnvironment(); }
  std::vector<CheckResult> Run() {
    return CheckIngestion(options_, ClassifyPolicyViolations(options_), meta_, std::chrono::system_clock::now());
  }

  test::TempDir dir_;
  server::ServerOptions options_;
  MetaFacts meta_;
};

TEST_F(IngestChecksTest, InsecureIngestFailsAndSkipsKeys) {
  options_.insecure_ingest = true;
  auto results = Run();
  EXPECT_EQ(StatusOf(results, "ingest.auth"), "FAIL");
  EXPECT_EQ(StatusOf(results, "ingest.keys"), "SKIP");
}

TEST_F(IngestChecksTest, KeysFromTheMetadataStore) {
  EXPECT_EQ(StatusOf(Run(), "ingest.keys"), "WARN") << "no meta.db: first start generates one";
  ::setenv("OTELSTACK_INGESTION_KEY", "seeded-key-0123456789", 1);
  EXPECT_EQ(StatusOf(Run(), "ingest.keys"), "PASS") << "seeded";
  ::unsetenv("OTELSTACK_INGESTION_KEY");

  meta_.exists = true;
  meta_.total_keys = 2;
  meta_.active_keys = 0;
  EXPECT_EQ(StatusOf(Run(), "ingest.keys"), "WARN") << "every key revoked";
  meta_.active_keys = 1;
  auto results = Run();
  EXPECT_EQ(StatusOf(results, "ingest.keys"), "PASS");
  EXPECT_NE(testing::Find(results, "ingest.keys")->detail.find("1 active of 2"), std::string::npos);

  meta_.error = Status::IOError("meta.db: permission denied");
  EXPECT_EQ(StatusOf(Run(), "ingest.keys"), "WARN");
}

TEST_F(IngestChecksTest, PlaintextOtlp) {
  EXPECT_EQ(StatusOf(Run(), "ingest.tls"), "FAIL") << "0.0.0.0 by default";
  options_.otlp_grpc_listen = "127.0.0.1:4317";
  options_.otlp_http_listen = "127.0.0.1:4318";
  EXPECT_EQ(StatusOf(Run(), "ingest.tls"), "WARN");
  options_.tls_terminated_upstream = true;
  EXPECT_EQ(StatusOf(Run(), "ingest.tls"), "PASS");
}

TEST_F(IngestChecksTest, CertificateExpiry) {
  options_.tls.cert_file = dir_.Sub("cert.pem");
  options_.tls.key_file = dir_.Sub("key.pem");
  testing::WriteFile(options_.tls.key_file, "key", 0600);
  EXPECT_EQ(StatusOf(Run(), "ingest.tls"), "FAIL") << "unreadable certificate";

  ASSERT_TRUE(testing::WriteCertificate(options_.tls.cert_file, 90));
  EXPECT_EQ(StatusOf(Run(), "ingest.tls"), "PASS");
  ASSERT_TRUE(testing::WriteCertificate(options_.tls.cert_file, 5));
  auto soon = Run();
  EXPECT_EQ(StatusOf(soon, "ingest.tls"), "WARN");
  EXPECT_NE(testing::Find(soon, "ingest.tls")->detail.find("expires in 5 day"), std::string::npos)
      << testing::Find(soon, "ingest.tls")->detail;
  ASSERT_TRUE(testing::WriteCertificate(options_.tls.cert_file, -1));
  EXPECT_EQ(StatusOf(Run(), "ingest.tls"), "FAIL");
}

TEST_F(IngestChecksTest, MtlsIsInformational) {
  EXPECT_EQ(StatusOf(Run(), "ingest.mtls"), "PASS");
  options_.tls.client_ca_file = dir_.Sub("missing-ca.pem");
  EXPECT_EQ(StatusOf(Run(), "ingest.mtls"), "FAIL");
}

}  // namespace
}  // namespace otelstack::doctor
