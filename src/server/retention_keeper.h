// RetentionKeeper: keeps the stores' retention in line with the settings.
//
// The effective retention of a signal is the override stored by `otelstack
// retention set` (the metadata store) if any, else the configured value
// (flags > env > config file > default, ServerOptions::retention). Apply
// logs what changed and why, hands the values to the telemetry store (and
// the logs value to the audit store), drops expired day partitions, and with
// --storage clickhouse drops expired ClickHouse partitions too (a ClickHouse
// outage is logged, not fatal: the next round retries).
//
// Not thread-safe: one thread calls Apply (the server's retention thread).
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>

#include "clickhouse/http_client.h"
#include "clickhouse/table_layout.h"
#include "common/status.h"
#include "meta/retention_settings_repository.h"
#include "server/server.h"
#include "store/store.h"

namespace otelstack::server {

class RetentionKeeper {
 public:
  // The pointers must outlive the keeper; `audit_store` may be null.
  RetentionKeeper(const ServerOptions& options, meta::RetentionSettingsRepository* settings, Store* store,
                  Store* audit_store);

  // Records the configured values in the metadata store, for `otelstack
  // retention show`.
  Status RecordConfigured();

  // True when the settings may have changed since the last Apply (also when
  // the check fails, so that Apply reports the error).
  bool SettingsChanged();

  // Resolves the effective retention (logging what changed and why), hands
  // it to the stores and drops what has expired.
  Status Apply();

 private:
  Status DropExpiredClickHousePartitions(Signal signal, std::chrono::seconds retention);

  const ServerOptions& options_;
  std::optional<clickhouse::Client> clickhouse_client_;
  clickhouse::SchemaOptions clickhouse_schema_;
  meta::RetentionSettingsRepository* settings_;
  Store* store_;
  Store* audit_store_;
  int64_t generation_ = -1;
  std::array<std::string, std::size(kAllSignals)> described_;  // last logged, to log only changes
};

}  // namespace otelstack::server
