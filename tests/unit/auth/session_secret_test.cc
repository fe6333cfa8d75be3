#include "auth/session_secret.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <optional>

#include "common/file_util.h"

namespace otelstack::auth {
namespace {

constexpr const char* kVars[] = {"OTELSTACK_SESSION_SECRET", "OTELSTACK_SESSION_SECRET_FILE", "EXPRESS_SESSION_SECRET",
                                 "EXPRESS_SESSION_SECRET_FILE"};

// 64 hex characters, like `openssl rand -hex 32`.
const std::string kStrong = "3f1c9a7be24d5f60819a2bc3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d";
const std::string kStrong2 = "Zq8#rT2!vW9@xY4$pL6^mN1&kJ3*hG5(fD7)sA0_bC2+eF4=gH6";

// Clears the session-secret variables for the test and restores them after,
// and gives each test its own data directory.
class SessionSecretTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* var : kVars) {
      const char* value = std::getenv(var);
      saved_.emplace_back(var, value ? std::optional<std::string>(value) : std::nullopt);
      ::unsetenv(var);
    }
    char tmpl[] = "/tmp/otelstack-auth-secret-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const auto& [var, value] : saved_) {
      if (value) {
        ::setenv(var.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(var.c_str());
      }
    }
    std::filesystem::remove_all(dir_);
  }
  void Set(const char* var, const std::string& value) { ASSERT_EQ(::setenv(var, value.c_str(), 1), 0); }
  std::string WriteSecretFile(const std::string& name, const std::string& contents) {
    std::string path = dir_ + "/" + name;
    EXPECT_TRUE(WriteFileAtomic(path, contents, 0600).ok());
    return path;
  }
  static void ExpectNoSecretIn(const Status& st, const std::string& secret) {
    EXPECT_EQ(st.message().find(secret), std::string::npos) << st.message();
  }

  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
  std::string dir_;
};

TEST_F(SessionSecretTest, FromEnvironment) {
  Set("OTELSTACK_SESSION_SECRET", kStrong);
  StatusOr<SessionSecrets> secrets = LoadSessionSecrets(dir_, /*production=*/true);
  ASSERT_TRUE(secrets.ok()) << secrets.status().ToString();
  EXPECT_EQ(secrets->keys, std::vector<std::string>{kStrong});
  EXPECT_EQ(secrets->origin, "OTELSTACK_SESSION_SECRET");
  EXPECT_FALSE(secrets->generated);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/session.secret"));
}

TEST_F(SessionSecretTest, FromFileVariable) {
  Set("OTELSTACK_SESSION_SECRET_FILE", WriteSecretFile("mounted", kStrong + "\n"));
  StatusOr<SessionSecrets> secrets = LoadSessionSecrets(dir_, true);
  ASSERT_TRUE(secrets.ok()) << secrets.status().ToString();
  EXPECT_EQ(secrets->keys, std::vector<std::string>{kStrong});
  EXPECT_EQ(secrets->origin, "OTELSTACK_SESSION_SECRET_FILE");
}

TEST_F(SessionSecretTest, ExpressFallbackForClickStackCompatibility) {
  Set("EXPRESS_SESSION_SECRET", kStrong);
  StatusOr<SessionSecrets> secrets = LoadSessionSecrets(dir_, true);
  ASSERT_TRUE(secrets.ok()) << secrets.status().ToString();
  EXPECT_EQ(secrets->keys, std::vector<std::string>{kStrong});
  EXPECT_EQ(secrets->origin, "EXPRESS_SESSION_SECRET");

  ::unsetenv("EXPRESS_SESSION_SECRET");
  Set("EXPRESS_SESSION_SECRET_FILE", WriteSecretFile("express", kStrong2));
  secrets = LoadSessionSecrets(dir_, true);
  ASSERT_TRUE(secrets.ok()) << secrets.status().ToString();
  EXPECT_EQ(secrets->keys, std::vector<std::string>{kStrong2});
  EXPECT_EQ(secrets->origin, "EXPRESS_SESSION_SECRET_FILE");
}

TEST_F(SessionSecretTest, OtelstackVariableTakesPrecedence) {
  Set("OTELSTACK_SESSION_SECRET", kStrong);
  Set("EXPRESS_SESSION_SECRET", kStrong2);
  StatusOr<SessionSecrets> secrets = LoadSessionSecrets(dir_, true);
  ASSERT_TRUE(secrets.ok());
  EXPECT_EQ(secrets->keys, std::vector<std::string>{kStrong});
}

TEST_F(SessionSecretTest, BothValueAndFileIsAnError) {
  Set("OTELSTACK_SESSION_SECRET", kStrong);
  Set("OTELSTACK_SESSION_SECRET_FILE", WriteSecretFile("f", kStrong));
  EXPECT_EQ(LoadSessionSecrets(dir_, false).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(SessionSecretTest, CommaSeparatedListGivesRotation) {
  Set("OTELSTACK_SESSION_SECRET", " " + kStrong + " ,, " + kStrong2 + " ,");
  StatusOr<SessionSecrets> secrets = LoadSessionSecrets(dir_, true);
  ASSERT_TRUE(secrets.ok()) << secrets.status().ToString();
  EXPECT_EQ(secrets->keys, (std::vector<std::string>{kStrong, kStrong2}));
}

TEST_F(SessionSecretTest, OnlyCommasIsAnError) {
  Set("OTELSTACK_SESSION_SECRET", " , ,");
  EXPECT_EQ(LoadSessionSecrets(dir_, false).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(SessionSecretTest, ProductionRefusesMissingSecret) {
  Status st = LoadSessionSecrets(dir_, true).status();
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("OTELSTACK_SESSION_SECRET"), std::string::npos) << st.message();
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/session.secret"));
}

TEST_F(SessionSecretTest, ProductionRefusesShortSecret) {
  const std::string short_secret = "Xk2#pq9!Lm4$";
  Set("OTELSTACK_SESSION_SECRET", short_secret);
  Status st = LoadSessionSecrets(dir_, true).status();
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("OTELSTACK_SESSION_SECRET is too short"), std::string::npos) << st.message();
  ExpectNoSecretIn(st, short_secret);
}

TEST_F(SessionSecretTest, ProductionRefusesLowEntropySecret) {
  for (const std::string& weak : {std::string(64, 'a'), std::string("abababababababababababababababababababab"),
                                  std::string("Password1!Password1!Password1!Pa")}) {
    Set("OTELSTACK_SESSION_SECRET", weak);
    Status st = LoadSessionSecrets(dir_, true).status();
    EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition) << weak;
    EXPECT_NE(st.message().find("does not look random enough"), std::string::npos) << st.message();
    ExpectNoSecretIn(st, weak);
  }
}

TEST_F(SessionSecretTest, ProductionRefusesKnownDefaults) {
  for (const std::string& known :
       {std::string("hyperdx is cool \xF0\x9F\x91\x8B"), std::string("super-secure-random-string"),
        std::string("keyboard cat"), std::string("CHANGEME"), std::string("secret")}) {
    Set("EXPRESS_SESSION_SECRET", known);
    Status st = LoadSessionSecrets(dir_, true).status();
    EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition) << known;
    EXPECT_NE(st.message().find("EXPRESS_SESSION_SECRET is a publicly known default"), std::string::npos)
        << st.message();
    if (known != "secret") ExpectNoSecretIn(st, known);  // the word itself is in every message
  }
}

TEST_F(SessionSecretTest, ProductionNamesTheWeakKeyInARotationList) {
  Set("OTELSTACK_SESSION_SECRET", kStrong + ",changeme");
  Status st = LoadSessionSecrets(dir_, true).status();
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("OTELSTACK_SESSION_SECRET (key 2 of 2)"), std::string::npos) << st.message();
  ExpectNoSecretIn(st, kStrong);
}

TEST_F(SessionSecretTest, DevelopmentAcceptsWeakConfiguredSecret) {
  Set("OTELSTACK_SESSION_SECRET", "changeme");
  StatusOr<SessionSecrets> secrets = LoadSessionSecrets(dir_, false);
  ASSERT_TRUE(secrets.ok());
  EXPECT_EQ(secrets->keys, std::vector<std::string>{"changeme"});
}

TEST_F(SessionSecretTest, DevelopmentGeneratesPrivateFileAndReusesIt) {
  StatusOr<SessionSecrets> first = LoadSessionSecrets(dir_, false);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->generated);
  const std::string path = dir_ + "/session.secret";
  EXPECT_EQ(first->origin, path + " (generated)");
  ASSERT_EQ(first->keys.size(), 1u);
  EXPECT_EQ(first->keys[0].size(), 64u);  // 32 random bytes in hex
  EXPECT_TRUE(CheckSessionSecretStrength(first->keys[0], "generated").ok());

  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  StatusOr<SessionSecrets> second = LoadSessionSecrets(dir_, false);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->keys, first->keys);
  EXPECT_EQ(second->origin, path);
  EXPECT_TRUE(second->generated);
}

TEST_F(SessionSecretTest, DevelopmentRefusesGroupReadableFile) {
  const std::string path = dir_ + "/session.secret";
  ASSERT_TRUE(WriteFileAtomic(path, kStrong, 0644).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  Status st = LoadSessionSecrets(dir_, false).status();
  EXPECT_EQ(st.code(), Status::Code::kPermissionDenied);
  EXPECT_NE(st.message().find("chmod 600"), std::string::npos) << st.message();
}

TEST(SecretEntropy, Estimates) {
  EXPECT_EQ(EstimateSecretBits(""), 0.0);
  EXPECT_EQ(EstimateSecretBits(std::string(100, 'z')), 0.0);
  EXPECT_NEAR(EstimateSecretBits("0123456789abcdef0123456789abcdef"), 128.0, 1e-9);  // 32 hex, all 16 used
  EXPECT_NEAR(EstimateSecretBits(kStrong), 256.0, 1e-9);
  EXPECT_GE(EstimateSecretBits(kStrong2), 128.0);
}

}  // namespace
}  // namespace otelstack::auth
