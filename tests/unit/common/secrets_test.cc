#include "common/secrets.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

constexpr char kName[] = "OTELSTACK_TEST_SECRET";
constexpr char kFileName[] = "OTELSTACK_TEST_SECRET_FILE";

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv(kName);
    ::unsetenv(kFileName);
    ASSERT_FALSE(tmp_.path().empty());
    dir_ = tmp_.path();
  }
  void TearDown() override {
    ::unsetenv(kName);
    ::unsetenv(kFileName);
  }
  test::TempDir tmp_;
  std::string WriteSecretFile(const std::string& contents) {
    std::string path = dir_ + "/secret";
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }

  std::string dir_;
};

TEST_F(SecretsTest, MissingIsNullopt) {
  auto secret = ReadSecret(kName);
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  EXPECT_FALSE(secret->has_value());
}

TEST_F(SecretsTest, EmptyValuesCountAsUnset) {
  ::setenv(kName, "", 1);
  ::setenv(kFileName, "", 1);
  auto secret = ReadSecret(kName);
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  EXPECT_FALSE(secret->has_value());
}

TEST_F(SecretsTest, FromEnvironmentVerbatim) {
  ::setenv(kName, " s3cret value \n", 1);
  auto secret = ReadSecret(kName);
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  ASSERT_TRUE(secret->has_value());
  EXPECT_EQ(**secret, " s3cret value \n");
}

TEST_F(SecretsTest, FromFileWithTrailingWhitespaceTrimmed) {
  ::setenv(kFileName, WriteSecretFile("  from-file value\r\n\n \t").c_str(), 1);
  auto secret = ReadSecret(kName);
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  ASSERT_TRUE(secret->has_value());
  EXPECT_EQ(**secret, "  from-file value");
}

TEST_F(SecretsTest, BothSetIsInvalidArgument) {
  ::setenv(kName, "value-one", 1);
  ::setenv(kFileName, WriteSecretFile("value-two").c_str(), 1);
  auto secret = ReadSecret(kName);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(secret.status().message().find(kFileName), std::string::npos);
  EXPECT_EQ(secret.status().message().find("value-one"), std::string::npos);
}

TEST_F(SecretsTest, UnreadableFileNamesTheFile) {
  std::string path = dir_ + "/does-not-exist";
  ::setenv(kFileName, path.c_str(), 1);
  auto secret = ReadSecret(kName);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().code(), Status::Code::kIOError);
  EXPECT_NE(secret.status().message().find(path), std::string::npos);
  EXPECT_NE(secret.status().message().find(kFileName), std::string::npos);
}

TEST_F(SecretsTest, WhitespaceOnlyFileIsInvalidArgument) {
  ::setenv(kFileName, WriteSecretFile(" \n").c_str(), 1);
  auto secret = ReadSecret(kName);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace otelstack
