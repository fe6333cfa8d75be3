// Retention on ClickHouse by dropping whole day partitions.
//
// Every otel table is PARTITION BY toDate(<time>) (table_layout.h), so
// expiring data is `ALTER TABLE ... DROP PARTITION ID 'YYYYMMDD'`: cheap,
// atomic per partition, and the same on every server version (18.16 has no
// TTL). A partition is dropped once its whole day (in the server's time
// zone, which decides the partition) is older than `retention`.
//
// On 18.16 the files of a dropped partition stay on disk for the table's
// old_parts_lifetime, and a server restart within that time can bring the
// rows back; the compat layout therefore creates its tables with a short
// old_parts_lifetime, and DropExpiredPartitions may be run repeatedly (it
// drops whatever expired partition is still active).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "clickhouse/http_client.h"
#include "clickhouse/table_layout.h"
#include "common/status.h"

namespace otelstack::clickhouse {

struct DroppedPartition {
  std::string table;
  std::string day;  // "YYYY-MM-DD"
};

// A table holding `signal` and how many days each of its partitions spans:
// 1 for the data tables (toDate), 7 for the trace-id lookup (weeks).
struct PartitionedTable {
  std::string name;
  int days_per_partition = 1;
};
// Metrics: the five metric tables; traces: otel_traces and the trace-id
// lookup; with a cluster, the local tables.
std::vector<PartitionedTable> TablesOf(Signal signal, const SchemaOptions& options);

// Drops the partitions of `signal`'s tables whose last day ended more than
// `retention` before `now_ns` (unix ns). retention 0 keeps everything.
// Appends what was dropped to *dropped (may be null).
Status DropExpiredPartitions(const Client& client, const SchemaOptions& options, Signal signal,
                             std::chrono::seconds retention, uint64_t now_ns,
                             std::vector<DroppedPartition>* dropped = nullptr);

}  // namespace otelstack::clickhouse
