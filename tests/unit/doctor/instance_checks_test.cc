#include "doctor/instance_checks.h"

#include <gtest/gtest.h>

#include <map>

#include "doctor_test_util.h"

namespace otelstack::doctor {
namespace {

using testing::StatusOf;

class InstanceChecksTest : public ::testing::Test {
 protected:
  InstanceChecksTest() {
    now_ = std::chrono::system_clock::now();
    health_.status = 200;
    health_.headers["strict-transport-security"] = "max-age=31536000";
    health_.certificate_not_after = now_ + std::chrono::hours(24 * 60);
    me_.status = 401;
    otlp_.status = 401;
    options_.otlp_http_listen = "0.0.0.0:14318";
  }

  std::vector<CheckResult> Run(const std::string& admin_url) {
    HttpFetcher fetch = [this](const http::ClientRequest& request) -> StatusOr<http::ClientResponse> {
      requests_.push_back(request.method + " " + request.url);
      if (!fail_with_.ok()) return fail_with_;
      if (request.url.ends_with("/api/health")) return health_;
      if (request.url.ends_with("/api/me")) return me_;
      if (request.url.ends_with("/v1/logs")) return otlp_;
      return Status::NotFound(request.url);
    };
    return CheckInstance(options_, {admin_url, ""}, fetch, now_);
  }

  std::chrono::system_clock::time_point now_;
  server::ServerOptions options_;
  http::ClientResponse health_, me_, otlp_;
  Status fail_with_;
  std::vector<std::string> requests_;
};

TEST_F(InstanceChecksTest, NoAdminUrlSkips) {
  for (const CheckResult& r : Run("")) EXPECT_EQ(r.status, CheckStatus::kSkip) << r.id;
  EXPECT_TRUE(requests_.empty());
}

TEST_F(InstanceChecksTest, HealthyHttpsInstance) {
  auto results = Run("https://otel.example.com/");
  for (const char* id : {"instance.health", "instance.tls", "instance.hsts", "instance.auth", "instance.otlp_auth"}) {
    EXPECT_EQ(StatusOf(results, id), "PASS") << id << ": " << testing::Find(results, id)->detail;
  }
  EXPECT_NE(std::find(requests_.begin(), requests_.end(), "POST https://otel.example.com:14318/v1/logs"),
            requests_.end());
}

TEST_F(InstanceChecksTest, ProblemsAreReported) {
  health_.headers.clear();
  health_.certificate_not_after = now_ + std::chrono::hours(24 * 3);
  me_.status = 200;
  otlp_.status = 200;
  auto results = Run("https://otel.example.com");
  EXPECT_EQ(StatusOf(results, "instance.tls"), "WARN");
  EXPECT_EQ(StatusOf(results, "instance.hsts"), "WARN");
  EXPECT_EQ(StatusOf(results, "instance.auth"), "FAIL");
  EXPECT_EQ(StatusOf(results, "instance.otlp_auth"), "FAIL");
}

TEST_F(InstanceChecksTest, UnverifiableCertificateFails) {
  fail_with_ = Status::Unavailable("certificate verification failed: self-signed certificate");
  auto results = Run("https://otel.example.com");
  EXPECT_EQ(StatusOf(results, "instance.health"), "FAIL");
  EXPECT_EQ(StatusOf(results, "instance.tls"), "FAIL");
  EXPECT_EQ(StatusOf(results, "instance.auth"), "SKIP");
}

TEST_F(InstanceChecksTest, PlainHttp) {
  auto loopback = Run("http://127.0.0.1:8080");
  EXPECT_EQ(StatusOf(loopback, "instance.tls"), "SKIP");
  EXPECT_EQ(StatusOf(loopback, "instance.auth"), "PASS");
  EXPECT_EQ(StatusOf(Run("http://otel.example.com"), "instance.tls"), "FAIL");
}

}  // namespace
}  // namespace otelstack::doctor
