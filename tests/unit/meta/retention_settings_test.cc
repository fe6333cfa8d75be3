// Retention settings in meta.db: overrides, the server's recorded values,
// the change counter seen by another connection, and upgrades of a database
// created before the settings migration.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>

#include "meta/meta_store.h"
#include "meta/retention_settings_repository.h"
#include "meta_backend.h"
#include "test_util/temp_dir.h"

namespace otelstack::meta {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using test::TempDir;

const TimePoint kT0{std::chrono::milliseconds(1'700'000'000'000)};

class RetentionSettingsBackendTest : public MetaBackendTest {};
OTELSTACK_INSTANTIATE_META_BACKENDS(RetentionSettingsBackendTest);

TEST_P(RetentionSettingsBackendTest, OverridesAreStoredReplacedAndCleared) {
  auto store = OpenStore();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  RetentionSettingsRepository& repo = (*store)->retention_settings();

  auto list = repo.ListOverrides();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(list->empty());

  ASSERT_TRUE(repo.SetOverride("logs", hours(72), kT0).ok());
  ASSERT_TRUE(repo.SetOverride("traces", seconds(0), kT0).ok());
  ASSERT_TRUE(repo.SetOverride("logs", hours(24), kT0 + hours(1)).ok());
  list = repo.ListOverrides();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].signal, "logs");
  EXPECT_EQ((*list)[0].retention, hours(24));
  EXPECT_EQ((*list)[0].updated_at, kT0 + hours(1));
  EXPECT_EQ((*list)[1].signal, "traces");
  EXPECT_EQ((*list)[1].retention, seconds(0)) << "0 (keep forever) is a valid override";

  ASSERT_TRUE(repo.ClearOverride("logs").ok());
  ASSERT_TRUE(repo.ClearOverride("metrics").ok()) << "clearing a missing override is fine";
  list = repo.ListOverrides();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].signal, "traces");

  EXPECT_EQ(repo.SetOverride("logs", seconds(-1), kT0).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(repo.SetOverride("Logs x", hours(1), kT0).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(repo.SetOverride("", hours(1), kT0).code(), Status::Code::kInvalidArgument);
}

TEST_P(RetentionSettingsBackendTest, ServerRecordsAreSeparateFromOverrides) {
  auto store = OpenStore();
  ASSERT_TRUE(store.ok());
  RetentionSettingsRepository& repo = (*store)->retention_settings();
  ASSERT_TRUE(repo.RecordServerRetention("logs", hours(48), "flag --retention-logs", kT0).ok());
  ASSERT_TRUE(repo.RecordServerRetention("metrics", hours(72), "default", kT0).ok());
  auto recorded = repo.ListServerRetention();
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  ASSERT_EQ(recorded->size(), 2u);
  EXPECT_EQ((*recorded)[0].signal, "logs");
  EXPECT_EQ((*recorded)[0].retention, hours(48));
  EXPECT_EQ((*recorded)[0].source, "flag --retention-logs");
  EXPECT_EQ((*recorded)[1].source, "default");
  auto overrides = repo.ListOverrides();
  ASSERT_TRUE(overrides.ok());
  EXPECT_TRUE(overrides->empty());
}

TEST_P(RetentionSettingsBackendTest, GenerationChangesOnChangesSeenFromAnotherConnection) {
  auto server = OpenStore();
  auto cli = OpenStore();
  ASSERT_TRUE(server.ok() && cli.ok());
  auto g0 = (*server)->retention_settings().Generation();
  ASSERT_TRUE(g0.ok()) << g0.status().ToString();

  ASSERT_TRUE((*cli)->retention_settings().SetOverride("logs", hours(24), kT0).ok());
  auto g1 = (*server)->retention_settings().Generation();
  ASSERT_TRUE(g1.ok());
  EXPECT_NE(*g1, *g0);
  auto seen = (*server)->retention_settings().ListOverrides();
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->size(), 1u);

  // Writing the same value again is not a change.
  ASSERT_TRUE((*cli)->retention_settings().SetOverride("logs", hours(24), kT0 + hours(1)).ok());
  EXPECT_EQ(*(*server)->retention_settings().Generation(), *g1);

  ASSERT_TRUE((*cli)->retention_settings().ClearOverride("logs").ok());
  EXPECT_NE(*(*server)->retention_settings().Generation(), *g1);
}

TEST(RetentionSettingsTest, FormatRetention) {
  EXPECT_EQ(FormatRetention(seconds(0)), "0");
  EXPECT_EQ(FormatRetention(hours(72)), "3d");
  EXPECT_EQ(FormatRetention(hours(36)), "36h");
  EXPECT_EQ(FormatRetention(seconds(90 * 60)), "90m");
  EXPECT_EQ(FormatRetention(seconds(61)), "61s");
  EXPECT_EQ(kDefaultRetention, hours(72));
}

}  // namespace
}  // namespace otelstack::meta
