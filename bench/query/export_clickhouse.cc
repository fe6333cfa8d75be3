// otelstack-export-clickhouse: writes every stored row of one signal of an
// otelstack data directory as ClickHouse TabSeparated text on stdout, for the
// query benchmark (bench/query/run_query_bench.sh) to load the same rows into
// ClickHouse.
//
// Contract:
//   --columns prints the ClickHouse column list (comma separated) that the
//   rows follow, for `INSERT INTO t (<list>) FORMAT TabSeparated`; the table
//   definitions are in bench/query/clickhouse_schema.sql.
//   Without it, prints one line per row: parts granule by granule (all
//   columns), then the rows of the WAL not yet in parts. The row count goes
//   to stderr ("rows=N"). Exit 1 on a read error, 2 on usage errors.
//
// Column mapping (schema order of store/schema/schema.h):
//   Timestamp/UInt64/Int64/Float64 -> decimal text
//   String                         -> text
//   Id                             -> raw bytes (FixedString(16/8); empty -> zero bytes)
//   *Attributes maps (Any kvlist)  -> two columns <Name>Keys, <Name>Values: Array(String),
//                                     values in their search text form (any_value_json.h)
//   Events (traces)                -> EventsTimestamp Array(UInt64), EventsName Array(String),
//                                     EventsAttributes Array(String) (JSON objects)
//   other Any (Body, Links)        -> text form (strings as they are, the rest as JSON)
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <span>
#include <string>
#include <vector>

#include "common/any_value.h"
#include "common/any_value_json.h"
#include "ingest/ingest_service.h"
#include "store/schema/schema.h"
#include "store/snapshot.h"

namespace otelstack::bench {
namespace {

bool IsAttributeMap(std::string_view name) {
  return name.size() >= 10 && name.substr(name.size() - 10) == "Attributes";
}

// ClickHouse's escaping of a TabSeparated field.
void AppendEscaped(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\0':
        out->append("\\0");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        out->push_back(c);
    }
  }
}

// An array element: a single-quoted string, escaped as ClickHouse's quoted
// text (the whole array is one TSV field, so no raw tab/newline either).
void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('\'');
  for (char c : s) {
    if (c == '\'') {
      out->append("\\'");
    } else {
      char one[1] = {c};
      AppendEscaped(std::string_view(one, 1), out);
    }
  }
  out->push_back('\'');
}

Status AnyText(std::string_view encoded, std::string* out) {
  out->clear();
  if (encoded.empty()) return Status::OK();
  anyvalue::Value v;
  OTELSTACK_RETURN_IF_ERROR(anyvalue::ParseWhole(encoded, &v));
  return anyvalue::AppendAnyText(v, out);
}

// keys and values arrays of an attribute map, as two TSV fields.
Status AppendMap(std::string_view encoded, std::string* out, std::string* scratch) {
  std::vector<std::pair<std::string_view, anyvalue::Value>> items;
  if (!encoded.empty()) {
    anyvalue::Value map;
    OTELSTACK_RETURN_IF_ERROR(anyvalue::ParseWhole(encoded, &map));
    if (map.tag == anyvalue::Tag::kKvList) {
      anyvalue::ListReader reader(map);
      std::string_view key;
      anyvalue::Value value;
      while (reader.Next(&key, &value)) items.emplace_back(key, value);
      OTELSTACK_RETURN_IF_ERROR(reader.status());
    }
  }
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendQuoted(items[i].first, out);
  }
  out->append("]\t[");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    scratch->clear();
    OTELSTACK_RETURN_IF_ERROR(anyvalue::AppendAnyText(items[i].second, scratch));
    AppendQuoted(*scratch, out);
  }
  out->push_back(']');
  return Status::OK();
}

// Events: an array of kvlists {Timestamp, Name, Attributes, DroppedAttributesCount}.
Status AppendEvents(std::string_view encoded, std::string* out, std::string* scratch) {
  std::string times = "[", names = "[", attrs = "[";
  if (!encoded.empty()) {
    anyvalue::Value list;
    OTELSTACK_RETURN_IF_ERROR(anyvalue::ParseWhole(encoded, &list));
    anyvalue::ListReader events(list);
    std::string_view unused_key;
    anyvalue::Value event;
    bool first = true;
    while (events.Next(&unused_key, &event)) {
      if (!first) {
        times.push_back(',');
        names.push_back(',');
        attrs.push_back(',');
      }
      first = false;
      anyvalue::Value field;
      int64_t ts = 0;
      std::string_view name;
      scratch->clear();
      if (event.tag == anyvalue::Tag::kKvList) {
        anyvalue::ListReader fields(event);
        std::string_view key;
        while (fields.Next(&key, &field)) {
          if (key == "Timestamp") ts = field.i;
          if (key == "Name") name = field.str;
          if (key == "Attributes") OTELSTACK_RETURN_IF_ERROR(anyvalue::AppendAnyText(field, scratch));
        }
        OTELSTACK_RETURN_IF_ERROR(fields.status());
      }
      times += std::to_string(static_cast<uint64_t>(ts));
      AppendQuoted(name, &names);
      AppendQuoted(*scratch, &attrs);
    }
    OTELSTACK_RETURN_IF_ERROR(events.status());
  }
  out->append(times).append("]\t").append(names).append("]\t").append(attrs).push_back(']');
  return Status::OK();
}

std::vector<std::string> ColumnNames(Signal signal) {
  std::vector<std::string> names;
  for (const ColumnDef& c : SchemaOf(signal)) {
    if (c.type == ColumnType::kAny && IsAttributeMap(c.name)) {
      names.push_back(std::string(c.name) + "Keys");
      names.push_back(std::string(c.name) + "Values");
    } else if (c.type == ColumnType::kAny && c.name == "Events") {
      names.insert(names.end(), {"EventsTimestamp", "EventsName", "EventsAttributes"});
    } else {
      names.emplace_back(c.name);
    }
  }
  return names;
}

class RowWriter {
 public:
  explicit RowWriter(Signal signal) : schema_(SchemaOf(signal)) {}

  Status Write(const RowBatch& batch, size_t row) {
    line_.clear();
    for (size_t col = 0; col < schema_.size(); ++col) {
      if (col > 0) line_.push_back('\t');
      const ColumnDef& def = schema_[col];
      switch (def.type) {
        case ColumnType::kTimestamp:
        case ColumnType::kUInt64:
          line_ += std::to_string(batch.U64(col, row));
          break;
        case ColumnType::kInt64:
          line_ += std::to_string(static_cast<int64_t>(batch.U64(col, row)));
          break;
        case ColumnType::kFloat64: {
          uint64_t bits = batch.U64(col, row);
          double d;
          std::memcpy(&d, &bits, sizeof d);
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.17g", d);
          line_ += buf;
          break;
        }
        case ColumnType::kString:
        case ColumnType::kId:
          AppendEscaped(batch.Bytes(col, row), &line_);
          break;
        case ColumnType::kAny: {
          std::string_view v = batch.Bytes(col, row);
          Status s;
          if (IsAttributeMap(def.name)) {
            s = AppendMap(v, &line_, &scratch_);
          } else if (def.name == "Events") {
            s = AppendEvents(v, &line_, &scratch_);
          } else {
            s = AnyText(v, &text_);
            AppendEscaped(text_, &line_);
          }
          if (!s.ok()) return s.WithContext(std::string("column ") + std::string(def.name));
          break;
        }
      }
    }
    line_.push_back('\n');
    if (std::fwrite(line_.data(), 1, line_.size(), stdout) != line_.size()) return Status::IOError("stdout");
    ++rows_;
    return Status::OK();
  }

  uint64_t rows() const { return rows_; }

 private:
  std::span<const ColumnDef> schema_;
  std::string line_, scratch_, text_;
  uint64_t rows_ = 0;
};

int Run(const std::string& data_dir, Signal signal) {
  StoreSnapshot snapshot;
  Status s = LoadSnapshot(data_dir + "/store", ingest::DecodeWalEntry, signal, &snapshot);
  if (!s.ok()) {
    std::cerr << "export_clickhouse: " << s.ToString() << "\n";
    return 1;
  }
  RowWriter writer(signal);
  std::vector<size_t> all_columns(SchemaOf(signal).size());
  for (size_t i = 0; i < all_columns.size(); ++i) all_columns[i] = i;
  RowBatch batch(signal);
  for (const StoreSnapshot::Part& part : snapshot.parts) {
    for (size_t g = 0; g < part.reader->granule_count() && s.ok(); ++g) {
      s = part.reader->ReadGranule(g, all_columns, &batch);
      for (size_t r = 0; s.ok() && r < batch.rows(); ++r) s = writer.Write(batch, r);
    }
    if (!s.ok()) {
      std::cerr << "export_clickhouse: " << part.reader->path() << ": " << s.ToString() << "\n";
      return 1;
    }
  }
  for (const auto& unflushed : snapshot.unflushed) {
    for (size_t r = 0; s.ok() && r < unflushed->rows(); ++r) s = writer.Write(*unflushed, r);
  }
  if (!s.ok()) {
    std::cerr << "export_clickhouse: unflushed rows: " << s.ToString() << "\n";
    return 1;
  }
  std::fflush(stdout);
  std::cerr << "rows=" << writer.rows() << "\n";
  return 0;
}

}  // namespace
}  // namespace otelstack::bench

int main(int argc, char** argv) {
  std::string data_dir, signal_name = "logs";
  bool columns = false;
  CLI::App app{"Export an otelstack data directory as ClickHouse TabSeparated rows"};
  app.add_option("--data-dir", data_dir, "otelstack data directory (required unless --columns)");
  app.add_option("--signal", signal_name, "logs or traces")->check(CLI::IsMember({"logs", "traces"}));
  app.add_flag("--columns", columns, "print the ClickHouse column list and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  otelstack::Signal signal = *otelstack::ParseSignal(signal_name);
  if (columns) {
    std::string list;
    for (const std::string& n : otelstack::bench::ColumnNames(signal)) list += (list.empty() ? "" : ",") + n;
    std::cout << list << "\n";
    return 0;
  }
  if (data_dir.empty()) {
    std::cerr << "export_clickhouse: --data-dir is required\n";
    return 2;
  }
  return otelstack::bench::Run(data_dir, signal);
}
