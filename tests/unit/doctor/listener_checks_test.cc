#include "doctor/listener_checks.h"

#include <gtest/gtest.h>

#include "doctor_test_util.h"
#include "test_util/temp_dir.h"

namespace otelstack::doctor {
namespace {

using testing::StatusOf;

class ListenerChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::ClearDoctorEnvironment();
    ::setenv("OTELSTACK_SESSION_SECRET", testing::kStrongSecret, 1);
    options_.data_dir = dir_.path();
  }
  void TearDown() override { testing::ClearDoctorEnvironment(); }
  std::vector<CheckResult> Run() { return CheckListeners(options_, ClassifyPolicyViolations(options_)); }

  test::TempDir dir_;
  server::ServerOptions options_;
};

TEST_F(ListenerChecksTest, DefaultsArePlaintextOnEveryInterface) {
  auto results = Run();
  EXPECT_EQ(StatusOf(results, "ports.exposure"), "PASS");
  ASSERT_EQ(StatusOf(results, "ports.plaintext"), "FAIL");
  const CheckResult* r = testing::Find(results, "ports.plaintext");
  EXPECT_NE(r->detail.find("0.0.0.0:4318"), std::string::npos) << r->detail;
  EXPECT_NE(r->fix.find("--tls-cert"), std::string::npos);
}

TEST_F(ListenerChecksTest, UpstreamTlsPassesButAnExposedInternalListenerWarns) {
  options_.tls_terminated_upstream = true;
  options_.internal_listen = "0.0.0.0:8888";
  auto results = Run();
  EXPECT_EQ(StatusOf(results, "ports.plaintext"), "PASS");
  ASSERT_EQ(StatusOf(results, "ports.exposure"), "WARN");
  EXPECT_NE(testing::Find(results, "ports.exposure")->fix.find("127.0.0.1:8888"), std::string::npos);
}

TEST_F(ListenerChecksTest, LoopbackOnlyPasses) {
  options_.otlp_grpc_listen = "127.0.0.1:4317";
  options_.otlp_http_listen = "127.0.0.1:4318";
  options_.http_listen = "[::1]:8080";
  auto results = Run();
  EXPECT_EQ(StatusOf(results, "ports.plaintext"), "PASS");
  EXPECT_EQ(StatusOf(results, "ports.exposure"), "PASS");
}

TEST_F(ListenerChecksTest, UnparsableAddressFails) {
  options_.http_listen = "nonsense";
  EXPECT_EQ(StatusOf(Run(), "ports.exposure"), "FAIL");
}

}  // namespace
}  // namespace otelstack::doctor
