#include "meta/postgres_retention_settings_repository.h"

#include <charconv>
#include <string>

#include "meta/sqlite_db.h"  // ToUnixMillis, FromUnixMillis

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
Status Upsert(PostgresDb& db, const std::string& name, const std::string& value, TimePoint at) {
  auto r = db.Exec(
      "INSERT INTO settings(name, value, updated_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at "
      "WHERE settings.value <> EXCLUDED.value",
      PgParams().Text(name).Text(value).Int(ToUnixMillis(at)));
  if (!r.ok()) return r.status().WithContext("store setting " + name);
  return Status::OK();
}

struct SettingRow {
  std::string signal;  // the name without the prefix
  std::string value;
  TimePoint updated_at;
};

// Rows whose name starts with `prefix`, by name. Requires db.Lock().
StatusOr<std::vector<SettingRow>> ListPrefix(PostgresDb& db, std::string_view prefix) {
  // COLLATE "C": byte order, as SQLite sorts.
  auto r =
      db.Exec("SELECT name, value, updated_at FROM settings WHERE substr(name, 1, $2) = $1 ORDER BY name COLLATE \"C\"",
              PgParams().Text(prefix).Int(static_cast<int64_t>(prefix.size())));
  if (!r.ok()) return r.status();
  std::vector<SettingRow> rows;
  for (int i = 0; i < r->rows(); ++i) {
    rows.push_back(SettingRow{r->Text(i, 0).substr(prefix.size()), r->Text(i, 1), FromUnixMillis(r->Int(i, 2))});
  }
  return rows;
}

}  // namespace

Status PostgresRetentionSettingsRepository::SetOverride(std::string_view signal, std::chrono::seconds retention,
                                                        TimePoint at) {
  OTELSTACK_RETURN_IF_ERROR(CheckSignalName(signal));
  OTELSTACK_RETURN_IF_ERROR(CheckRetention(retention));
  auto lock = db_->Lock();
  return Upsert(*db_, std::string(kOverridePrefix) + std::string(signal), std::to_string(retention.count()), at);
}

Status PostgresRetentionSettingsRepository::ClearOverride(std::string_view signal) {
  OTELSTACK_RETURN_IF_ERROR(CheckSignalName(signal));
  auto lock = db_->Lock();
  auto r = db_->Exec("DELETE FROM settings WHERE name = $1",
                     PgParams().Text(std::string(kOverridePrefix) + std::string(signal)));
  return r.ok() ? Status::OK() : r.status();
}

StatusOr<std::vector<RetentionOverride>> PostgresRetentionSettingsRepository::ListOverrides() {
  auto lock = db_->Lock();
  auto rows = ListPrefix(*db_, kOverridePrefix);
  if (!rows.ok()) return rows.status();
  std::vector<RetentionOverride> out;
  for (SettingRow& row : *rows) {
    RetentionOverride o;
    if (!ParseSeconds(row.value, &o.retention, nullptr)) {
      return Status::Corruption(db_->description() + ": bad retention override for " + row.signal + ": '" + row.value +
                                "'");
    }
    o.signal = std::move(row.signal);
    o.updated_at = row.updated_at;
    out.push_back(std::move(o));
  }
  return out;
}

Status PostgresRetentionSettingsRepository::RecordServerRetention(std::string_view signal,
                                                                  std::chrono::seconds retention,
                                                                  std::string_view source, TimePoint at) {
  OTELSTACK_RETURN_IF_ERROR(CheckSignalName(signal));
  OTELSTACK_RETURN_IF_ERROR(CheckRetention(retention));
  auto lock = db_->Lock();
  return Upsert(*db_, std::string(kServerPrefix) + std::string(signal),
                std::to_string(retention.count()) + " " + std::string(source), at);
}

StatusOr<std::vector<ServerRetention>> PostgresRetentionSettingsRepository::ListServerRetention() {
  auto lock = db_->Lock();
  auto rows = ListPrefix(*db_, kServerPrefix);
  if (!rows.ok()) return rows.status();
  std::vector<ServerRetention> out;
  for (SettingRow& row : *rows) {
    ServerRetention r;
    std::string_view source;
    if (!ParseSeconds(row.value, &r.retention, &source)) {
      return Status::Corruption(db_->description() + ": bad server retention for " + row.signal + ": '" + row.value +
                                "'");
    }
    r.source = std::string(source);
    r.signal = std::move(row.signal);
    r.recorded_at = row.updated_at;
    out.push_back(std::move(r));
  }
  return out;
}

StatusOr<int64_t> PostgresRetentionSettingsRepository::Generation() {
  auto lock = db_->Lock();
  auto r = db_->Exec("SELECT value FROM change_counters WHERE name = 'settings'");
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::Corruption(db_->description() + ": change_counters has no settings row");
  return r->Int(0, 0);
}

}  // namespace otelstack::meta
