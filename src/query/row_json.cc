#include "query/row_json.h"

#include <ctime>

#include "common/any_value_json.h"
#include "common/file_util.h"

namespace otelstack::query {

namespace {
using anyvalue::JsonWriter;
using anyvalue::WriteJsonDouble;
using anyvalue::WriteJsonString;
}  // namespace

std::string FormatTimestamp(uint64_t time_ns) {
  time_t seconds = static_cast<time_t>(time_ns / 1000000000ULL);
  struct tm tm;
  gmtime_r(&seconds, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<unsigned long long>(time_ns % 1000000000ULL));
  return buf;
}

Status AppendRowJson(const RowBatch& batch, size_t row, std::string* out) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  auto schema = SchemaOf(batch.signal());
  for (size_t c = 0; c < schema.size(); ++c) {
    WriteJsonString(w, schema[c].name);
    switch (schema[c].type) {
      case ColumnType::kTimestamp:
        WriteJsonString(w, FormatTimestamp(batch.U64(c, row)));
        break;
      case ColumnType::kUInt64:
        w.Uint64(batch.U64(c, row));
        break;
      case ColumnType::kInt64:
        w.Int64(batch.I64(c, row));
        break;
      case ColumnType::kFloat64:
        WriteJsonDouble(w, batch.F64(c, row));
        break;
      case ColumnType::kString:
        WriteJsonString(w, batch.Bytes(c, row));
        break;
      case ColumnType::kId:
        WriteJsonString(w, HexEncode(batch.Bytes(c, row)));
        break;
      case ColumnType::kAny: {
        std::string_view encoded = batch.Bytes(c, row);
        if (encoded.empty()) {
          w.Null();
          break;
        }
        anyvalue::Value v;
        Status s = anyvalue::ParseWhole(encoded, &v);
        if (s.ok()) s = anyvalue::WriteAnyJson(w, v);
        if (!s.ok()) return s.WithContext(std::string("column ") + std::string(schema[c].name));
        break;
      }
    }
  }
  w.EndObject();
  out->append(buffer.GetString(), buffer.GetSize());
  return Status::OK();
}

}  // namespace otelstack::query
