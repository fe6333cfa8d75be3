// RetentionSettingsRepository on the meta.db SQLite connection: rows of the
// generic `settings` table (migration 2) named
//   retention.override.<signal>  value "<seconds>"
//   retention.server.<signal>    value "<seconds> <source>"
// Each method holds the connection's lock for its whole statement or
// transaction.
#pragma once

#include "meta/retention_settings_repository.h"
#include "meta/sqlite_db.h"

namespace otelstack::meta {

class SqliteRetentionSettingsRepository : public RetentionSettingsRepository {
 public:
  // `db` must outlive this object.
  explicit SqliteRetentionSettingsRepository(SqliteDb* db) : db_(db) {}

  Status SetOverride(std::string_view signal, std::chrono::seconds retention, TimePoint at) override;
  Status ClearOverride(std::string_view signal) override;
  StatusOr<std::vector<RetentionOverride>> ListOverrides() override;
  Status RecordServerRetention(std::string_view signal, std::chrono::seconds retention, std::string_view source,
                               TimePoint at) override;
  StatusOr<std::vector<ServerRetention>> ListServerRetention() override;
  StatusOr<int64_t> Generation() override;

 private:
  SqliteDb* db_;
};

}  // namespace otelstack::meta
