#include "meta/meta_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "meta/ingestion_keys.h"
#include "meta/migrations.h"
#include "test_util/temp_dir.h"

namespace otelstack::meta {
namespace {

using test::FileMode;
using test::TempDir;

const std::string kMasterKey(32, 'm');

// Runs a query with a separate raw connection and returns the first column
// of the first row as text ("" if none).
std::string QueryText(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) out = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

TEST(MetaStoreTest, OpenCreatesPrivateFilesInWalMode) {
  TempDir tmp;
  std::string data_dir = tmp.Sub("data");
  mode_t old_umask = ::umask(0);  // SQLite alone would then create 0644 files
  auto store = MetaStore::Open(data_dir);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  IngestionKeys keys(&(*store)->ingestion_keys(), kMasterKey);
  ASSERT_TRUE(keys.Create("k").ok());  // a write, so -wal and -shm exist
  ::umask(old_umask);

  EXPECT_EQ((*store)->path(), data_dir + "/meta.db");
  EXPECT_EQ(FileMode(data_dir), 0700);
  EXPECT_EQ(FileMode(data_dir + "/meta.db"), 0600);
  EXPECT_EQ(FileMode(data_dir + "/meta.db-wal"), 0600);
  EXPECT_EQ(FileMode(data_dir + "/meta.db-shm"), 0600);
  EXPECT_EQ(QueryText((*store)->path(), "PRAGMA journal_mode"), "wal");
}

TEST(MetaStoreTest, TightensExistingLooseFileModes) {
  TempDir tmp;
  { ASSERT_TRUE(MetaStore::Open(tmp.path()).ok()); }
  ASSERT_EQ(::chmod((tmp.Sub("meta.db")).c_str(), 0644), 0);
  auto store = MetaStore::Open(tmp.path());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(FileMode(tmp.Sub("meta.db")), 0600);
}

TEST(MetaStoreTest, MigrationsApplyOnceAndReopenIsIdempotent) {
  TempDir tmp;
  const int64_t latest = KnownMigrations().back().version;
  int64_t key_id = 0;
  {
    auto store = MetaStore::Open(tmp.path());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->schema_version(), latest);
    IngestionKeys keys(&(*store)->ingestion_keys(), kMasterKey);
    auto created = keys.Create("survives");
    ASSERT_TRUE(created.ok());
    key_id = created->info.id;
  }
  for (int i = 0; i < 2; ++i) {
    auto store = MetaStore::Open(tmp.path());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->schema_version(), latest);
    auto list = (*store)->ingestion_keys().List();
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].id, key_id);
  }
  std::string db = tmp.Sub("meta.db");
  EXPECT_EQ(QueryText(db, "SELECT COUNT(*) FROM schema_migrations"), std::to_string(KnownMigrations().size()));
  EXPECT_EQ(QueryText(db, "SELECT MAX(version) FROM schema_migrations"), std::to_string(latest));
}

TEST(MetaStoreTest, TwoConnectionsOpenTheSameFile) {
  TempDir tmp;
  auto a = MetaStore::Open(tmp.path());
  auto b = MetaStore::Open(tmp.path());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ((*a)->schema_version(), (*b)->schema_version());
}

TEST(MetaStoreTest, RefusesDatabaseFromNewerBinary) {
  TempDir tmp;
  { ASSERT_TRUE(MetaStore::Open(tmp.path()).ok()); }
  QueryText(tmp.Sub("meta.db"), "INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, 'future', 0)");
  auto store = MetaStore::Open(tmp.path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("9999"), std::string::npos);
}

TEST(MetaStoreTest, NotADatabaseIsReported) {
  TempDir tmp;
  {
    FILE* f = std::fopen(tmp.Sub("meta.db").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("this is definitely not an sqlite database file, just some text padding it out", f);
    std::fclose(f);
  }
  auto store = MetaStore::Open(tmp.path());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("meta.db"), std::string::npos) << store.status().ToString();
}

}  // namespace
}  // namespace otelstack::meta
