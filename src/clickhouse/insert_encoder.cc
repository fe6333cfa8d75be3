// EncodeInserts: RowBatch rows into RowBinary INSERT bodies, one per
// destination table, driven by the column model of table_spec.h.
//
// Hot path: every value is appended straight into the table's body (one
// std::string per table, reused from *out across calls); the only scratch
// buffer is the text form of non-string attribute values.
#include <algorithm>
#include <string>
#include <vector>

#include "clickhouse/row_binary.h"
#include "clickhouse/table_layout.h"
#include "clickhouse/table_spec.h"
#include "common/any_value.h"
#include "common/any_value_json.h"

namespace otelstack::clickhouse {

using internal::Codec;
using internal::Field;
using internal::NestedPart;
using internal::PartKind;

namespace {

constexpr uint64_t kNsPerSecond = 1'000'000'000;

Status Corrupt(const Field& f, size_t row, const Status& s) {
  return Status::Corruption("encode " + std::string(f.name) + " of row " + std::to_string(row) + ": " + s.message());
}

// Looks up `key` in a decoded kvlist.
bool FindIn(const anyvalue::Value& kv, std::string_view key, anyvalue::Value* out) {
  if (kv.tag != anyvalue::Tag::kKvList) return false;
  anyvalue::ListReader items(kv);
  std::string_view k;
  while (items.Next(&k, out)) {
    if (k == key) return true;
  }
  return false;
}

class RowEncoder {
 public:
  explicit RowEncoder(Layout layout) : modern_(layout == Layout::kModern) {}

  Status Encode(const Field& f, const RowBatch& b, size_t row, uint64_t insert_id, std::string* out) {
    switch (f.codec) {
      case Codec::kTime: {
        uint64_t ns = b.U64(f.column, row);
        if (!modern_) PutU32(out, static_cast<uint32_t>(std::min<uint64_t>(ns / kNsPerSecond, UINT32_MAX)));
        PutU64(out, ns);
        return Status::OK();
      }
      case Codec::kUInt8:
        PutU8(out, static_cast<uint8_t>(b.U64(f.column, row)));
        return Status::OK();
      case Codec::kUInt32:
      case Codec::kInt32:
        PutU32(out, static_cast<uint32_t>(b.U64(f.column, row)));
        return Status::OK();
      case Codec::kUInt64:
      case Codec::kInt64:
      case Codec::kFloat64:  // the slot holds the IEEE bits
        PutU64(out, b.U64(f.column, row));
        return Status::OK();
      case Codec::kBool:
        PutU8(out, b.U64(f.column, row) != 0 ? 1 : 0);
        return Status::OK();
      case Codec::kString:
        PutString(out, b.Bytes(f.column, row));
        return Status::OK();
      case Codec::kId:
        PutHexString(out, b.Bytes(f.column, row));
        return Status::OK();
      case Codec::kInsertId:
        PutU64(out, insert_id);
        return Status::OK();
      case Codec::kMetricType:
        return Status::OK();  // implied by the table
      case Codec::kAnyText: {
        std::string_view encoded = b.Bytes(f.column, row);
        anyvalue::Value v;
        if (!encoded.empty()) {
          Status s = anyvalue::ParseWhole(encoded, &v);
          if (!s.ok()) return Corrupt(f, row, s);
        }
        PutValueText(v, out);
        return Status::OK();
      }
      case Codec::kMap: {
        anyvalue::Value map;
        Status s = ParseMap(b.Bytes(f.column, row), &map);
        if (s.ok()) s = PutMap(map, out);
        return s.ok() ? s : Corrupt(f, row, s);
      }
      case Codec::kOptionalDouble: {
        std::string_view encoded = b.Bytes(f.column, row);
        anyvalue::Value v;
        if (!encoded.empty()) {
          Status s = anyvalue::ParseWhole(encoded, &v);
          if (!s.ok()) return Corrupt(f, row, s);
        }
        bool present = v.tag == anyvalue::Tag::kDouble || v.tag == anyvalue::Tag::kInt;
        double d = v.tag == anyvalue::Tag::kInt ? static_cast<double>(v.i) : v.d;
        if (modern_) {
          PutF64(out, present ? d : 0.0);
        } else if (present) {
          PutU8(out, 0);
          PutF64(out, d);
        } else {
          PutU8(out, 1);
        }
        return Status::OK();
      }
      case Codec::kIntArray:
      case Codec::kDoubleArray: {
        anyvalue::Value list;
        Status s = ParseList(b.Bytes(f.column, row), anyvalue::Tag::kArray, &list);
        if (!s.ok()) return Corrupt(f, row, s);
        PutLength(out, list.count);
        anyvalue::ListReader items(list);
        std::string_view key;
        anyvalue::Value item;
        const bool ints = f.codec == Codec::kIntArray;
        while (items.Next(&key, &item)) {
          if (ints) {
            PutU64(out,
                   item.tag == anyvalue::Tag::kDouble ? static_cast<uint64_t>(item.d) : static_cast<uint64_t>(item.i));
          } else {
            PutF64(out, item.tag == anyvalue::Tag::kInt ? static_cast<double>(item.i) : item.d);
          }
        }
        return items.status().ok() ? Status::OK() : Corrupt(f, row, items.status());
      }
      case Codec::kEvents:
      case Codec::kLinks:
      case Codec::kExemplars:
      case Codec::kQuantiles: {
        Status s = PutNested(f, b.Bytes(f.column, row), out);
        return s.ok() ? s : Corrupt(f, row, s);
      }
    }
    return Status::OK();
  }

 private:
  // Parses an encoded list of kind `tag`; empty bytes or another value is
  // an empty list (count 0).
  static Status ParseList(std::string_view encoded, anyvalue::Tag tag, anyvalue::Value* out) {
    *out = anyvalue::Value();
    if (encoded.empty()) return Status::OK();
    OTELSTACK_RETURN_IF_ERROR(anyvalue::ParseListHead(encoded, out));
    if (out->tag != tag) *out = anyvalue::Value();
    return Status::OK();
  }
  static Status ParseMap(std::string_view encoded, anyvalue::Value* out) {
    return ParseList(encoded, anyvalue::Tag::kKvList, out);
  }

  // The text form of an AnyValue as a RowBinary String.
  void PutValueText(const anyvalue::Value& v, std::string* out) {
    if (v.tag == anyvalue::Tag::kString) return PutString(out, v.str);
    scratch_.clear();
    if (!anyvalue::AppendAnyText(v, &scratch_).ok()) scratch_.clear();
    PutString(out, scratch_);
  }

  enum class MapPart : uint8_t { kWhole, kKeys, kValues };
  // One map in RowBinary: modern a Map (count, then key/value pairs);
  // compat either its keys or its values array.
  Status PutMapPart(const anyvalue::Value& map, MapPart part, std::string* out) {
    PutLength(out, map.count);
    anyvalue::ListReader items(map);
    std::string_view key;
    anyvalue::Value item;
    while (items.Next(&key, &item)) {
      if (part != MapPart::kValues) PutString(out, key);
      if (part != MapPart::kKeys) PutValueText(item, out);
    }
    return items.status();
  }
  Status PutMap(const anyvalue::Value& map, std::string* out) {
    if (modern_) return PutMapPart(map, MapPart::kWhole, out);
    OTELSTACK_RETURN_IF_ERROR(PutMapPart(map, MapPart::kKeys, out));
    return PutMapPart(map, MapPart::kValues, out);
  }

  // One array per nested part (compat maps: two), each walking the items.
  Status PutNested(const Field& f, std::string_view encoded, std::string* out) {
    anyvalue::Value list;
    OTELSTACK_RETURN_IF_ERROR(ParseList(encoded, anyvalue::Tag::kArray, &list));
    for (const NestedPart& p : internal::NestedPartsOf(f.codec)) {
      const int passes = p.kind == PartKind::kMap && !modern_ ? 2 : 1;
      for (int pass = 0; pass < passes; ++pass) {
        PutLength(out, list.count);
        anyvalue::ListReader items(list);
        std::string_view unused_key;
        anyvalue::Value item, v;
        while (items.Next(&unused_key, &item)) {
          if (!FindIn(item, p.key, &v)) v = anyvalue::Value();
          switch (p.kind) {
            case PartKind::kTimeNs:  // Int64 (modern) and UInt64 (compat) have the same bytes
              PutU64(out, static_cast<uint64_t>(v.i));
              break;
            case PartKind::kString:
              PutValueText(v, out);
              break;
            case PartKind::kUInt32:
              PutU32(out, static_cast<uint32_t>(v.i));
              break;
            case PartKind::kFloat64:
              PutF64(out, v.tag == anyvalue::Tag::kInt ? static_cast<double>(v.i) : v.d);
              break;
            case PartKind::kMap: {
              if (v.tag != anyvalue::Tag::kKvList) v = anyvalue::Value();
              MapPart part = modern_ ? MapPart::kWhole : pass == 0 ? MapPart::kKeys : MapPart::kValues;
              OTELSTACK_RETURN_IF_ERROR(PutMapPart(v, part, out));
              break;
            }
          }
        }
        OTELSTACK_RETURN_IF_ERROR(items.status());
      }
    }
    return Status::OK();
  }

  bool modern_;
  std::string scratch_;
};

// The fields stored in a table (metrics: those of `metric`), in order.
std::vector<const Field*> StoredFields(Signal signal, const MetricTable* metric) {
  std::vector<const Field*> fields;
  for (const Field& f : internal::FieldsOf(signal)) {
    if (f.codec == Codec::kMetricType) continue;
    if (metric != nullptr && !internal::HasField(f, *metric)) continue;
    fields.push_back(&f);
  }
  return fields;
}

std::string InsertSql(const SchemaOptions& o, const std::string& table, const std::vector<const Field*>& fields) {
  std::string sql = "INSERT INTO " + internal::Qualified(o.database, table) + " (";
  bool first = true;
  for (const Field* f : fields) {
    for (const internal::SubColumn& s : internal::SubColumns(*f, o.layout)) {
      if (!first) sql += ", ";
      first = false;
      sql += internal::Ident(s.name);
    }
  }
  return sql + ") FORMAT RowBinary";
}

// One destination table being filled.
struct Destination {
  std::vector<const Field*> fields;
  InsertBatch* batch = nullptr;
};

}  // namespace

Status EncodeInserts(Signal signal, const std::vector<const RowBatch*>& batches,
                     const std::vector<uint64_t>& insert_ids, const SchemaOptions& options,
                     std::vector<InsertBatch>* out, uint64_t* skipped) {
  if (batches.size() != insert_ids.size()) {
    return Status::InvalidArgument("EncodeInserts: " + std::to_string(batches.size()) + " batches but " +
                                   std::to_string(insert_ids.size()) + " insert ids");
  }
  if (skipped != nullptr) *skipped = 0;
  for (const RowBatch* b : batches) {
    if (b->signal() != signal) return Status::InvalidArgument("EncodeInserts: a batch of another signal");
  }
  // Reuse the bodies of a previous call: after the first few calls, encoding
  // allocates nothing.
  std::vector<InsertBatch> previous = std::move(*out);
  out->clear();
  out->reserve(5);
  auto make_batch = [&](const std::string& table, const std::vector<const Field*>& fields) {
    InsertBatch batch;
    for (InsertBatch& p : previous) {
      if (p.table == table) {
        batch.data = std::move(p.data);
        batch.sql = std::move(p.sql);
        p.table.clear();
        break;
      }
    }
    batch.data.clear();
    batch.table = table;
    batch.sql = InsertSql(options, table, fields);
    batch.rows = 0;
    out->push_back(std::move(batch));
  };

  RowEncoder encoder(options.layout);
  if (signal != Signal::kMetrics) {
    const std::string& table = signal == Signal::kLogs ? options.tables.logs : options.tables.traces;
    std::vector<const Field*> fields = StoredFields(signal, nullptr);
    size_t total_rows = 0;
    for (const RowBatch* b : batches) total_rows += b->rows();
    if (total_rows == 0) return Status::OK();
    make_batch(table, fields);
    InsertBatch& batch = out->back();
    for (size_t i = 0; i < batches.size(); ++i) {
      const RowBatch& b = *batches[i];
      for (size_t row = 0; row < b.rows(); ++row) {
        for (const Field* f : fields) OTELSTACK_RETURN_IF_ERROR(encoder.Encode(*f, b, row, insert_ids[i], &batch.data));
      }
      batch.rows += b.rows();
    }
    return Status::OK();
  }

  // Metrics: one body per kind, created when its first row comes.
  constexpr size_t kKinds = std::size(kAllMetricTables);
  std::vector<const Field*> fields[kKinds];
  int index[kKinds];  // into *out, -1 until used
  for (size_t k = 0; k < kKinds; ++k) {
    fields[k] = StoredFields(signal, &kAllMetricTables[k]);
    index[k] = -1;
  }
  for (size_t i = 0; i < batches.size(); ++i) {
    const RowBatch& b = *batches[i];
    for (size_t row = 0; row < b.rows(); ++row) {
      MetricTable kind;
      if (!internal::MetricTableOf(b.Bytes(metrics_col::kMetricType, row), &kind)) {
        if (skipped != nullptr) ++*skipped;
        continue;
      }
      size_t k = static_cast<size_t>(kind);
      if (index[k] < 0) {
        index[k] = static_cast<int>(out->size());
        make_batch(options.tables.Metric(kind), fields[k]);
      }
      InsertBatch& batch = (*out)[index[k]];
      for (const Field* f : fields[k])
        OTELSTACK_RETURN_IF_ERROR(encoder.Encode(*f, b, row, insert_ids[i], &batch.data));
      ++batch.rows;
    }
  }
  return Status::OK();
}

}  // namespace otelstack::clickhouse
