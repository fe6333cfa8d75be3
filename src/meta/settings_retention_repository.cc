#include "meta/settings_retention_repository.h"

#include <charconv>

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

std::string Name(std::string_view prefix, std::string_view signal) { return std::string(prefix) + std::string(signal); }

}  // namespace

Status SettingsRetentionRepository::SetOverride(std::string_view signal, std::chrono::seconds retention, TimePoint at) {
  OTELSTACK_RETURN_IF_ERROR(CheckSignalName(signal));
  OTELSTACK_RETURN_IF_ERROR(CheckRetention(retention));
  return table_->Upsert(Name(kOverridePrefix, signal), std::to_string(retention.count()), at);
}

Status SettingsRetentionRepository::ClearOverride(std::string_view signal) {
  OTELSTACK_RETURN_IF_ERROR(CheckSignalName(signal));
  return table_->Delete(Name(kOverridePrefix, signal));
}

StatusOr<std::vector<RetentionOverride>> SettingsRetentionRepository::ListOverrides() {
  auto rows = table_->ListPrefix(kOverridePrefix);
  if (!rows.ok()) return rows.status();
  std::vector<RetentionOverride> out;
  for (SettingsTable::Row& row : *rows) {
    RetentionOverride o;
    o.signal = row.name.substr(kOverridePrefix.size());
    if (!ParseSeconds(row.value, &o.retention, nullptr)) {
      return Status::Corruption(table_->description() + ": bad retention override for " + o.signal + ": '" + row.value +
                                "'");
    }
    o.updated_at = row.updated_at;
    out.push_back(std::move(o));
  }
  return out;
}

Status SettingsRetentionRepository::RecordServerRetention(std::string_view signal, std::chrono::seconds retention,
                                                          std::string_view source, TimePoint at) {
  OTELSTACK_RETURN_IF_ERROR(CheckSignalName(signal));
  OTELSTACK_RETURN_IF_ERROR(CheckRetention(retention));
  return table_->Upsert(Name(kServerPrefix, signal), std::to_string(retention.count()) + " " + std::string(source), at);
}

StatusOr<std::vector<ServerRetention>> SettingsRetentionRepository::ListServerRetention() {
  auto rows = table_->ListPrefix(kServerPrefix);
  if (!rows.ok()) return rows.status();
  std::vector<ServerRetention> out;
  for (SettingsTable::Row& row : *rows) {
    ServerRetention r;
    r.signal = row.name.substr(kServerPrefix.size());
    std::string_view source;
    if (!ParseSeconds(row.value, &r.retention, &source)) {
      return Status::Corruption(table_->description() + ": bad server retention for " + r.signal + ": '" + row.value +
                                "'");
    }
    r.source = std::string(source);
    r.recorded_at = row.updated_at;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace otelstack::meta
