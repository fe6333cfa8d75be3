#include "meta/master_key.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "common/file_util.h"
#include "test_util/temp_dir.h"

namespace otelstack::meta {
namespace {

using test::FileMode;
using test::TempDir;

constexpr char kHexKey[] = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";

class MasterKeyTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearEnv(); }
  void TearDown() override { ClearEnv(); }
  static void ClearEnv() {
    ::unsetenv("OTELSTACK_ENCRYPTION_KEY");
    ::unsetenv("OTELSTACK_ENCRYPTION_KEY_FILE");
  }
  std::string KeyPath() const { return tmp_.Sub("data/master.key"); }
  std::string DataDir() const { return tmp_.Sub("data"); }

  TempDir tmp_;
};

TEST_F(MasterKeyTest, GeneratesThenReloads) {
  auto first = LoadOrCreateMasterKey(DataDir());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->source, MasterKeySource::kGenerated);
  EXPECT_EQ(first->bytes.size(), 32u);
  EXPECT_EQ(FileMode(KeyPath()), 0600);
  EXPECT_EQ(FileMode(DataDir()), 0700);

  std::string text;
  ASSERT_TRUE(ReadFile(KeyPath(), &text).ok());
  EXPECT_EQ(text, HexEncode(first->bytes) + "\n");

  auto second = LoadOrCreateMasterKey(DataDir());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->source, MasterKeySource::kFile);
  EXPECT_EQ(second->bytes, first->bytes);
}

TEST_F(MasterKeyTest, GeneratedFileIs0600EvenWithPermissiveUmask) {
  mode_t old = ::umask(0);
  auto key = LoadOrCreateMasterKey(DataDir());
  ::umask(old);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(FileMode(KeyPath()), 0600);
}

TEST_F(MasterKeyTest, RefusesGroupOrOtherReadableFile) {
  ASSERT_TRUE(LoadOrCreateMasterKey(DataDir()).ok());
  for (mode_t mode : {0640, 0604, 0660}) {
    ASSERT_EQ(::chmod(KeyPath().c_str(), mode), 0);
    auto key = LoadOrCreateMasterKey(DataDir());
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().code(), Status::Code::kPermissionDenied);
    EXPECT_NE(key.status().message().find("chmod 600 " + KeyPath()), std::string::npos) << key.status().message();
  }
}

TEST_F(MasterKeyTest, CorruptFileIsReportedNotReplaced) {
  ASSERT_TRUE(EnsureDir(DataDir(), 0700).ok());
  ASSERT_TRUE(WriteFileAtomic(KeyPath(), "not a key\n", 0600).ok());
  auto key = LoadOrCreateMasterKey(DataDir());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), Status::Code::kCorruption);
  std::string text;
  ASSERT_TRUE(ReadFile(KeyPath(), &text).ok());
  EXPECT_EQ(text, "not a key\n");
}

TEST_F(MasterKeyTest, EnvironmentOverridesFile) {
  ASSERT_TRUE(LoadOrCreateMasterKey(DataDir()).ok());
  ::setenv("OTELSTACK_ENCRYPTION_KEY", kHexKey, 1);
  auto key = LoadOrCreateMasterKey(DataDir());
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->source, MasterKeySource::kEnvironment);
  std::string expected;
  ASSERT_TRUE(HexDecode(kHexKey, &expected));
  EXPECT_EQ(key->bytes, expected);
}

TEST_F(MasterKeyTest, EnvironmentFileVariant) {
  std::string secret_path = tmp_.Sub("enc.key");
  std::ofstream(secret_path) << kHexKey << "\n";
  ::setenv("OTELSTACK_ENCRYPTION_KEY_FILE", secret_path.c_str(), 1);
  auto key = LoadOrCreateMasterKey(DataDir());
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->source, MasterKeySource::kEnvironment);
  EXPECT_EQ(HexEncode(key->bytes), std::string(kHexKey).substr(0, 32) + "00112233445566778899aabbccddeeff");
}

TEST_F(MasterKeyTest, MalformedEnvironmentKeyExplainsHowToGenerate) {
  for (const char* bad : {"too-short", "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                          "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00"}) {
    ::setenv("OTELSTACK_ENCRYPTION_KEY", bad, 1);
    auto key = LoadOrCreateMasterKey(DataDir());
    ASSERT_FALSE(key.ok()) << bad;
    EXPECT_EQ(key.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(key.status().message().find("openssl rand -hex 32"), std::string::npos);
    EXPECT_EQ(key.status().message().find(bad), std::string::npos) << "secret leaked into message";
  }
}

TEST_F(MasterKeyTest, ConcurrentFirstStartsAgreeOnOneKey) {
  constexpr int kThreads = 4;
  std::vector<StatusOr<MasterKey>> results(kThreads, Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[i] = LoadOrCreateMasterKey(DataDir()); });
  }
  for (auto& t : threads) t.join();
  int generated = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->bytes, results[0]->bytes);
    generated += r->source == MasterKeySource::kGenerated ? 1 : 0;
  }
  EXPECT_EQ(generated, 1);
  // Only master.key is left behind: no temporary files.
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(DataDir())) ++files;
  EXPECT_EQ(files, 1);
}

}  // namespace
}  // namespace otelstack::meta
