// The ClickHouse tables otelstack writes and reads, and how otelstack's
// columns (store/schema/schema.h) map onto them.
//
// Two layouts, chosen from the server's version (http_client.h ServerFeatures):
//
//  kModern — the OpenTelemetry collector ClickHouse exporter's schema, so data
//    is interchangeable with ClickStack: otel_logs, otel_traces,
//    otel_traces_trace_id_ts (+ its materialized view),
//    otel_metrics_{gauge,sum,histogram,exponential_histogram,summary};
//    DateTime64(9) timestamps, Map(LowCardinality(String), String)
//    attributes, Nested events/links/exemplars, ZSTD/Delta codecs,
//    bloom_filter/tokenbf_v1 skip indexes, PARTITION BY toDate(...),
//    `TTL <time> + toIntervalDay(N) ... SETTINGS ttl_only_drop_parts = 1`.
//
//  kCompat — the same tables and column names for servers without Map,
//    DateTime64, codecs, skip indexes and TTL (Debian's 18.16):
//      * every timestamp column `X DateTime64(9)` becomes two columns:
//        `X DateTime` (seconds, what partitions and primary keys use) and
//        `XNs UInt64` (nanoseconds since the epoch, the exact value);
//      * every attribute map `A Map(...)` becomes the parallel arrays
//        `A.keys Array(String)` and `A.values Array(String)` (ClickHouse
//        treats them as one Nested column: equal lengths are enforced);
//      * LowCardinality(String) is String; no codecs, no indexes, no TTL:
//        retention drops whole day partitions (ALTER TABLE ... DROP PARTITION),
//        so PARTITION BY toDate(<time>) is kept;
//      * Nested Events/Links/Exemplars/ValueAtQuantiles are plain parallel
//        arrays (`Events.Name Array(String)`, `Events.TimestampNs
//        Array(UInt64)`, `Events.Attributes.keys Array(Array(String))`...);
//      * the histograms' optional Sum/Min/Max are Nullable(Float64) (kModern
//        keeps the exporter's Float64: an absent Min/Max reads back as 0);
//      * the trace-id lookup table is a plain MergeTree (TraceId, Start, End
//        DateTime), one row per trace and insert block: take min/max.
//
// Both layouts also keep what the exporter's tables lack, so that rows read
// back equal to what was written: ObservedTimestamp, EventName, the dropped
// counts, span Flags, IntValue/IsIntValue, ZeroThreshold, MetricMetadata,
// Events.DroppedAttributesCount, Links.DroppedAttributesCount/Flags. The
// metric tables have no MetricType column (the table is the kind); read
// mappings project it. Exemplar values are Float64 (int exemplars come back
// as doubles); nested attribute values come back as strings.
// The column model is in table_spec.h.
//
// Both layouts add one column of our own to every data table:
// `InsertId UInt64` (see clickhouse_sink.h: it makes retried inserts
// idempotent). Readers ignore it; tables written by the OTel collector lack
// it and are still readable.
//
// Attribute values are strings in ClickHouse (as the exporter writes them):
// strings as they are, ints in decimal, doubles in shortest round-trip form,
// bools "true"/"false", arrays and kvlists as JSON — the text forms of
// common/any_value_json.h. Reading back therefore gives string attributes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "clickhouse/http_client.h"
#include "common/status.h"
#include "store/schema/row_batch.h"
#include "store/schema/schema.h"

namespace otelstack::clickhouse {

enum class Layout : uint8_t { kModern, kCompat };

// The metric kinds, each in its own table (MetricType column values of the
// embedded "metrics" schema: "Gauge", "Sum", "Histogram",
// "ExponentialHistogram", "Summary").
enum class MetricTable : uint8_t { kGauge, kSum, kHistogram, kExponentialHistogram, kSummary };
inline constexpr MetricTable kAllMetricTables[] = {MetricTable::kGauge, MetricTable::kSum, MetricTable::kHistogram,
                                                   MetricTable::kExponentialHistogram, MetricTable::kSummary};

struct TableNames {
  std::string logs = "otel_logs";
  std::string traces = "otel_traces";
  std::string trace_id_ts = "otel_traces_trace_id_ts";
  std::string metrics_prefix = "otel_metrics_";  // + gauge, sum, histogram, exponential_histogram, summary
  std::string Metric(MetricTable t) const;
};

struct SchemaOptions {
  Layout layout = Layout::kCompat;
  std::string database = "otel";
  TableNames tables;
  uint32_t ttl_days = 0;  // kModern: the TTL clause (0: none); kCompat ignores it
  // Non-empty: create `<table>_local` tables ON CLUSTER `cluster` (ReplicatedMergeTree
  // not required: plain MergeTree per shard) plus Distributed tables named
  // `<table>` over them, sharded by rand() (traces: by cityHash64(TraceId)
  // so a trace stays on one shard); writes and reads use the Distributed tables.
  std::string cluster;
};

// The CREATE statements, in dependency order, each with IF NOT EXISTS:
// database, data tables, the trace-id lookup table and its materialized view
// (and with a cluster the local tables first, then the Distributed ones).
std::vector<std::string> CreateStatements(const SchemaOptions& options);

// Creates what is missing (runs CreateStatements through `client`).
Status EnsureSchema(const Client& client, const SchemaOptions& options);

// ---------------------------------------------------------------- reading --

// How to read one signal of otelstack's schema from ClickHouse tables, as SQL
// expressions. The query engine (query/clickhouse/) builds every statement
// from these, so it never knows which layout (or which user-defined column
// mapping) it reads. All expressions are valid in the scope of From().
class ReadMapping {
 public:
  virtual ~ReadMapping() = default;

  virtual Signal signal() const = 0;

  // The FROM clause operand: "`otel`.`otel_logs`", or for metrics a
  // parenthesized UNION ALL over the five metric tables projected onto the
  // common columns (columns a kind lacks are constants of their zero value).
  virtual std::string From() const = 0;

  // The row time in nanoseconds since the epoch, as UInt64.
  virtual std::string TimeNs() const = 0;
  // A predicate for from_ns <= time <= to_ns that also lets ClickHouse prune
  // partitions and primary-key ranges (e.g. on the DateTime column and the
  // nanosecond column).
  virtual std::string TimeRange(uint64_t from_ns, uint64_t to_ns) const = 0;

  // The value of otelstack column `column` (index in SchemaOf(signal())) as
  // the filter and aggregations see it (query/execution/row_value.h):
  // Timestamp/UInt64 -> UInt64, Int64 -> Int64, Float64 -> Float64,
  // String -> String, Id -> lowercase hex String ("" when empty), Any ->
  // its text form (String). Empty string "" when the table has no such
  // column: the caller treats it as the column's zero value.
  virtual std::string Column(size_t column) const = 0;

  // For attribute map column `map_column` (a kAny map column such as
  // LogAttributes): the value of `key` as String ('' when absent), and a
  // UInt8 predicate "the key is present".
  virtual std::string AttributeValue(size_t map_column, std::string_view key) const = 0;
  virtual std::string AttributeExists(size_t map_column, std::string_view key) const = 0;

  // Array(String) of every value free-text search looks at (logs: Body;
  // traces: SpanName, StatusMessage; metrics: MetricName; plus every value
  // of the record's, resource's and scope's attributes) — the same set as
  // the embedded store's text index (store/skip_index).
  virtual std::string TextValues() const = 0;

  // The select list for whole rows and a decoder for its RowBinary output:
  // SELECT <RowSelectList()> ... FORMAT RowBinary, then DecodeRows appends
  // every row of `data` to `batch` (a RowBatch of signal()), rebuilding
  // otelstack's encoding (ids from hex to raw bytes, maps to kvlists of
  // string values, timestamps to ns). Corruption on malformed data.
  virtual std::string RowSelectList() const = 0;
  virtual Status DecodeRows(std::string_view data, RowBatch* batch) const = 0;
};

// The columns each table of `options` really has (table -> column names), as
// system.columns lists them. Tables otelstack did not create, e.g. written
// by the OTel collector's exporter, lack otelstack's extra columns (InsertId,
// ObservedTimestamp, EventName, dropped counts...); a table that does not
// exist has no entry.
using TableColumns = std::map<std::string, std::set<std::string>>;
StatusOr<TableColumns> DescribeTables(const Client& client, const SchemaOptions& options);

// The mapping of the tables otelstack creates (CreateStatements) for
// `signal`. With `columns`, a table lacking some of otelstack's columns is
// read through a subquery that projects each missing column as its type's
// zero value, so every expression works on it unchanged (tables with every
// column are read directly).
std::unique_ptr<ReadMapping> MakeReadMapping(Signal signal, const SchemaOptions& options,
                                             const TableColumns* columns = nullptr);

// A user column mapping for tables with their own column names (a source's
// timestampValueExpression, bodyExpression, ...): otelstack column (index in
// SchemaOf(signal)) -> SQL expression over the table's columns.
struct ColumnMapping {
  std::map<size_t, std::string> expressions;
  // The unit of a mapped Duration (traces) in digits of a second, as
  // HyperDX's durationPrecision: 0 s, 3 ms, 6 us, 9 ns.
  int duration_precision = 9;
};

// MakeReadMapping with `mapping` applied: the table (the metric tables) is
// read through a subquery that projects each mapped column from its
// expression, converted to the column's type in options.layout, under the
// column's own name (present unmapped columns as they are, missing ones as
// zero values), so every expression of the ReadMapping works unchanged —
// time ranges and ordering on the mapped timestamp included. Conversions:
//   - timestamps: kModern toDateTime64(e, 9); kCompat toDateTime(e) and its
//     nanoseconds toUInt64(toUnixTimestamp(toDateTime(e))) * 1e9 (seconds
//     precision: 18.16 has no sub-second time type);
//   - strings and Body: toString(e); ids: lower(toString(e)), '' unless it
//     is hex (an even number of hex digits);
//   - Duration: e * 10^(9 - duration_precision), rounded, as UInt64 ns;
//   - other numbers: to<Type>(e);
//   - attribute maps: kModern CAST(e AS Map(String, String)); kCompat (no
//     Map type) e must be a tuple of two arrays (keys, values), read as
//     strings and cut to the shorter length.
// An expression that is just the column's own name ("Timestamp",
// "`LogAttributes`") maps nothing: the column is read as without a mapping.
// InvalidArgument, naming the column, for an expression that fails
// CheckColumnExpression (column_expression.h), a column that cannot be
// mapped (span events and links, metric points...), a column index out of
// range or a duration_precision outside 0..9.
StatusOr<std::unique_ptr<ReadMapping>> MakeMappedReadMapping(Signal signal, const SchemaOptions& options,
                                                             const TableColumns* columns, const ColumnMapping& mapping);

// ---------------------------------------------------------------- writing --

// One INSERT: the statement ("INSERT INTO `otel`.`otel_logs` (cols...) FORMAT
// RowBinary") and its body.
struct InsertBatch {
  std::string table;  // unqualified table name, e.g. "otel_logs"
  std::string sql;
  std::string data;
  uint64_t rows = 0;
};

// Encodes rows of one signal into one InsertBatch per destination table
// (metrics: per MetricTable that has rows; logs and traces: one each; the
// trace-id lookup is filled by its materialized view, not by us).
// `insert_ids[i]` is the InsertId written for every row of batches[i].
// Rows whose metric type is unknown are skipped and counted in *skipped.
Status EncodeInserts(Signal signal, const std::vector<const RowBatch*>& batches,
                     const std::vector<uint64_t>& insert_ids, const SchemaOptions& options,
                     std::vector<InsertBatch>* out, uint64_t* skipped = nullptr);

}  // namespace otelstack::clickhouse
