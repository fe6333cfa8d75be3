// MakeReadMapping: SQL expressions over the tables of CreateStatements, and
// the decoder of their RowBinary rows, from the column model of table_spec.h.
//
// Values the expressions give (they match query/execution/row_value.h except
// where noted):
//   - Timestamp columns: UInt64 ns; UInt64/Int64/Float64 columns as such;
//   - String columns as stored; Id columns: lowercase hex as stored;
//   - Body: its stored text form;
//   - Sum/Min/Max: the double's text form (as common/any_value_json.h renders
//     it: "1.0", "1e21", "NaN"), '' when absent; kModern stores absent Min/Max
//     as 0 (the exporter's schema has no NULLs), so they read "0.0" there;
//   - BucketCounts, ExplicitBounds, *BucketCounts, ValueAtQuantiles: their
//     JSON text;
//   - attribute maps (as whole columns), MetricMetadata, Events, Links and
//     Exemplars: '' (their JSON text with typed values cannot be rebuilt from
//     string-valued maps; use AttributeValue for map entries);
//   - metrics columns that a row's kind lacks: their zero value ('' for text).
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clickhouse/column_expression.h"
#include "clickhouse/row_binary.h"
#include "clickhouse/table_layout.h"
#include "clickhouse/table_spec.h"
#include "common/any_value.h"
#include "common/file_util.h"
#include "store/skip_index/skip_index.h"

namespace otelstack::clickhouse {

using internal::Codec;
using internal::Field;
using internal::Ident;
using internal::NestedPart;
using internal::PartKind;
using internal::StringLiteral;

namespace {

constexpr uint64_t kNsPerSecond = 1'000'000'000;

// The aliases of mapped columns inside a mapped table's inner subquery.
constexpr char kMappedPrefix[] = "__otelstack_mapped_";

// The text form of a Float64 expression, as any_value_json.h renders a
// double: ClickHouse's shortest round-trip digits, with ".0" added to
// integral values, and NaN/Infinity spelled as in JSON.
std::string DoubleText(const std::string& x) {
  std::string s = "toString(" + x + ")";
  return "multiIf(isNaN(" + x + "), 'NaN', isInfinite(" + x + "), if(" + x + " > 0, 'Infinity', '-Infinity'), " +
         "(position(" + s + ", '.') > 0) OR (position(" + s + ", 'e') > 0), " + s + ", concat(" + s + ", '.0'))";
}

std::string JsonArray(const std::string& element_text, const std::string& array) {
  return "concat('[', arrayStringConcat(arrayMap(x -> " + element_text + ", " + array + "), ','), ']')";
}

class TableReadMapping : public ReadMapping {
 public:
  // `mapped`: field name -> the mapped expression of each of its
  // SubColumns (already converted to their types).
  TableReadMapping(Signal signal, SchemaOptions options, const TableColumns* columns,
                   std::map<std::string, std::vector<std::string>> mapped = {})
      : signal_(signal),
        options_(std::move(options)),
        modern_(options_.layout == Layout::kModern),
        mapped_(std::move(mapped)) {
    if (columns != nullptr) columns_ = *columns;
    for (const Field& f : internal::FieldsOf(signal_)) {
      if (f.codec == Codec::kInsertId) continue;
      fields_.push_back(&f);
    }
    for (const Field* f : fields_) {
      if (f->column == kTimeColumn) time_field_ = f;
    }
  }

  Signal signal() const override { return signal_; }

  std::string From() const override {
    switch (signal_) {
      case Signal::kLogs:
        return TableOperand(options_.tables.logs);
      case Signal::kTraces:
        return TableOperand(options_.tables.traces);
      case Signal::kMetrics:
        break;
    }
    std::string sql = "(";
    for (MetricTable t : kAllMetricTables) {
      if (t != MetricTable::kGauge) sql += " UNION ALL ";
      bool complete;
      sql += Projection(options_.tables.Metric(t), t, &complete);
    }
    return sql + ")";
  }

  std::string TimeNs() const override { return TimeNsOf(*time_field_); }

  std::string TimeRange(uint64_t from_ns, uint64_t to_ns) const override {
    const std::string name = time_field_->name;
    uint64_t from_s = std::min<uint64_t>(from_ns / kNsPerSecond, UINT32_MAX);
    uint64_t to_s = std::min<uint64_t>(to_ns / kNsPerSecond, UINT32_MAX);
    std::string seconds_column = modern_ ? (signal_ == Signal::kLogs ? "TimestampTime" : "") : name;
    std::string sql = "(";
    if (!seconds_column.empty()) {
      sql += Ident(seconds_column) + " >= toDateTime(" + std::to_string(from_s) + ") AND " + Ident(seconds_column) +
             " <= toDateTime(" + std::to_string(to_s) + ") AND ";
    }
    if (modern_) {
      auto ns = [](uint64_t v) { return std::to_string(std::min<uint64_t>(v, INT64_MAX)); };
      sql += Ident(name) + " >= fromUnixTimestamp64Nano(toInt64(" + ns(from_ns) + ")) AND " + Ident(name) +
             " <= fromUnixTimestamp64Nano(toInt64(" + ns(to_ns) + ")))";
    } else {
      sql += Ident(name + "Ns") + " >= " + std::to_string(from_ns) + " AND " + Ident(name + "Ns") +
             " <= " + std::to_string(to_ns) + ")";
    }
    return sql;
  }

  std::string Column(size_t column) const override {
    const Field* f = FieldOf(column);
    if (f == nullptr) return "";
    const ColumnType type = SchemaOf(signal_)[column].type;
    const std::string name = Ident(f->name);
    std::string expr;
    switch (f->codec) {
      case Codec::kTime:
        return TimeNsOf(*f);
      case Codec::kUInt8:
      case Codec::kUInt32:
      case Codec::kUInt64:
      case Codec::kInt32:
      case Codec::kInt64:
      case Codec::kFloat64:
      case Codec::kBool:
        if (type == ColumnType::kInt64) return "toInt64(" + name + ")";
        if (type == ColumnType::kFloat64) return "toFloat64(" + name + ")";
        return "toUInt64(" + name + ")";
      case Codec::kString:
        return modern_ && f->low_cardinality ? "toString(" + name + ")" : name;
      case Codec::kId:
      case Codec::kAnyText:
      case Codec::kMetricType:
        return name;
      case Codec::kInsertId:
        return "";
      case Codec::kMap:
      case Codec::kEvents:
      case Codec::kLinks:
      case Codec::kExemplars:
        return "''";
      case Codec::kOptionalDouble:
        expr = modern_ ? DoubleText(name)
                       : "if(isNull(" + name + "), '', " + DoubleText("assumeNotNull(" + name + ")") + ")";
        break;
      case Codec::kIntArray:
        expr = JsonArray("toString(x)", name);
        break;
      case Codec::kDoubleArray:
        expr = JsonArray(DoubleText("x"), name);
        break;
      case Codec::kQuantiles:
        expr = "concat('[', arrayStringConcat(arrayMap((q, v) -> concat('{\"Quantile\":', " + DoubleText("q") +
               ", ',\"Value\":', " + DoubleText("v") + ", '}'), " + Ident(std::string(f->name) + ".Quantile") + ", " +
               Ident(std::string(f->name) + ".Value") + "), ','), ']')";
        break;
    }
    // A metrics text column that some kinds lack reads '' on their rows, as
    // the embedded store's unset value does.
    if (signal_ == Signal::kMetrics && f->tables != 0x1f) {
      std::string kinds;
      for (MetricTable t : kAllMetricTables) {
        if (!internal::HasField(*f, t)) continue;
        if (!kinds.empty()) kinds += ", ";
        kinds += StringLiteral(internal::MetricTypeName(t));
      }
      expr = "if(`MetricType` IN (" + kinds + "), " + expr + ", '')";
    }
    return expr;
  }

  std::string AttributeValue(size_t map_column, std::string_view key) const override {
    const Field* f = FieldOf(map_column);
    if (f == nullptr || f->codec != Codec::kMap) return "''";
    if (modern_) return Ident(f->name) + "[" + StringLiteral(key) + "]";
    return Ident(std::string(f->name) + ".values") + "[indexOf(" + Ident(std::string(f->name) + ".keys") + ", " +
           StringLiteral(key) + ")]";
  }

  std::string AttributeExists(size_t map_column, std::string_view key) const override {
    const Field* f = FieldOf(map_column);
    if (f == nullptr || f->codec != Codec::kMap) return "0";
    if (modern_) return "mapContains(" + Ident(f->name) + ", " + StringLiteral(key) + ")";
    return "has(" + Ident(std::string(f->name) + ".keys") + ", " + StringLiteral(key) + ")";
  }

  std::string TextValues() const override {
    const IndexedText& indexed = IndexedTextOf(signal_);
    std::string sql = "arrayConcat([";
    for (size_t i = 0; i < indexed.text_columns.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += "toString(" + Ident(FieldOf(indexed.text_columns[i])->name) + ")";
    }
    sql += "]";
    for (size_t map : indexed.attribute_maps) {
      const Field* f = FieldOf(map);
      sql += modern_ ? ", mapValues(" + Ident(f->name) + ")" : ", " + Ident(std::string(f->name) + ".values");
    }
    return sql + ")";
  }

  std::string RowSelectList() const override {
    std::string sql;
    for (const Field* f : fields_) {
      for (const internal::SubColumn& s : internal::SubColumns(*f, options_.layout)) {
        if (!sql.empty()) sql += ", ";
        sql += Ident(s.name);
      }
    }
    return sql;
  }

  Status DecodeRows(std::string_view data, RowBatch* batch) const override;

 private:
  // Whether `table` has `column` (true without column information, and for
  // a table not described: then ClickHouse names what is missing).
  bool Has(const std::string& table, const std::string& column) const {
    if (!columns_) return true;
    auto it = columns_->find(table);
    return it == columns_->end() || it->second.count(column) > 0;
  }

  // The FROM operand of a logs or traces table: the table itself, or when it
  // lacks some of our columns or has mapped ones, a subquery (Projection).
  std::string TableOperand(const std::string& table) const {
    bool complete;
    std::string select = Projection(table, std::nullopt, &complete);
    if (complete) return internal::Qualified(options_.database, table);
    return "(" + select + ")";
  }

  // "SELECT <every SubColumn under its name> FROM <table>" for one table
  // (`kind`: one of the metric tables, whose MetricType is a constant and
  // whose missing fields are zero values). Present columns are read as they
  // are, missing ones as zero values. Mapped columns come from an inner
  // subquery that computes them under reserved aliases: an expression may
  // name a table column that has the name of one of our columns (Body :=
  // JSONExtractString(Body, 'message')), which an alias of the same query
  // level would shadow. *complete: every column is present and unmapped.
  std::string Projection(const std::string& table, std::optional<MetricTable> kind, bool* complete) const {
    const std::string qualified = internal::Qualified(options_.database, table);
    std::string outer, inner;
    *complete = !kind.has_value();
    auto add = [](std::string* list, const std::string& expr) { *list += (list->empty() ? "" : ", ") + expr; };
    for (const Field* f : fields_) {
      auto mapped = mapped_.find(f->name);
      const std::vector<internal::SubColumn> subs = internal::SubColumns(*f, options_.layout);
      for (size_t i = 0; i < subs.size(); ++i) {
        const internal::SubColumn& s = subs[i];
        if (kind && f->codec == Codec::kMetricType) {
          add(&outer, StringLiteral(internal::MetricTypeName(*kind)) + " AS " + Ident(s.name));
        } else if (kind && !internal::HasField(*f, *kind)) {
          add(&outer, internal::ZeroOf(s.type) + " AS " + Ident(s.name));
        } else if (mapped != mapped_.end()) {
          *complete = false;
          add(&inner, mapped->second[i] + " AS " + Ident(kMappedPrefix + s.name));
          add(&outer, Ident(kMappedPrefix + s.name) + " AS " + Ident(s.name));
        } else if (Has(table, s.name)) {
          add(&inner, Ident(s.name));
          add(&outer, Ident(s.name));
        } else {
          *complete = false;
          add(&outer, internal::ZeroOf(s.type) + " AS " + Ident(s.name));
        }
      }
    }
    // TimeRange prunes on the modern logs table's TimestampTime.
    if (!*complete && modern_ && signal_ == Signal::kLogs) {
      if (mapped_.count("Timestamp") > 0) {
        add(&outer, "toDateTime(" + Ident(std::string(kMappedPrefix) + "Timestamp") + ") AS `TimestampTime`");
      } else if (Has(table, "TimestampTime")) {
        add(&inner, Ident("TimestampTime"));
        add(&outer, Ident("TimestampTime"));
      } else {
        add(&outer, "toDateTime(`Timestamp`) AS `TimestampTime`");
      }
    }
    if (mapped_.empty() || inner.empty()) return "SELECT " + outer + " FROM " + qualified;
    return "SELECT " + outer + " FROM (SELECT " + inner + " FROM " + qualified + ")";
  }

  const Field* FieldOf(size_t column) const {
    for (const Field* f : fields_) {
      if (f->column == column) return f;
    }
    return nullptr;
  }
  std::string TimeNsOf(const Field& f) const {
    if (modern_) return "toUInt64(toUnixTimestamp64Nano(" + Ident(f.name) + "))";
    return Ident(std::string(f.name) + "Ns");
  }

  Signal signal_;
  SchemaOptions options_;
  bool modern_;
  std::map<std::string, std::vector<std::string>> mapped_;  // see the constructor
  std::optional<TableColumns> columns_;                     // unset: every table has every column
  std::vector<const Field*> fields_;                        // without InsertId
  const Field* time_field_ = nullptr;
};

// ------------------------------------------------------------- decoding --

// Decodes one row's fields into a RowBatch row; scratch buffers are reused
// across rows.
class RowDecoder {
 public:
  RowDecoder(bool modern, RowBinaryReader* in) : modern_(modern), in_(in) {}

  // Reads the value of `f`; sets it in the current row of *batch when `set`.
  Status Decode(const Field& f, bool set, RowBatch* batch) {
    uint8_t u8;
    uint32_t u32;
    uint64_t u64;
    std::string_view s;
    switch (f.codec) {
      case Codec::kTime:
        if (!modern_ && !in_->U32(&u32)) return Truncated(f);
        if (!in_->U64(&u64)) return Truncated(f);
        if (set) batch->SetU64(f.column, u64);
        return Status::OK();
      case Codec::kUInt8:
      case Codec::kBool:
        if (!in_->U8(&u8)) return Truncated(f);
        if (set) batch->SetU64(f.column, f.codec == Codec::kBool ? (u8 != 0) : u8);
        return Status::OK();
      case Codec::kUInt32:
        if (!in_->U32(&u32)) return Truncated(f);
        if (set) batch->SetU64(f.column, u32);
        return Status::OK();
      case Codec::kInt32:
        if (!in_->U32(&u32)) return Truncated(f);
        if (set) batch->SetI64(f.column, static_cast<int32_t>(u32));
        return Status::OK();
      case Codec::kUInt64:
      case Codec::kInt64:
      case Codec::kFloat64:
      case Codec::kInsertId:
        if (!in_->U64(&u64)) return Truncated(f);
        if (set && f.column != internal::kNoColumn) batch->SetU64(f.column, u64);
        return Status::OK();
      case Codec::kString:
      case Codec::kMetricType:
        if (!in_->String(&s)) return Truncated(f);
        if (set) batch->SetBytes(f.column, s);
        return Status::OK();
      case Codec::kId:
        if (!in_->String(&s)) return Truncated(f);
        if (!HexDecode(s, &scratch_))
          return Status::Corruption("ClickHouse row: " + std::string(f.name) + " is not hex");
        if (set) batch->SetBytes(f.column, scratch_);
        return Status::OK();
      case Codec::kAnyText:
        if (!in_->String(&s)) return Truncated(f);
        scratch_.clear();
        anyvalue::AppendString(&scratch_, s);
        if (set) batch->SetBytes(f.column, scratch_);
        return Status::OK();
      case Codec::kMap:
        scratch_.clear();
        OTELSTACK_RETURN_IF_ERROR(ReadMap(f, &scratch_));
        if (set) batch->SetBytes(f.column, scratch_);
        return Status::OK();
      case Codec::kOptionalDouble: {
        bool null = false;
        if (!modern_) {
          if (!in_->U8(&u8)) return Truncated(f);
          null = u8 != 0;
        }
        double d = 0;
        if (!null && !in_->F64(&d)) return Truncated(f);
        scratch_.clear();
        null ? anyvalue::AppendEmpty(&scratch_) : anyvalue::AppendDouble(&scratch_, d);
        if (set) batch->SetBytes(f.column, scratch_);
        return Status::OK();
      }
      case Codec::kIntArray:
      case Codec::kDoubleArray: {
        if (!in_->Length(&u64)) return Truncated(f);
        scratch_.clear();
        size_t h = anyvalue::BeginArray(&scratch_);
        for (uint64_t i = 0; i < u64; ++i) {
          uint64_t v;
          if (!in_->U64(&v)) return Truncated(f);
          if (f.codec == Codec::kIntArray) {
            anyvalue::AppendInt(&scratch_, static_cast<int64_t>(v));
          } else {
            anyvalue::AppendDouble(&scratch_, std::bit_cast<double>(v));
          }
        }
        anyvalue::EndList(&scratch_, h, static_cast<uint32_t>(u64));
        if (set) batch->SetBytes(f.column, scratch_);
        return Status::OK();
      }
      case Codec::kEvents:
      case Codec::kLinks:
      case Codec::kExemplars:
      case Codec::kQuantiles:
        OTELSTACK_RETURN_IF_ERROR(ReadNested(f));
        if (set) batch->SetBytes(f.column, scratch_);
        return Status::OK();
    }
    return Status::OK();
  }

 private:
  static Status Truncated(const Field& f) {
    return Status::Corruption("ClickHouse row: truncated or malformed " + std::string(f.name));
  }

  // Reads Array(String) into `out` (appending).
  bool ReadStrings(std::vector<std::string_view>* out) {
    uint64_t n;
    if (!in_->Length(&n)) return false;
    for (uint64_t i = 0; i < n; ++i) {
      std::string_view s;
      if (!in_->String(&s)) return false;
      out->push_back(s);
    }
    return true;
  }

  // Appends a kvlist of string values built from parallel keys/values.
  static void AppendKvList(std::span<const std::string_view> keys, std::span<const std::string_view> values,
                           std::string* out) {
    size_t h = anyvalue::BeginKvList(out);
    for (size_t i = 0; i < keys.size(); ++i) {
      anyvalue::AppendKey(out, keys[i]);
      anyvalue::AppendString(out, values[i]);
    }
    anyvalue::EndList(out, h, static_cast<uint32_t>(keys.size()));
  }

  // One map (modern Map; compat keys array then values array) into a kvlist.
  Status ReadMap(const Field& f, std::string* out) {
    keys_.clear();
    values_.clear();
    if (modern_) {
      uint64_t n;
      if (!in_->Length(&n)) return Truncated(f);
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view k, v;
        if (!in_->String(&k) || !in_->String(&v)) return Truncated(f);
        keys_.push_back(k);
        values_.push_back(v);
      }
    } else if (!ReadStrings(&keys_) || !ReadStrings(&values_)) {
      return Truncated(f);
    }
    if (keys_.size() != values_.size())
      return Status::Corruption("ClickHouse row: " + std::string(f.name) + " keys and values differ in length");
    AppendKvList(keys_, values_, out);
    return Status::OK();
  }

  // The columns of one nested part, for every item.
  struct Part {
    std::vector<uint64_t> numbers;             // kTimeNs, kUInt32, kFloat64 (bits)
    std::vector<std::string_view> strings;     // kString; kMap: flat keys
    std::vector<std::string_view> map_values;  // kMap: flat values
    std::vector<uint32_t> map_ends;            // kMap: end of each item's entries
  };

  Status ReadNestedMaps(const Field& f, Part* p) {
    uint64_t n;
    if (modern_) {
      if (!in_->Length(&n)) return Truncated(f);
      for (uint64_t i = 0; i < n; ++i) {
        uint64_t m;
        if (!in_->Length(&m)) return Truncated(f);
        for (uint64_t j = 0; j < m; ++j) {
          std::string_view k, v;
          if (!in_->String(&k) || !in_->String(&v)) return Truncated(f);
          p->strings.push_back(k);
          p->map_values.push_back(v);
        }
        p->map_ends.push_back(static_cast<uint32_t>(p->strings.size()));
      }
      return Status::OK();
    }
    // Compat: Array(Array(String)) of keys, then of values.
    if (!in_->Length(&n)) return Truncated(f);
    for (uint64_t i = 0; i < n; ++i) {
      if (!ReadStrings(&p->strings)) return Truncated(f);
      p->map_ends.push_back(static_cast<uint32_t>(p->strings.size()));
    }
    uint64_t n_values;
    if (!in_->Length(&n_values) || n_values != n) return Truncated(f);
    for (uint64_t i = 0; i < n; ++i) {
      if (!ReadStrings(&p->map_values) || p->map_values.size() != p->map_ends[i]) return Truncated(f);
    }
    return Status::OK();
  }

  // Reads every array of a nested field and rebuilds our kAny array of
  // kvlists in scratch_.
  Status ReadNested(const Field& f) {
    std::span<const NestedPart> parts = internal::NestedPartsOf(f.codec);
    parts_.resize(std::max(parts_.size(), parts.size()));
    size_t items = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      Part& p = parts_[i];
      p.numbers.clear();
      p.strings.clear();
      p.map_values.clear();
      p.map_ends.clear();
      size_t count = 0;
      if (parts[i].kind == PartKind::kMap) {
        OTELSTACK_RETURN_IF_ERROR(ReadNestedMaps(f, &p));
        count = p.map_ends.size();
      } else {
        uint64_t n;
        if (!in_->Length(&n)) return Truncated(f);
        for (uint64_t j = 0; j < n; ++j) {
          uint64_t v = 0;
          uint32_t v32 = 0;
          std::string_view s;
          bool ok = true;
          switch (parts[i].kind) {
            case PartKind::kString:
              ok = in_->String(&s);
              p.strings.push_back(s);
              break;
            case PartKind::kUInt32:
              ok = in_->U32(&v32);
              p.numbers.push_back(v32);
              break;
            default:
              ok = in_->U64(&v);
              p.numbers.push_back(v);
              break;
          }
          if (!ok) return Truncated(f);
        }
        count = n;
      }
      if (i > 0 && count != items) {
        return Status::Corruption("ClickHouse row: arrays of " + std::string(f.name) + " differ in length");
      }
      items = count;
    }
    scratch_.clear();
    size_t list = anyvalue::BeginArray(&scratch_);
    for (size_t item = 0; item < items; ++item) {
      size_t kv = anyvalue::BeginKvList(&scratch_);
      for (size_t i = 0; i < parts.size(); ++i) {
        const Part& p = parts_[i];
        anyvalue::AppendKey(&scratch_, parts[i].key);
        switch (parts[i].kind) {
          case PartKind::kTimeNs:
          case PartKind::kUInt32:
            anyvalue::AppendInt(&scratch_, static_cast<int64_t>(p.numbers[item]));
            break;
          case PartKind::kFloat64:
            anyvalue::AppendDouble(&scratch_, std::bit_cast<double>(p.numbers[item]));
            break;
          case PartKind::kString:
            anyvalue::AppendString(&scratch_, p.strings[item]);
            break;
          case PartKind::kMap: {
            uint32_t begin = item == 0 ? 0 : p.map_ends[item - 1];
            uint32_t end = p.map_ends[item];
            AppendKvList(std::span(p.strings).subspan(begin, end - begin),
                         std::span(p.map_values).subspan(begin, end - begin), &scratch_);
            break;
          }
        }
      }
      anyvalue::EndList(&scratch_, kv, static_cast<uint32_t>(parts.size()));
    }
    anyvalue::EndList(&scratch_, list, static_cast<uint32_t>(items));
    return Status::OK();
  }

  bool modern_;
  RowBinaryReader* in_;
  std::string scratch_;
  std::vector<std::string_view> keys_, values_;
  std::vector<Part> parts_;
};

Status TableReadMapping::DecodeRows(std::string_view data, RowBatch* batch) const {
  if (batch->signal() != signal_) return Status::InvalidArgument("DecodeRows: a batch of another signal");
  RowBinaryReader in(data);
  RowDecoder decoder(modern_, &in);
  while (!in.done()) {
    MetricTable kind = MetricTable::kGauge;
    for (const Field* f : fields_) {
      Status s;
      if (f->codec == Codec::kMetricType) {
        // First in the list: it decides which of the other fields the row has.
        std::string_view type;
        if (!in.String(&type) || !internal::MetricTableOf(type, &kind)) {
          s = Status::Corruption("ClickHouse row: bad MetricType");
        } else {
          batch->SetBytes(f->column, type);
        }
      } else {
        bool set = signal_ != Signal::kMetrics || internal::HasField(*f, kind);
        s = decoder.Decode(*f, set, batch);
      }
      if (!s.ok()) {
        batch->AbandonRow();
        return s.WithContext("row " + std::to_string(batch->rows()));
      }
    }
    batch->FinishRow();
  }
  return Status::OK();
}

}  // namespace

std::unique_ptr<ReadMapping> MakeReadMapping(Signal signal, const SchemaOptions& options, const TableColumns* columns) {
  return std::make_unique<TableReadMapping>(signal, options, columns);
}

namespace {

// The expressions of `f`'s SubColumns in `layout` computed from the user
// expression `e` (see MakeMappedReadMapping); InvalidArgument when `f`
// cannot be mapped.
StatusOr<std::vector<std::string>> ConvertedExpressions(const Field& f, Signal signal, const std::string& user,
                                                        Layout layout, int duration_precision) {
  const bool modern = layout == Layout::kModern;
  const std::string e = "(" + user + ")";
  switch (f.codec) {
    case Codec::kTime:
      if (modern) return std::vector<std::string>{"toDateTime64(" + e + ", 9)"};
      return std::vector<std::string>{"toDateTime(" + e + ")",
                                      "toUInt64(toDateTime(" + e + ")) * " + std::to_string(kNsPerSecond)};
    case Codec::kUInt8:
    case Codec::kUInt32:
    case Codec::kUInt64:
    case Codec::kInt32:
    case Codec::kInt64:
    case Codec::kFloat64: {
      const std::string type = internal::SubColumns(f, layout)[0].type;
      if (signal == Signal::kTraces && f.column == traces_col::kDuration && duration_precision != 9) {
        std::string factor = "1";
        factor.append(static_cast<size_t>(9 - duration_precision), '0');
        return std::vector<std::string>{"toUInt64(round(" + e + " * " + factor + "))"};
      }
      return std::vector<std::string>{"to" + type + "(" + e + ")"};
    }
    case Codec::kString:
    case Codec::kAnyText:
      return std::vector<std::string>{"toString(" + e + ")"};
    case Codec::kId: {
      const std::string hex = "lower(toString(" + e + "))";
      return std::vector<std::string>{"if(match(" + hex + ", '^([0-9a-f][0-9a-f])*$'), " + hex + ", '')"};
    }
    case Codec::kMap: {
      if (modern) return std::vector<std::string>{"CAST(" + e + " AS Map(String, String))"};
      const std::string keys = "tupleElement(" + e + ", 1)";
      const std::string values = "tupleElement(" + e + ", 2)";
      const std::string n = "least(length(" + keys + "), length(" + values + "))";
      return std::vector<std::string>{"arrayMap(x -> toString(x), arraySlice(" + keys + ", 1, " + n + "))",
                                      "arrayMap(x -> toString(x), arraySlice(" + values + ", 1, " + n + "))"};
    }
    default:
      break;
  }
  return Status::InvalidArgument(std::string(f.name) + ": this column cannot be mapped to an expression");
}

}  // namespace

StatusOr<std::unique_ptr<ReadMapping>> MakeMappedReadMapping(Signal signal, const SchemaOptions& options,
                                                             const TableColumns* columns,
                                                             const ColumnMapping& mapping) {
  if (mapping.duration_precision < 0 || mapping.duration_precision > 9) {
    return Status::InvalidArgument("duration precision: must be 0 to 9, got " +
                                   std::to_string(mapping.duration_precision));
  }
  const std::span<const ColumnDef> schema = SchemaOf(signal);
  std::map<std::string, std::vector<std::string>> mapped;
  for (const auto& [column, expression] : mapping.expressions) {
    if (column >= schema.size()) {
      return Status::InvalidArgument("column " + std::to_string(column) + ": not a column of " +
                                     std::string(SignalName(signal)));
    }
    const Field* field = nullptr;
    for (const Field& f : internal::FieldsOf(signal)) {
      if (f.column == column) field = &f;
    }
    const std::string name = field != nullptr ? field->name : std::string(schema[column].name);
    if (field == nullptr) return Status::InvalidArgument(name + ": this column cannot be mapped to an expression");
    OTELSTACK_RETURN_IF_ERROR(CheckColumnExpression(expression).WithContext(name));
    if (IsColumnName(expression, field->name)) continue;
    auto converted = ConvertedExpressions(*field, signal, expression, options.layout, mapping.duration_precision);
    if (!converted.ok()) return converted.status();
    mapped[field->name] = std::move(*converted);
  }
  return std::unique_ptr<ReadMapping>(std::make_unique<TableReadMapping>(signal, options, columns, std::move(mapped)));
}

StatusOr<TableColumns> DescribeTables(const Client& client, const SchemaOptions& options) {
  std::string tables = StringLiteral(options.tables.logs) + ", " + StringLiteral(options.tables.traces);
  for (MetricTable t : kAllMetricTables) tables += ", " + StringLiteral(options.tables.Metric(t));
  std::string body;
  OTELSTACK_RETURN_IF_ERROR(
      client
          .Query("SELECT table, name FROM system.columns WHERE database = " + StringLiteral(options.database) +
                     " AND table IN (" + tables + ") FORMAT TabSeparated",
                 {}, &body)
          .WithContext("listing the columns of the otel tables"));
  TableColumns out;
  // Table and column names are plain identifiers here; TabSeparated would
  // escape only tabs, newlines and backslashes, which they do not contain.
  for (const auto& fields : SplitTabSeparated(body)) {
    if (fields.size() == 2) out[std::string(fields[0])].insert(std::string(fields[1]));
  }
  return out;
}

}  // namespace otelstack::clickhouse
