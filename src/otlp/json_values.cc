#include "otlp/json_values.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace otelstack::otlp::json {

namespace {

Status TypeError(std::string_view field, std::string_view expected) {
  std::string msg(field);
  msg += ": expected ";
  msg += expected;
  return Status::InvalidArgument(std::move(msg));
}

template <typename T>
bool ParseDecimal(std::string_view s, T* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

// An integral double within [lo, hi] converted to T.
template <typename T>
bool IntegralDouble(double d, T* out) {
  constexpr double lo = static_cast<double>(std::numeric_limits<T>::min());
  constexpr double hi = static_cast<double>(std::numeric_limits<T>::max());  // rounds up to 2^63 or 2^64
  if (!(d >= lo && d < hi) || std::floor(d) != d) return false;
  *out = static_cast<T>(d);
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

}  // namespace

Status GetObject(element e, std::string_view field, object* out) {
  if (e.get_object().get(*out)) return TypeError(field, "an object");
  return Status::OK();
}

Status GetArray(element e, std::string_view field, array* out) {
  if (e.get_array().get(*out)) return TypeError(field, "an array");
  return Status::OK();
}

Status GetString(element e, std::string_view field, std::string_view* out) {
  if (e.get_string().get(*out)) return TypeError(field, "a string");
  return Status::OK();
}

Status GetBool(element e, std::string_view field, bool* out) {
  if (e.get_bool().get(*out)) return TypeError(field, "a boolean");
  return Status::OK();
}

Status GetUint64(element e, std::string_view field, uint64_t* out) {
  switch (e.type()) {
    case simdjson::dom::element_type::UINT64:
      *out = e.get_uint64().value_unsafe();
      return Status::OK();
    case simdjson::dom::element_type::INT64: {
      int64_t v = e.get_int64().value_unsafe();
      if (v >= 0) {
        *out = static_cast<uint64_t>(v);
        return Status::OK();
      }
      break;
    }
    case simdjson::dom::element_type::DOUBLE:
      if (IntegralDouble(e.get_double().value_unsafe(), out)) return Status::OK();
      break;
    case simdjson::dom::element_type::STRING:
      if (ParseDecimal(e.get_string().value_unsafe(), out)) return Status::OK();
      break;
    default:
      break;
  }
  return TypeError(field, "an unsigned 64-bit integer (number or decimal string)");
}

Status GetInt64(element e, std::string_view field, int64_t* out) {
  switch (e.type()) {
    case simdjson::dom::element_type::INT64:
      *out = e.get_int64().value_unsafe();
      return Status::OK();
    case simdjson::dom::element_type::UINT64:
      break;  // above INT64_MAX
    case simdjson::dom::element_type::DOUBLE:
      if (IntegralDouble(e.get_double().value_unsafe(), out)) return Status::OK();
      break;
    case simdjson::dom::element_type::STRING:
      if (ParseDecimal(e.get_string().value_unsafe(), out)) return Status::OK();
      break;
    default:
      break;
  }
  return TypeError(field, "a signed 64-bit integer (number or decimal string)");
}

Status GetUint32(element e, std::string_view field, uint32_t* out) {
  uint64_t v;
  if (!GetUint64(e, field, &v).ok() || v > std::numeric_limits<uint32_t>::max()) {
    return TypeError(field, "an unsigned 32-bit integer");
  }
  *out = static_cast<uint32_t>(v);
  return Status::OK();
}

Status GetInt32(element e, std::string_view field, int32_t* out) {
  int64_t v;
  if (!GetInt64(e, field, &v).ok() || v < std::numeric_limits<int32_t>::min() ||
      v > std::numeric_limits<int32_t>::max()) {
    return TypeError(field, "a signed 32-bit integer");
  }
  *out = static_cast<int32_t>(v);
  return Status::OK();
}

Status GetDouble(element e, std::string_view field, double* out) {
  if (e.is_number()) {
    *out = e.get_double().value_unsafe();
    return Status::OK();
  }
  std::string_view s;
  if (!e.get_string().get(s)) {
    if (s == "NaN") {
      *out = std::numeric_limits<double>::quiet_NaN();
      return Status::OK();
    }
    if (s == "Infinity") {
      *out = std::numeric_limits<double>::infinity();
      return Status::OK();
    }
    if (s == "-Infinity") {
      *out = -std::numeric_limits<double>::infinity();
      return Status::OK();
    }
    if (ParseDecimal(s, out)) return Status::OK();
  }
  return TypeError(field, "a number");
}

Status GetEnum(element e, std::string_view field, EnumLookup lookup, int64_t* out) {
  std::string_view name;
  if (!e.get_string().get(name)) {
    if (auto v = lookup(name)) {
      *out = *v;
      return Status::OK();
    }
    int32_t number;
    if (ParseDecimal(name, &number)) {
      *out = number;
      return Status::OK();
    }
    return Status::InvalidArgument(std::string(field) + ": unknown enum value \"" + std::string(name) + "\"");
  }
  int32_t number;
  if (!GetInt32(e, field, &number).ok()) return TypeError(field, "an enum number or name");
  *out = number;
  return Status::OK();
}

std::optional<int32_t> SeverityNumberByName(std::string_view name) {
  constexpr std::string_view kPrefix = "SEVERITY_NUMBER_";
  if (!name.starts_with(kPrefix)) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  if (name == "UNSPECIFIED") return 0;
  static constexpr std::string_view kLevels[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
  for (int level = 0; level < 6; ++level) {
    std::string_view base = kLevels[level];
    if (!name.starts_with(base)) continue;
    std::string_view rest = name.substr(base.size());
    if (rest.empty()) return level * 4 + 1;
    if (rest.size() == 1 && rest[0] >= '2' && rest[0] <= '4') return level * 4 + (rest[0] - '0');
  }
  return std::nullopt;
}

std::optional<int32_t> SpanKindByName(std::string_view name) {
  static constexpr std::string_view kNames[] = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
                                                "SPAN_KIND_CLIENT",      "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
  for (int32_t i = 0; i < 6; ++i) {
    if (name == kNames[i]) return i;
  }
  return std::nullopt;
}

std::optional<int32_t> StatusCodeByName(std::string_view name) {
  if (name == "STATUS_CODE_UNSET") return 0;
  if (name == "STATUS_CODE_OK") return 1;
  if (name == "STATUS_CODE_ERROR") return 2;
  return std::nullopt;
}

std::optional<int32_t> AggregationTemporalityByName(std::string_view name) {
  if (name == "AGGREGATION_TEMPORALITY_UNSPECIFIED") return 0;
  if (name == "AGGREGATION_TEMPORALITY_DELTA") return 1;
  if (name == "AGGREGATION_TEMPORALITY_CUMULATIVE") return 2;
  return std::nullopt;
}

Status GetHexId(element e, std::string_view field, std::string* out) {
  std::string_view hex;
  OTELSTACK_RETURN_IF_ERROR(GetString(e, field, &hex));
  out->clear();
  if (hex.size() % 2 != 0) return Status::InvalidArgument(std::string(field) + ": odd number of hex digits");
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexDigit(hex[i]), lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) return Status::InvalidArgument(std::string(field) + ": invalid hex digit");
    out->push_back(static_cast<char>(hi << 4 | lo));
  }
  return Status::OK();
}

Status GetBase64(element e, std::string_view field, std::string* out) {
  std::string_view text;
  OTELSTACK_RETURN_IF_ERROR(GetString(e, field, &text));
  out->clear();
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return Status::InvalidArgument(std::string(field) + ": invalid base64 length");
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int d = Base64Digit(c);
    if (d < 0) return Status::InvalidArgument(std::string(field) + ": invalid base64 character");
    acc = (acc << 6) | static_cast<uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return Status::OK();
}

}  // namespace otelstack::otlp::json
