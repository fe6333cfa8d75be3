#include "doctor/data_checks.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "doctor/meta_facts.h"
#include "doctor_test_util.h"
#include "meta/meta_store.h"
#include "test_util/temp_dir.h"

namespace otelstack::doctor {
namespace {

TEST(RetentionCheckTest, DefaultWarnsAnythingElsePasses) {
  server::ServerOptions options;
  MetaFacts meta;
  CheckResult r = CheckRetention(options, meta);
  EXPECT_EQ(r.status, CheckStatus::kWarn);
  EXPECT_NE(r.detail.find("logs 3d (default)"), std::string::npos) << r.detail;

  meta.retention_overrides.push_back({"traces", std::chrono::hours(24 * 14), {}});
  r = CheckRetention(options, meta);
  EXPECT_EQ(r.status, CheckStatus::kPass);
  EXPECT_NE(r.detail.find("traces 14d (override in meta.db)"), std::string::npos) << r.detail;

  server::ServerOptions configured;
  configured.retention[0] = {std::chrono::hours(24 * 30), "flag --retention"};
  EXPECT_EQ(CheckRetention(configured, MetaFacts{}).status, CheckStatus::kPass);
}

TEST(DataDirCheckTest, Permissions) {
  test::TempDir dir;
  EXPECT_EQ(CheckDataDirPermissions(dir.Sub("absent")).status, CheckStatus::kPass);

  const std::string data = dir.Sub("data");
  ::mkdir(data.c_str(), 0700);
  ::mkdir((data + "/wal").c_str(), 0700);
  testing::WriteFile(data + "/wal/000001.log", "x", 0600);
  CheckResult ok = CheckDataDirPermissions(data);
  EXPECT_EQ(ok.status, CheckStatus::kPass) << ok.detail;

  ::chmod((data + "/wal/000001.log").c_str(), 0644);
  CheckResult file = CheckDataDirPermissions(data);
  EXPECT_EQ(file.status, CheckStatus::kFail);
  EXPECT_NE(file.detail.find("000001.log (0644)"), std::string::npos) << file.detail;
  EXPECT_NE(file.fix.find("chmod -R go-rwx"), std::string::npos);

  ::chmod((data + "/wal/000001.log").c_str(), 0600);
  ::chmod(data.c_str(), 0755);
  EXPECT_EQ(CheckDataDirPermissions(data).status, CheckStatus::kFail);
}

TEST(MetaFactsTest, ReadsKeysAndOverridesWithoutCreatingAnything) {
  test::TempDir dir;
  MetaFacts absent = ReadMetaFacts({.data_dir = dir.Sub("data"), .database_url = ""}, std::chrono::system_clock::now());
  EXPECT_FALSE(absent.exists);
  struct stat st;
  EXPECT_NE(::stat(dir.Sub("data").c_str(), &st), 0) << "doctor must not create the data dir";

  {
    auto store = meta::MetaStore::Open(dir.Sub("data"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto now = std::chrono::system_clock::now();
    ASSERT_TRUE((*store)->ingestion_keys().Insert({"a", std::string(64, 'a'), "sealed", now}, std::nullopt).ok());
    auto second = (*store)->ingestion_keys().Insert({"b", std::string(64, 'b'), "sealed", now}, std::nullopt);
    ASSERT_TRUE(second.ok());
    ASSERT_TRUE((*store)->ingestion_keys().Revoke(second->row.info.id, now).ok());
    ASSERT_TRUE((*store)->retention_settings().SetOverride("logs", std::chrono::hours(24 * 7), now).ok());
  }
  MetaFacts facts = ReadMetaFacts({.data_dir = dir.Sub("data"), .database_url = ""}, std::chrono::system_clock::now());
  ASSERT_TRUE(facts.error.ok()) << facts.error.ToString();
  EXPECT_TRUE(facts.exists);
  EXPECT_EQ(facts.total_keys, 2);
  EXPECT_EQ(facts.active_keys, 1);
  ASSERT_EQ(facts.retention_overrides.size(), 1u);
  EXPECT_EQ(facts.retention_overrides[0].signal, "logs");
}

}  // namespace
}  // namespace otelstack::doctor
