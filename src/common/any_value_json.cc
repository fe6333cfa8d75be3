#include "common/any_value_json.h"

#include <openssl/evp.h>
#include <rapidjson/internal/dtoa.h>

#include <charconv>
#include <cmath>

namespace otelstack::anyvalue {

namespace {
constexpr int kMaxDepth = 64;
// rapidjson's dtoa writes at most 25 bytes (Writer::WriteDouble reserves 25).
constexpr size_t kDoubleTextBytes = 25;

Status WriteAnyJsonAt(JsonWriter& w, const Value& v, int depth) {
  if (depth > kMaxDepth) return Status::Corruption("any value nested too deeply");
  switch (v.tag) {
    case Tag::kEmpty:
      w.Null();
      break;
    case Tag::kString:
      WriteJsonString(w, v.str);
      break;
    case Tag::kBool:
      w.Bool(v.b);
      break;
    case Tag::kInt:
      w.Int64(v.i);
      break;
    case Tag::kDouble:
      WriteJsonDouble(w, v.d);
      break;
    case Tag::kBytes:
      WriteJsonString(w, Base64(v.str));
      break;
    case Tag::kArray:
    case Tag::kKvList: {
      bool kv = v.tag == Tag::kKvList;
      kv ? w.StartObject() : w.StartArray();
      ListReader items(v);
      std::string_view key;
      Value item;
      while (items.Next(&key, &item)) {
        if (kv) WriteJsonString(w, key);
        OTELSTACK_RETURN_IF_ERROR(WriteAnyJsonAt(w, item, depth + 1));
      }
      OTELSTACK_RETURN_IF_ERROR(items.status());
      kv ? w.EndObject() : w.EndArray();
      break;
    }
  }
  return Status::OK();
}
}  // namespace

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

void WriteJsonString(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void WriteJsonDouble(JsonWriter& w, double d) {
  if (std::isnan(d)) {
    w.String("NaN");
  } else if (std::isinf(d)) {
    w.String(d > 0 ? "Infinity" : "-Infinity");
  } else {
    w.Double(d);  // rapidjson always writes a '.' or exponent
  }
}

Status WriteAnyJson(JsonWriter& w, const Value& v) { return WriteAnyJsonAt(w, v, 0); }

Status AppendAnyText(const Value& v, std::string* out) {
  switch (v.tag) {
    case Tag::kEmpty:
      return Status::OK();
    case Tag::kString:
      out->append(v.str);
      return Status::OK();
    case Tag::kBool:
      out->append(v.b ? "true" : "false");
      return Status::OK();
    case Tag::kInt: {
      char digits[24];
      const char* end = std::to_chars(digits, digits + sizeof digits, v.i).ptr;
      out->append(digits, end - digits);
      return Status::OK();
    }
    case Tag::kBytes:
      out->append(Base64(v.str));
      return Status::OK();
    case Tag::kDouble:
      if (std::isfinite(v.d)) {  // the token index renders every double: no JSON writer, no heap
        char digits[kDoubleTextBytes];
        const char* end = rapidjson::internal::dtoa(v.d, digits);  // what JsonWriter::Double writes
        out->append(digits, end - digits);
        return Status::OK();
      }
      [[fallthrough]];
    case Tag::kArray:
    case Tag::kKvList: {
      rapidjson::StringBuffer buffer;
      JsonWriter w(buffer);
      OTELSTACK_RETURN_IF_ERROR(WriteAnyJson(w, v));
      std::string_view json(buffer.GetString(), buffer.GetSize());
      // A double renders as a JSON number; NaN/Infinity as JSON strings,
      // whose quotes are not part of the text.
      if (v.tag == Tag::kDouble && json.size() >= 2 && json.front() == '"') json = json.substr(1, json.size() - 2);
      out->append(json);
      return Status::OK();
    }
  }
  return Status::OK();
}

}  // namespace otelstack::anyvalue
