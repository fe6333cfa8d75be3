#include "doctor/secret_checks.h"

#include <gtest/gtest.h>

#include "doctor_test_util.h"
#include "test_util/temp_dir.h"

namespace otelstack::doctor {
namespace {

using testing::WriteFile;

class SecretChecksTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::ClearDoctorEnvironment(); }
  void TearDown() override { testing::ClearDoctorEnvironment(); }
  test::TempDir dir_;
};

TEST_F(SecretChecksTest, StrongSessionSecretPassesAndNamesTheVariable) {
  WriteFile(dir_.Sub("secret"), testing::kStrongSecret, 0600);
  ::setenv("OTELSTACK_SESSION_SECRET_FILE", dir_.Sub("secret").c_str(), 1);
  CheckResult r = CheckSessionSecret(dir_.path());
  EXPECT_EQ(r.status, CheckStatus::kPass) << r.detail;
  EXPECT_NE(r.detail.find("OTELSTACK_SESSION_SECRET_FILE"), std::string::npos);
  EXPECT_EQ(r.detail.find(testing::kStrongSecret), std::string::npos) << "never the secret itself";
}

TEST_F(SecretChecksTest, WeakSessionSecretFails) {
  ::setenv("OTELSTACK_SESSION_SECRET", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1);
  CheckResult r = CheckSessionSecret(dir_.path());
  EXPECT_EQ(r.status, CheckStatus::kFail);
  EXPECT_NE(r.fix.find("openssl rand -hex 32"), std::string::npos);
}

TEST_F(SecretChecksTest, DevelopmentSecretFileFailsAndIsNamed) {
  WriteFile(dir_.Sub("session.secret"), testing::kStrongSecret, 0600);
  CheckResult r = CheckSessionSecret(dir_.path());
  EXPECT_EQ(r.status, CheckStatus::kFail);
  EXPECT_NE(r.detail.find(dir_.Sub("session.secret")), std::string::npos) << r.detail;
}

TEST_F(SecretChecksTest, EncryptionKeyStates) {
  EXPECT_EQ(CheckEncryptionKey(dir_.path()).status, CheckStatus::kWarn) << "absent: first start generates it";

  WriteFile(dir_.Sub("master.key"), std::string(64, 'a'), 0644);
  CheckResult open = CheckEncryptionKey(dir_.path());
  EXPECT_EQ(open.status, CheckStatus::kFail);
  EXPECT_NE(open.fix.find("chmod 600"), std::string::npos);

  ::chmod(dir_.Sub("master.key").c_str(), 0600);
  CheckResult backup = CheckEncryptionKey(dir_.path());
  EXPECT_EQ(backup.status, CheckStatus::kWarn);
  EXPECT_NE(backup.fix.find("back it up"), std::string::npos);

  ::setenv("OTELSTACK_ENCRYPTION_KEY", "not-hex", 1);
  EXPECT_EQ(CheckEncryptionKey(dir_.path()).status, CheckStatus::kFail);
  ::setenv("OTELSTACK_ENCRYPTION_KEY", testing::kStrongSecret, 1);
  EXPECT_EQ(CheckEncryptionKey(dir_.path()).status, CheckStatus::kPass);
}

TEST_F(SecretChecksTest, ConfigFileWithSecretKeysFails) {
  EXPECT_EQ(CheckConfigFileSecrets("").status, CheckStatus::kPass);
  WriteFile(dir_.Sub("ok.yaml"), "tls-key: /etc/otelstack/key.pem\ndata_dir: /var/lib/otelstack\n", 0600);
  EXPECT_EQ(CheckConfigFileSecrets(dir_.Sub("ok.yaml")).status, CheckStatus::kPass);

  WriteFile(dir_.Sub("bad.yaml"), "clickhouse_password: hunter2\nnested:\n  api_token: abc\n", 0600);
  CheckResult r = CheckConfigFileSecrets(dir_.Sub("bad.yaml"));
  EXPECT_EQ(r.status, CheckStatus::kFail);
  EXPECT_NE(r.detail.find("clickhouse_password"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("nested.api_token"), std::string::npos) << r.detail;
  EXPECT_EQ(r.detail.find("hunter2"), std::string::npos) << "never the value";
  EXPECT_NE(r.fix.find("_FILE"), std::string::npos);
}

TEST_F(SecretChecksTest, SecretsInTheEnvironment) {
  EXPECT_EQ(CheckSecretEnvironment().status, CheckStatus::kPass);
  ::setenv("OTELSTACK_CLICKHOUSE_PASSWORD", "pw", 1);
  CheckResult direct = CheckSecretEnvironment();
  EXPECT_EQ(direct.status, CheckStatus::kWarn);
  EXPECT_NE(direct.detail.find("OTELSTACK_CLICKHOUSE_PASSWORD"), std::string::npos);
  ::unsetenv("OTELSTACK_CLICKHOUSE_PASSWORD");

  WriteFile(dir_.Sub("pw"), "pw", 0644);
  ::setenv("OTELSTACK_CLICKHOUSE_PASSWORD_FILE", dir_.Sub("pw").c_str(), 1);
  EXPECT_EQ(CheckSecretEnvironment().status, CheckStatus::kWarn) << "world-readable secret file";
  ::chmod(dir_.Sub("pw").c_str(), 0600);
  EXPECT_EQ(CheckSecretEnvironment().status, CheckStatus::kPass);
}

}  // namespace
}  // namespace otelstack::doctor
