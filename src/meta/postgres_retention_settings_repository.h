// The `settings` table in PostgreSQL (postgres_migrations.cc), for
// SettingsRetentionRepository (settings_retention_repository.h, which owns
// what the rows mean). The upsert writes only changed values, so the
// trigger-maintained Generation() moves exactly when a value changes.
#pragma once

#include "meta/postgres_db.h"
#include "meta/settings_retention_repository.h"

namespace otelstack::meta {

class PostgresSettingsTable : public SettingsTable {
 public:
  // `db` must outlive this object.
  explicit PostgresSettingsTable(PostgresDb* db) : db_(db) {}

  Status Upsert(const std::string& name, const std::string& value, TimePoint at) override;
  Status Delete(const std::string& name) override;
  StatusOr<std::vector<Row>> ListPrefix(std::string_view prefix) override;
  StatusOr<int64_t> Generation() override;
  std::string description() const override { return db_->description(); }

 private:
  PostgresDb* db_;
};

}  // namespace otelstack::meta
