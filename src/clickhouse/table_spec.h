// The column model behind table_layout.h: which ClickHouse columns hold each
// otelstack column, per signal and layout. DDL (ddl.cc), the RowBinary
// writer (insert_encoder.cc) and the read mappings (read_mapping.cc) are all
// generated from these lists, so the three cannot disagree on a name, a type
// or an order.
//
// A Field maps one otelstack column to one or more consecutive ClickHouse
// columns (its SubColumns): e.g. a compat timestamp to `X DateTime` +
// `XNs UInt64`, a compat attribute map to `A.keys` + `A.values`, span events
// to the `Events.*` arrays. Every table lists its fields in one order, used
// for CREATE, INSERT column lists and SELECT lists alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "clickhouse/table_layout.h"

namespace otelstack::clickhouse::internal {

// How an otelstack column is held (and RowBinary-encoded).
enum class Codec : uint8_t {
  kTime,   // kTimestamp: modern DateTime64(9) (Int64 ns); compat `X DateTime` + `XNs UInt64`
  kUInt8,  // fixed column, narrowed (values are masked to the type)
  kUInt32,
  kUInt64,
  kInt32,
  kInt64,
  kFloat64,
  kBool,  // modern Bool, compat UInt8; one byte 0/1
  kString,
  kId,              // raw id bytes stored as lowercase hex
  kAnyText,         // kAny stored as its text form (Body)
  kMap,             // kvlist: modern Map(LowCardinality(String), String); compat `A.keys`/`A.values`
  kOptionalDouble,  // kAny double or kEmpty: modern Float64 (absent: 0); compat Nullable(Float64)
  kIntArray,        // kAny array of ints: Array(UInt64)
  kDoubleArray,     // kAny array of doubles: Array(Float64)
  kEvents,          // kAny array of span events: Events.* arrays
  kLinks,           // kAny array of span links: Links.* arrays
  kExemplars,       // kAny array of exemplars: Exemplars.* arrays
  kQuantiles,       // kAny array of {Quantile, Value}: ValueAtQuantiles.* arrays
  kInsertId,        // not an otelstack column: `InsertId UInt64`
  kMetricType,      // not stored: the table's kind; read mappings project it as a constant
};

inline constexpr size_t kNoColumn = SIZE_MAX;

struct Field {
  const char* name;  // the ClickHouse column (or Nested) name
  size_t column;     // otelstack column (kNoColumn for kInsertId)
  Codec codec;
  bool low_cardinality = false;  // modern: LowCardinality(String) (kString only)
  const char* modern_codec = "ZSTD(1)";
  uint8_t tables = 0x1f;  // metrics: bit (1 << MetricTable) for each table that has the column
};

inline uint8_t Bit(MetricTable t) { return static_cast<uint8_t>(1u << static_cast<unsigned>(t)); }
inline bool HasField(const Field& f, MetricTable t) { return (f.tables & Bit(t)) != 0; }

// Every field of `signal`'s tables (metrics: the union over the five tables;
// use HasField to pick one table's).
std::span<const Field> FieldsOf(Signal signal);

struct SubColumn {
  std::string name;  // e.g. "Timestamp", "TimestampNs", "Events.Attributes.keys"
  std::string type;  // the ClickHouse type, e.g. "Array(UInt64)"
};
// The ClickHouse columns of `field` in `layout`, in RowBinary order.
// (kMetricType has one: "MetricType String".)
std::vector<SubColumn> SubColumns(const Field& field, Layout layout);

// The items of the nested list codecs (kEvents, kLinks, kExemplars,
// kQuantiles) are kvlists with these keys, in this order (otlp/records.h);
// each key is one ClickHouse array (kMap: one modern Array(Map), or compat
// `.keys` + `.values` Array(Array(String))), in SubColumns order.
enum class PartKind : uint8_t {
  kTimeNs,   // kInt ns: modern Array(DateTime64(9)), compat Array(UInt64)
  kString,   // kString
  kMap,      // kvlist of attributes
  kUInt32,   // kInt
  kFloat64,  // kDouble (kInt converted; absent: 0)
};
struct NestedPart {
  const char* key;
  PartKind kind;
};
std::span<const NestedPart> NestedPartsOf(Codec codec);

// A constant of `type`'s zero value (for UNION ALL members that lack a column).
std::string ZeroOf(const std::string& type);

// Quoting.
std::string Ident(std::string_view name);                            // `name` (backticks, escaped)
std::string Qualified(std::string_view db, std::string_view table);  // `db`.`table`
std::string StringLiteral(std::string_view s);                       // 'text' with \ and ' escaped

// The metric kind's name as in the MetricType column ("Gauge"...), and back.
const char* MetricTypeName(MetricTable t);
bool MetricTableOf(std::string_view metric_type, MetricTable* t);

}  // namespace otelstack::clickhouse::internal
