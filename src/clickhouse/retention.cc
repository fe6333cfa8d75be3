#include "clickhouse/retention.h"

#include <ctime>
#include <string_view>

#include "clickhouse/table_spec.h"

namespace otelstack::clickhouse {

namespace {

// Days since the epoch of a partition id "YYYYMMDD", or -1.
int64_t PartitionDay(std::string_view id) {
  if (id.size() != 8) return -1;
  for (char c : id) {
    if (c < '0' || c > '9') return -1;
  }
  std::tm tm{};
  tm.tm_year = std::stoi(std::string(id.substr(0, 4))) - 1900;
  tm.tm_mon = std::stoi(std::string(id.substr(4, 2))) - 1;
  tm.tm_mday = std::stoi(std::string(id.substr(6, 2)));
  return static_cast<int64_t>(timegm(&tm)) / 86400;
}

}  // namespace

std::vector<PartitionedTable> TablesOf(Signal signal, const SchemaOptions& options) {
  const std::string suffix = options.cluster.empty() ? "" : "_local";
  switch (signal) {
    case Signal::kLogs:
      return {{options.tables.logs + suffix, 1}};
    case Signal::kTraces:
      return {{options.tables.traces + suffix, 1}, {options.tables.trace_id_ts + suffix, 7}};
    case Signal::kMetrics: {
      std::vector<PartitionedTable> out;
      for (MetricTable t : kAllMetricTables) out.push_back({options.tables.Metric(t) + suffix, 1});
      return out;
    }
  }
  return {};
}

Status DropExpiredPartitions(const Client& client, const SchemaOptions& options, Signal signal,
                             std::chrono::seconds retention, uint64_t now_ns, std::vector<DroppedPartition>* dropped) {
  if (retention.count() <= 0) return Status::OK();
  const std::vector<PartitionedTable> tables = TablesOf(signal, options);
  std::string in;
  for (const PartitionedTable& t : tables) in.append(in.empty() ? "" : ",").append(internal::StringLiteral(t.name));
  std::string body;
  OTELSTACK_RETURN_IF_ERROR(client
                                .Query("SELECT DISTINCT table, partition_id FROM system.parts WHERE active AND "
                                       "database = " +
                                           internal::StringLiteral(options.database) + " AND table IN (" + in +
                                           ") FORMAT TabSeparated",
                                       {}, &body)
                                .WithContext("listing partitions of " + std::string(SignalName(signal))));
  // A day partition expires once its last second is older than the cutoff.
  const int64_t cutoff_s = static_cast<int64_t>(now_ns / 1'000'000'000) - retention.count();
  for (const auto& fields : SplitTabSeparated(body)) {
    if (fields.size() != 2) continue;
    std::string table(fields[0]);
    std::string id(fields[1]);
    int64_t day = PartitionDay(id);
    int days = 1;
    for (const PartitionedTable& t : tables) {
      if (t.name == table) days = t.days_per_partition;
    }
    if (day < 0 || (day + days) * 86400 > cutoff_s) continue;
    std::string sql = "ALTER TABLE " + internal::Qualified(options.database, table) +
                      (options.cluster.empty() ? "" : " ON CLUSTER " + internal::Ident(options.cluster)) +
                      " DROP PARTITION ID " + internal::StringLiteral(id);
    OTELSTACK_RETURN_IF_ERROR(client.Query(sql, {}, nullptr).WithContext("dropping partition " + id + " of " + table));
    if (dropped) {
      dropped->push_back(DroppedPartition{table, id.substr(0, 4) + "-" + id.substr(4, 2) + "-" + id.substr(6, 2)});
    }
  }
  return Status::OK();
}

}  // namespace otelstack::clickhouse
