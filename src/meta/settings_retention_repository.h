// RetentionSettingsRepository over the generic `settings` table (name, value,
// updated_at) that both metadata backends have. This file owns the encoding;
// each backend only provides the table's four primitives (SettingsTable).
//
// Rows:
//   retention.override.<signal>  "<seconds>"           `otelstack retention set`
//   retention.server.<signal>    "<seconds> <source>"  what a server started with
// Signal names are 1..32 lowercase ASCII letters; retention is >= 0 seconds.
// A stored value that does not parse is Corruption naming the table and row.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "meta/retention_settings_repository.h"

namespace otelstack::meta {

// The settings table of one backend. Each call is one atomic statement and
// takes the backend's lock itself.
class SettingsTable {
 public:
  struct Row {
    std::string name;
    std::string value;
    TimePoint updated_at;
  };

  virtual ~SettingsTable() = default;
  // Inserts or replaces; an equal value keeps the row (and its updated_at)
  // untouched, so that the change counter does not move.
  virtual Status Upsert(const std::string& name, const std::string& value, TimePoint at) = 0;
  virtual Status Delete(const std::string& name) = 0;
  // Rows whose name starts with `prefix`, in byte order of name.
  virtual StatusOr<std::vector<Row>> ListPrefix(std::string_view prefix) = 0;
  // change_counters.settings (bumped by every change of the table).
  virtual StatusOr<int64_t> Generation() = 0;
  // For error messages: the database path or URL, never a password.
  virtual std::string description() const = 0;
};

class SettingsRetentionRepository : public RetentionSettingsRepository {
 public:
  explicit SettingsRetentionRepository(std::unique_ptr<SettingsTable> table) : table_(std::move(table)) {}

  Status SetOverride(std::string_view signal, std::chrono::seconds retention, TimePoint at) override;
  Status ClearOverride(std::string_view signal) override;
  StatusOr<std::vector<RetentionOverride>> ListOverrides() override;
  Status RecordServerRetention(std::string_view signal, std::chrono::seconds retention, std::string_view source,
                               TimePoint at) override;
  StatusOr<std::vector<ServerRetention>> ListServerRetention() override;
  StatusOr<int64_t> Generation() override { return table_->Generation(); }

 private:
  std::unique_ptr<SettingsTable> table_;
};

}  // namespace otelstack::meta
