// The `settings` table in SQLite (migration 2), for SettingsRetentionRepository
// (settings_retention_repository.h, which owns what the rows mean).
#pragma once

#include "meta/settings_retention_repository.h"
#include "meta/sqlite_db.h"

namespace otelstack::meta {

class SqliteSettingsTable : public SettingsTable {
 public:
  // `db` must outlive this object.
  explicit SqliteSettingsTable(SqliteDb* db) : db_(db) {}

  Status Upsert(const std::string& name, const std::string& value, TimePoint at) override;
  Status Delete(const std::string& name) override;
  StatusOr<std::vector<Row>> ListPrefix(std::string_view prefix) override;
  StatusOr<int64_t> Generation() override;
  std::string description() const override { return db_->path(); }

 private:
  SqliteDb* db_;
};

}  // namespace otelstack::meta
