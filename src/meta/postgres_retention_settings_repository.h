// RetentionSettingsRepository on a PostgreSQL connection: rows of the generic
// `settings` table (postgres_migrations.cc), named as in SQLite
// (sqlite_retention_settings_repository.h). Every method is one statement;
// the upsert writes only changed values, so the trigger-maintained
// Generation() moves exactly when a value changes.
#pragma once

#include "meta/postgres_db.h"
#include "meta/retention_settings_repository.h"

namespace otelstack::meta {

class PostgresRetentionSettingsRepository : public RetentionSettingsRepository {
 public:
  // `db` must outlive this object.
  explicit PostgresRetentionSettingsRepository(PostgresDb* db) : db_(db) {}

  Status SetOverride(std::string_view signal, std::chrono::seconds retention, TimePoint at) override;
  Status ClearOverride(std::string_view signal) override;
  StatusOr<std::vector<RetentionOverride>> ListOverrides() override;
  Status RecordServerRetention(std::string_view signal, std::chrono::seconds retention, std::string_view source,
                               TimePoint at) override;
  StatusOr<std::vector<ServerRetention>> ListServerRetention() override;
  StatusOr<int64_t> Generation() override;

 private:
  PostgresDb* db_;
};

}  // namespace otelstack::meta
