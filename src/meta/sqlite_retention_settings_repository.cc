#include "meta/sqlite_retention_settings_repository.h"

#include <string>

namespace otelstack::meta {

Status SqliteSettingsTable::Upsert(const std::string& name, const std::string& value, TimePoint at) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_,
                                       "INSERT INTO settings(name, value, updated_at) VALUES (?1, ?2, ?3) "
                                       "ON CONFLICT(name) DO UPDATE SET value = ?2, updated_at = ?3 WHERE value != ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, name);
  stmt->BindText(2, value);
  stmt->BindInt(3, ToUnixMillis(at));
  return stmt->Run().WithContext("store setting " + name);
}

Status SqliteSettingsTable::Delete(const std::string& name) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "DELETE FROM settings WHERE name = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, name);
  return stmt->Run();
}

StatusOr<std::vector<SettingsTable::Row>> SqliteSettingsTable::ListPrefix(std::string_view prefix) {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(
      *db_, "SELECT name, value, updated_at FROM settings WHERE substr(name, 1, ?2) = ?1 ORDER BY name");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, prefix);
  stmt->BindInt(2, static_cast<int64_t>(prefix.size()));
  std::vector<Row> rows;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    rows.push_back(Row{stmt->ColumnText(0), stmt->ColumnText(1), FromUnixMillis(stmt->ColumnInt(2))});
  }
  return rows;
}

StatusOr<int64_t> SqliteSettingsTable::Generation() {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "SELECT value FROM change_counters WHERE name = 'settings'");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Corruption(db_->path() + ": change_counters has no settings row");
  return stmt->ColumnInt(0);
}

}  // namespace otelstack::meta
