#include "meta/postgres_retention_settings_repository.h"

#include <string>

#include "meta/sqlite_db.h"  // ToUnixMillis, FromUnixMillis

namespace otelstack::meta {

Status PostgresSettingsTable::Upsert(const std::string& name, const std::string& value, TimePoint at) {
  auto lock = db_->Lock();
  auto r = db_->Exec(
      "INSERT INTO settings(name, value, updated_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at "
      "WHERE settings.value <> EXCLUDED.value",
      PgParams().Text(name).Text(value).Int(ToUnixMillis(at)));
  if (!r.ok()) return r.status().WithContext("store setting " + name);
  return Status::OK();
}

Status PostgresSettingsTable::Delete(const std::string& name) {
  auto lock = db_->Lock();
  auto r = db_->Exec("DELETE FROM settings WHERE name = $1", PgParams().Text(name));
  return r.ok() ? Status::OK() : r.status();
}

StatusOr<std::vector<SettingsTable::Row>> PostgresSettingsTable::ListPrefix(std::string_view prefix) {
  auto lock = db_->Lock();
  // COLLATE "C": byte order, as SQLite sorts.
  auto r = db_->Exec(
      "SELECT name, value, updated_at FROM settings WHERE substr(name, 1, $2) = $1 ORDER BY name COLLATE \"C\"",
      PgParams().Text(prefix).Int(static_cast<int64_t>(prefix.size())));
  if (!r.ok()) return r.status();
  std::vector<Row> rows;
  for (int i = 0; i < r->rows(); ++i) {
    rows.push_back(Row{r->Text(i, 0), r->Text(i, 1), FromUnixMillis(r->Int(i, 2))});
  }
  return rows;
}

StatusOr<int64_t> PostgresSettingsTable::Generation() {
  auto lock = db_->Lock();
  auto r = db_->Exec("SELECT value FROM change_counters WHERE name = 'settings'");
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::Corruption(db_->description() + ": change_counters has no settings row");
  return r->Int(0, 0);
}

}  // namespace otelstack::meta
