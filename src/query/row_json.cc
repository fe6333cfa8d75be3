#include "query/row_json.h"

#include <openssl/evp.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <ctime>

#include "common/any_value.h"
#include "common/file_util.h"

namespace otelstack::query {

namespace {
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

void WriteString(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void WriteDouble(Writer& w, double d) {
  if (std::isnan(d)) {
    w.String("NaN");
  } else if (std::isinf(d)) {
    w.String(d > 0 ? "Infinity" : "-Infinity");
  } else {
    w.Double(d);  // rapidjson always writes a '.' or exponent
  }
}

Status WriteAny(Writer& w, const anyvalue::Value& v, int depth) {
  if (depth > 64) return Status::Corruption("any value nested too deeply");
  switch (v.tag) {
    case anyvalue::Tag::kEmpty: w.Null(); break;
    case anyvalue::Tag::kString: WriteString(w, v.str); break;
    case anyvalue::Tag::kBool: w.Bool(v.b); break;
    case anyvalue::Tag::kInt: w.Int64(v.i); break;
    case anyvalue::Tag::kDouble: WriteDouble(w, v.d); break;
    case anyvalue::Tag::kBytes: WriteString(w, Base64(v.str)); break;
    case anyvalue::Tag::kArray:
    case anyvalue::Tag::kKvList: {
      bool kv = v.tag == anyvalue::Tag::kKvList;
      kv ? w.StartObject() : w.StartArray();
      anyvalue::ListReader items(v);
      std::string_view key;
      anyvalue::Value item;
      while (items.Next(&key, &item)) {
        if (kv) WriteString(w, key);
        OTELSTACK_RETURN_IF_ERROR(WriteAny(w, item, depth + 1));
      }
      OTELSTACK_RETURN_IF_ERROR(items.status());
      kv ? w.EndObject() : w.EndArray();
      break;
    }
  }
  return Status::OK();
}
}  // namespace

std::string FormatTimestamp(uint64_t time_ns) {
  time_t seconds = static_cast<time_t>(time_ns / 1000000000ULL);
  struct tm tm;
  gmtime_r(&seconds, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<unsigned long long>(time_ns % 1000000000ULL));
  return buf;
}

Status AppendRowJson(const RowBatch& batch, size_t row, std::string* out) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  auto schema = SchemaOf(batch.signal());
  for (size_t c = 0; c < schema.size(); ++c) {
    WriteString(w, schema[c].name);
    switch (schema[c].type) {
      case ColumnType::kTimestamp: WriteString(w, FormatTimestamp(batch.U64(c, row))); break;
      case ColumnType::kUInt64: w.Uint64(batch.U64(c, row)); break;
      case ColumnType::kInt64: w.Int64(batch.I64(c, row)); break;
      case ColumnType::kFloat64: WriteDouble(w, batch.F64(c, row)); break;
      case ColumnType::kString: WriteString(w, batch.Bytes(c, row)); break;
      case ColumnType::kId: WriteString(w, HexEncode(batch.Bytes(c, row))); break;
      case ColumnType::kAny: {
        std::string_view encoded = batch.Bytes(c, row);
        if (encoded.empty()) {
          w.Null();
          break;
        }
        anyvalue::Value v;
        Status s = anyvalue::ParseWhole(encoded, &v);
        if (s.ok()) s = WriteAny(w, v, 0);
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
