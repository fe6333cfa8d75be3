#include "server/retention_keeper.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "clickhouse/retention.h"
#include "ingest/ingest_service.h"

namespace otelstack::server {

RetentionKeeper::RetentionKeeper(const ServerOptions& options, meta::RetentionSettingsRepository* settings,
                                 Store* store, Store* audit_store)
    : options_(options), settings_(settings), store_(store), audit_store_(audit_store) {
  if (options.clickhouse) {
    clickhouse::ConnectionOptions connection = options.clickhouse->connection;
    connection.database.clear();  // statements name the database
    clickhouse_client_.emplace(connection);
    clickhouse_schema_ = ClickHouseSchemaOf(*options.clickhouse);
  }
}

Status RetentionKeeper::RecordConfigured() {
  auto now = std::chrono::system_clock::now();
  for (Signal signal : kAllSignals) {
    const RetentionSetting& configured = options_.retention[static_cast<size_t>(signal)];
    OTELSTACK_RETURN_IF_ERROR(
        settings_->RecordServerRetention(SignalName(signal), configured.retention, configured.source, now));
  }
  return Status::OK();
}

bool RetentionKeeper::SettingsChanged() {
  auto generation = settings_->Generation();
  return !generation.ok() || *generation != generation_;
}

Status RetentionKeeper::Apply() {
  auto generation = settings_->Generation();
  if (!generation.ok()) return generation.status().WithContext("reading retention settings");
  auto overrides = settings_->ListOverrides();
  if (!overrides.ok()) return overrides.status().WithContext("reading retention settings");
  generation_ = *generation;
  for (Signal signal : kAllSignals) {
    const size_t i = static_cast<size_t>(signal);
    const RetentionSetting& configured = options_.retention[i];
    std::chrono::seconds retention = configured.retention;
    std::string why = configured.source;
    for (const meta::RetentionOverride& o : *overrides) {
      if (o.signal != SignalName(signal)) continue;
      retention = o.retention;
      why = "override from `otelstack retention set`, wins over " + configured.source + " (" +
            meta::FormatRetention(configured.retention) + ")";
    }
    std::string description = meta::FormatRetention(retention) + " from " + why;
    if (description != described_[i]) {
      described_[i] = description;
      if (retention.count() == 0) {
        spdlog::warn("retention of {}: 0 from {}: its data is kept forever and the disk may fill up",
                     SignalName(signal), why);
      } else {
        spdlog::info("retention of {}: {}", SignalName(signal), description);
      }
    }
    store_->SetRetention(signal, retention);
    if (audit_store_ && signal == Signal::kLogs) audit_store_->SetRetention(signal, retention);
    if (clickhouse_client_) {
      // ClickHouse being down must not stop the server: the next round retries.
      Status s = DropExpiredClickHousePartitions(signal, retention);
      if (!s.ok()) spdlog::warn("retention on ClickHouse: {}", s.ToString());
    }
  }
  if (audit_store_) {
    OTELSTACK_RETURN_IF_ERROR(audit_store_->EnforceRetention(ingest::NowNanos()).WithContext("audit log"));
  }
  std::vector<RetentionDrop> drops;
  OTELSTACK_RETURN_IF_ERROR(store_->EnforceRetention(ingest::NowNanos(), &drops));
  for (const RetentionDrop& d : drops) {
    // Floors move at most once a day per signal, so this is not chatty.
    if (d.parts == 0) {
      spdlog::info("retention: {} data before {} is gone (no stored day partition had expired)", SignalName(d.signal),
                   DayOf(d.new_floor));
      continue;
    }
    spdlog::info("retention: dropped {} days {} to {} ({} parts, {} rows, {} bytes); {} data before {} is gone",
                 SignalName(d.signal), d.days.front(), d.days.back(), d.parts, d.rows, d.bytes, SignalName(d.signal),
                 DayOf(d.new_floor));
  }
  return Status::OK();
}

Status RetentionKeeper::DropExpiredClickHousePartitions(Signal signal, std::chrono::seconds retention) {
  std::vector<clickhouse::DroppedPartition> dropped;
  Status s = clickhouse::DropExpiredPartitions(*clickhouse_client_, clickhouse_schema_, signal, retention,
                                               ingest::NowNanos(), &dropped);
  for (const clickhouse::DroppedPartition& d : dropped) {
    spdlog::info("retention: dropped ClickHouse partition {} of {}", d.day, d.table);
  }
  return s;
}

}  // namespace otelstack::server
