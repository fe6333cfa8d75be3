// CreateStatements / EnsureSchema: the DDL of table_layout.h, generated from
// the column model of table_spec.h.
#include <string>
#include <vector>

#include "clickhouse/table_layout.h"
#include "clickhouse/table_spec.h"

namespace otelstack::clickhouse {

using internal::Field;
using internal::Ident;
using internal::Qualified;
using internal::StringLiteral;
using internal::SubColumn;

std::string TableNames::Metric(MetricTable t) const {
  switch (t) {
    case MetricTable::kGauge:
      return metrics_prefix + "gauge";
    case MetricTable::kSum:
      return metrics_prefix + "sum";
    case MetricTable::kHistogram:
      return metrics_prefix + "histogram";
    case MetricTable::kExponentialHistogram:
      return metrics_prefix + "exponential_histogram";
    case MetricTable::kSummary:
      return metrics_prefix + "summary";
  }
  return metrics_prefix;
}

namespace {

bool IsNested(internal::Codec c) {
  using C = internal::Codec;
  return c == C::kEvents || c == C::kLinks || c == C::kExemplars || c == C::kQuantiles;
}

// "Array(T)" -> "T".
std::string ElementType(const std::string& array_type) { return array_type.substr(6, array_type.size() - 7); }

// The short index name of an attribute map, as the exporter names them.
std::string MapIndexName(std::string_view map) {
  if (map == "ResourceAttributes") return "res_attr";
  if (map == "ScopeAttributes") return "scope_attr";
  if (map == "LogAttributes") return "log_attr";
  if (map == "SpanAttributes") return "span_attr";
  if (map == "Attributes") return "attr";
  return "";
}

struct TableDef {
  Signal signal;
  bool is_metric = false;
  MetricTable metric = MetricTable::kGauge;
  std::string name;  // unqualified, without `_local`
};

// The column list (and indexes) of a data table.
std::string ColumnDefinitions(const TableDef& t, Layout layout) {
  const bool modern = layout == Layout::kModern;
  std::vector<std::string> lines;
  std::vector<std::string> indexes;
  for (const Field& f : internal::FieldsOf(t.signal)) {
    if (f.codec == internal::Codec::kMetricType) continue;  // implied by the table
    if (t.is_metric && !internal::HasField(f, t.metric)) continue;
    std::vector<SubColumn> subs = internal::SubColumns(f, layout);
    std::string codec = modern && f.modern_codec[0] != '\0' ? std::string(" CODEC(") + f.modern_codec + ")" : "";
    if (modern && IsNested(f.codec)) {
      std::string nested = Ident(f.name) + " Nested(";
      const size_t prefix = std::string_view(f.name).size() + 1;
      for (size_t i = 0; i < subs.size(); ++i) {
        if (i > 0) nested += ", ";
        nested += Ident(subs[i].name.substr(prefix)) + " " + ElementType(subs[i].type);
      }
      lines.push_back(nested + ")" + codec);
      continue;
    }
    for (const SubColumn& s : subs) lines.push_back(Ident(s.name) + " " + s.type + codec);
    if (modern && f.codec == internal::Codec::kTime && t.signal == Signal::kLogs && f.column == logs_col::kTimestamp) {
      lines.push_back("`TimestampTime` DateTime DEFAULT toDateTime(`Timestamp`)");
    }
    if (modern && f.codec == internal::Codec::kMap) {
      std::string short_name = MapIndexName(f.name);
      if (!short_name.empty()) {
        indexes.push_back("INDEX idx_" + short_name + "_key mapKeys(" + Ident(f.name) +
                          ") TYPE bloom_filter(0.01) GRANULARITY 1");
        indexes.push_back("INDEX idx_" + short_name + "_value mapValues(" + Ident(f.name) +
                          ") TYPE bloom_filter(0.01) GRANULARITY 1");
      }
    }
  }
  if (modern) {
    if (t.signal != Signal::kMetrics) {
      indexes.insert(indexes.begin(), "INDEX idx_trace_id `TraceId` TYPE bloom_filter(0.001) GRANULARITY 1");
    }
    if (t.signal == Signal::kLogs) {
      indexes.push_back("INDEX idx_body `Body` TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8");
    } else if (t.signal == Signal::kTraces) {
      indexes.push_back("INDEX idx_duration `Duration` TYPE minmax GRANULARITY 1");
      indexes.push_back("INDEX idx_lower_span_name lower(`SpanName`) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8");
    } else {
      indexes.push_back("INDEX idx_time_minmax `TimeUnix` TYPE minmax GRANULARITY 1");
    }
  }
  std::string out;
  for (const std::string& l : lines) out += "    " + l + ",\n";
  for (const std::string& l : indexes) out += "    " + l + ",\n";
  out.resize(out.size() - 2);  // the last ",\n"
  out += "\n";
  return out;
}

// Seconds an 18.16 server keeps the files of dropped or merged-away parts.
constexpr int kCompatOldPartsLifetimeSeconds = 10;

// ENGINE ... SETTINGS of a data table.
std::string TableOptions(const TableDef& t, const SchemaOptions& o) {
  const bool modern = o.layout == Layout::kModern;
  std::string partition, primary, order, ttl_time;
  switch (t.signal) {
    case Signal::kLogs:
      if (modern) {
        partition = "toDate(`TimestampTime`)";
        primary = "(`ServiceName`, `TimestampTime`)";
        order = "(`ServiceName`, `TimestampTime`, `Timestamp`)";
        ttl_time = "`TimestampTime`";
      } else {
        partition = "toDate(`Timestamp`)";
        order = "(`ServiceName`, `Timestamp`, `TimestampNs`)";
      }
      break;
    case Signal::kTraces:
      if (modern) {
        partition = "toDate(`Timestamp`)";
        primary = "(`ServiceName`, `SpanName`, toDateTime(`Timestamp`))";
        order = "(`ServiceName`, `SpanName`, toDateTime(`Timestamp`), `Timestamp`)";
        ttl_time = "toDateTime(`Timestamp`)";
      } else {
        partition = "toDate(`Timestamp`)";
        order = "(`ServiceName`, `SpanName`, `Timestamp`, `TimestampNs`)";
      }
      break;
    case Signal::kMetrics:
      partition = "toDate(`TimeUnix`)";
      if (modern) {
        order = "(`ServiceName`, `MetricName`, toStartOfHour(`TimeUnix`), cityHash64(`Attributes`), `TimeUnix`)";
        ttl_time = "toDateTime(`TimeUnix`)";
      } else {
        order = "(`ServiceName`, `MetricName`, `TimeUnix`, `TimeUnixNs`)";
      }
      break;
  }
  std::string out = "ENGINE = MergeTree\nPARTITION BY " + partition + "\n";
  if (!primary.empty()) out += "PRIMARY KEY " + primary + "\n";
  out += "ORDER BY " + order + "\n";
  const bool ttl = modern && o.ttl_days > 0;
  if (ttl) out += "TTL " + ttl_time + " + toIntervalDay(" + std::to_string(o.ttl_days) + ")\n";
  out += "SETTINGS index_granularity = 8192";
  if (ttl) out += ", ttl_only_drop_parts = 1";
  // 18.16 keeps a dropped partition's files for old_parts_lifetime (480 s by
  // default), and a restart within that time brings the rows back: retention
  // (clickhouse/retention.h) must not be undone by a restart.
  if (!modern) out += ", old_parts_lifetime = " + std::to_string(kCompatOldPartsLifetimeSeconds);
  return out;
}

std::string OnCluster(const SchemaOptions& o) { return o.cluster.empty() ? "" : " ON CLUSTER " + Ident(o.cluster); }

// The name of the table that holds the data (with a cluster: the local one).
std::string Storage(const SchemaOptions& o, const std::string& table) {
  return o.cluster.empty() ? table : table + "_local";
}

std::string CreateDataTable(const TableDef& t, const SchemaOptions& o) {
  return "CREATE TABLE IF NOT EXISTS " + Qualified(o.database, Storage(o, t.name)) + OnCluster(o) + " (\n" +
         ColumnDefinitions(t, o.layout) + ") " + TableOptions(t, o);
}

std::string CreateTraceIdTsTable(const SchemaOptions& o) {
  std::string sql =
      "CREATE TABLE IF NOT EXISTS " + Qualified(o.database, Storage(o, o.tables.trace_id_ts)) + OnCluster(o) + " (\n";
  if (o.layout == Layout::kModern) {
    sql +=
        "    `TraceId` String CODEC(ZSTD(1)),\n"
        "    `Start` SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),\n"
        "    `End` SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))\n"
        ") ENGINE = AggregatingMergeTree\nPARTITION BY toStartOfWeek(`Start`)\nORDER BY (`TraceId`)\n";
    if (o.ttl_days > 0) {
      sql += "TTL toDateTime(`Start`) + toIntervalDay(" + std::to_string(o.ttl_days) + ")\n";
      sql += "SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1";
    } else {
      sql += "SETTINGS index_granularity = 8192";
    }
  } else {
    // No SimpleAggregateFunction on 18.16: one row per trace and insert
    // block; readers take min(Start) and max(End) per TraceId.
    sql +=
        "    `TraceId` String,\n"
        "    `Start` DateTime,\n"
        "    `End` DateTime\n"
        ") ENGINE = MergeTree\nPARTITION BY toMonday(`Start`)\nORDER BY (`TraceId`)\n"
        "SETTINGS index_granularity = 8192, old_parts_lifetime = " +
        std::to_string(kCompatOldPartsLifetimeSeconds);
  }
  return sql;
}

std::string CreateTraceIdTsView(const SchemaOptions& o) {
  std::string time = o.layout == Layout::kModern ? "toDateTime(`Timestamp`)" : "`Timestamp`";
  return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + Qualified(o.database, Storage(o, o.tables.trace_id_ts) + "_mv") +
         OnCluster(o) + " TO " + Qualified(o.database, Storage(o, o.tables.trace_id_ts)) +
         " AS SELECT `TraceId`, min(" + time + ") AS `Start`, max(" + time + ") AS `End` FROM " +
         Qualified(o.database, Storage(o, o.tables.traces)) + " WHERE `TraceId` != '' GROUP BY `TraceId`";
}

std::string CreateDistributed(const SchemaOptions& o, const std::string& table, const std::string& sharding_key) {
  return "CREATE TABLE IF NOT EXISTS " + Qualified(o.database, table) + OnCluster(o) + " AS " +
         Qualified(o.database, table + "_local") + " ENGINE = Distributed(" + StringLiteral(o.cluster) + ", " +
         StringLiteral(o.database) + ", " + StringLiteral(table + "_local") + ", " + sharding_key + ")";
}

std::vector<TableDef> DataTables(const SchemaOptions& o) {
  std::vector<TableDef> tables = {{Signal::kLogs, false, MetricTable::kGauge, o.tables.logs},
                                  {Signal::kTraces, false, MetricTable::kGauge, o.tables.traces}};
  for (MetricTable m : kAllMetricTables) tables.push_back({Signal::kMetrics, true, m, o.tables.Metric(m)});
  return tables;
}

}  // namespace

std::vector<std::string> CreateStatements(const SchemaOptions& o) {
  std::vector<std::string> out;
  out.push_back("CREATE DATABASE IF NOT EXISTS " + Ident(o.database) + OnCluster(o));
  std::vector<TableDef> tables = DataTables(o);
  for (const TableDef& t : tables) out.push_back(CreateDataTable(t, o));
  out.push_back(CreateTraceIdTsTable(o));
  out.push_back(CreateTraceIdTsView(o));
  if (!o.cluster.empty()) {
    for (const TableDef& t : tables) {
      out.push_back(CreateDistributed(o, t.name, t.signal == Signal::kTraces ? "cityHash64(`TraceId`)" : "rand()"));
    }
    out.push_back(CreateDistributed(o, o.tables.trace_id_ts, "cityHash64(`TraceId`)"));
  }
  return out;
}

Status EnsureSchema(const Client& client, const SchemaOptions& options) {
  for (const std::string& sql : CreateStatements(options)) {
    Status s = client.Query(sql, {}, nullptr);
    if (!s.ok()) {
      std::string head = sql.substr(0, sql.find('('));
      return s.WithContext("ensure ClickHouse schema (" + head + ")");
    }
  }
  return Status::OK();
}

}  // namespace otelstack::clickhouse
