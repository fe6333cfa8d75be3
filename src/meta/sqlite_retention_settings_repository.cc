#include "meta/sqlite_retention_settings_repository.h"

#include <charconv>
#include <string>

namespace otelstack::meta {

namespace {

constexpr std::string_view kOverridePrefix = "retention.override.";
constexpr std::string_view kServerPrefix = "retention.server.";

Status CheckSignalName(std::string_view signal) {
  bool ok = !signal.empty() && signal.size() <= 32;
  for (char c : signal) ok = ok && c >= 'a' && c <= 'z';
  if (!ok) return Status::InvalidArgument("retention setting: bad signal name '" + std::string(signal) + "'");
  return Status::OK();
}

Status CheckRetention(std::chrono::seconds retention) {
  if (retention.count() < 0) return Status::InvalidArgument("retention setting: negative retention");
  return Status::OK();
}

// Parses the leading decimal seconds of a stored value; *rest gets what
// follows the first space.
bool ParseSeconds(std::string_view value, std::chrono::seconds* out, std::string_view* rest) {
  size_t space = value.find(' ');
  std::string_view digits = value.substr(0, space);
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || n < 0) return false;
  *out = std::chrono::seconds(n);
  if (rest) *rest = space == std::string_view::npos ? std::string_view() : value.substr(space + 1);
  return true;
}

// Requires db.Lock().
Status Upsert(SqliteDb& db, const std::string& name, const std::string& value, TimePoint at) {
  auto stmt = SqliteStatement::Prepare(db,
                                       "INSERT INTO settings(name, value, updated_at) VALUES (?1, ?2, ?3) "
                                       "ON CONFLICT(name) DO UPDATE SET value = ?2, updated_at = ?3 WHERE value != ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, name);
  stmt->BindText(2, value);
  stmt->BindInt(3, ToUnixMillis(at));
  return stmt->Run().WithContext("store setting " + name);
}

struct SettingRow {
  std::string signal;  // the name without the prefix
  std::string value;
  TimePoint updated_at;
};

// Rows whose name starts with `prefix`, by name. Requires db.Lock().
StatusOr<std::vector<SettingRow>> ListPrefix(SqliteDb& db, std::string_view prefix) {
  auto stmt = SqliteStatement::Prepare(
      db, "SELECT name, value, updated_at FROM settings WHERE substr(name, 1, ?2) = ?1 ORDER BY name");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, prefix);
  stmt->BindInt(2, static_cast<int64_t>(prefix.size()));
  std::vector<SettingRow> rows;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    rows.push_back(
        SettingRow{stmt->ColumnText(0).substr(prefix.size()), stmt->ColumnText(1), FromUnixMillis(stmt->ColumnInt(2))});
  }
  return rows;
}

}  // namespace

Status SqliteRetentionSettingsRepository::SetOverride(std::string_view signal, std::chrono::seconds retention,
                                                      TimePoint at) {
  OTELSTACK_RETURN_IF_ERROR(CheckSignalName(signal));
  OTELSTACK_RETURN_IF_ERROR(CheckRetention(retention));
  auto lock = db_->Lock();
  return Upsert(*db_, std::string(kOverridePrefix) + std::string(signal), std::to_string(retention.count()), at);
}

Status SqliteRetentionSettingsRepository::ClearOverride(std::string_view signal) {
  OTELSTACK_RETURN_IF_ERROR(CheckSignalName(signal));
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "DELETE FROM settings WHERE name = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, std::string(kOverridePrefix) + std::string(signal));
  return stmt->Run();
}

StatusOr<std::vector<RetentionOverride>> SqliteRetentionSettingsRepository::ListOverrides() {
  auto lock = db_->Lock();
  auto rows = ListPrefix(*db_, kOverridePrefix);
  if (!rows.ok()) return rows.status();
  std::vector<RetentionOverride> out;
  for (SettingRow& row : *rows) {
    RetentionOverride o;
    if (!ParseSeconds(row.value, &o.retention, nullptr)) {
      return Status::Corruption(db_->path() + ": bad retention override for " + row.signal + ": '" + row.value + "'");
    }
    o.signal = std::move(row.signal);
    o.updated_at = row.updated_at;
    out.push_back(std::move(o));
  }
  return out;
}

Status SqliteRetentionSettingsRepository::RecordServerRetention(std::string_view signal, std::chrono::seconds retention,
                                                                std::string_view source, TimePoint at) {
  OTELSTACK_RETURN_IF_ERROR(CheckSignalName(signal));
  OTELSTACK_RETURN_IF_ERROR(CheckRetention(retention));
  auto lock = db_->Lock();
  return Upsert(*db_, std::string(kServerPrefix) + std::string(signal),
                std::to_string(retention.count()) + " " + std::string(source), at);
}

StatusOr<std::vector<ServerRetention>> SqliteRetentionSettingsRepository::ListServerRetention() {
  auto lock = db_->Lock();
  auto rows = ListPrefix(*db_, kServerPrefix);
  if (!rows.ok()) return rows.status();
  std::vector<ServerRetention> out;
  for (SettingRow& row : *rows) {
    ServerRetention r;
    std::string_view source;
    if (!ParseSeconds(row.value, &r.retention, &source)) {
      return Status::Corruption(db_->path() + ": bad server retention for " + row.signal + ": '" + row.value + "'");
    }
    r.source = std::string(source);
    r.signal = std::move(row.signal);
    r.recorded_at = row.updated_at;
    out.push_back(std::move(r));
  }
  return out;
}

StatusOr<int64_t> SqliteRetentionSettingsRepository::Generation() {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "SELECT value FROM change_counters WHERE name = 'settings'");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Corruption(db_->path() + ": change_counters has no settings row");
  return stmt->ColumnInt(0);
}

}  // namespace otelstack::meta
