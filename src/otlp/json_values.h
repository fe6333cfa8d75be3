// Reading typed values out of simdjson DOM elements the way OTLP/JSON (the
// protobuf JSON mapping plus OTLP's hex ids) spells them.
//
// Every getter returns InvalidArgument naming `field` when the element has the
// wrong JSON type or an unparsable value; callers treat JSON null as "field
// absent" before calling. Accepted spellings:
//   - 64-bit (and 32-bit) integers: a JSON number or a decimal string;
//     integral doubles (1e3) are accepted too.
//   - doubles: a number, a decimal string, or "NaN" / "Infinity" / "-Infinity".
//   - enums: a number or the enum value's name (via a lookup function).
//   - ids (trace/span ids): hex of any case, "" meaning absent.
//   - bytes (AnyValue.bytesValue): base64, standard or URL-safe alphabet, with
//     or without padding.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack::otlp::json {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// True when `key` is the lowerCamelCase or the original proto name.
inline bool KeyIs(std::string_view key, std::string_view camel, std::string_view snake) {
  return key == camel || key == snake;
}

Status GetObject(element e, std::string_view field, object* out);
Status GetArray(element e, std::string_view field, array* out);
Status GetString(element e, std::string_view field, std::string_view* out);
Status GetBool(element e, std::string_view field, bool* out);
Status GetUint64(element e, std::string_view field, uint64_t* out);
Status GetInt64(element e, std::string_view field, int64_t* out);
Status GetUint32(element e, std::string_view field, uint32_t* out);
Status GetInt32(element e, std::string_view field, int32_t* out);
Status GetDouble(element e, std::string_view field, double* out);

// Maps an enum value name to its number, or nullopt when unknown.
using EnumLookup = std::optional<int32_t> (*)(std::string_view name);
Status GetEnum(element e, std::string_view field, EnumLookup lookup, int64_t* out);
std::optional<int32_t> SeverityNumberByName(std::string_view name);
std::optional<int32_t> SpanKindByName(std::string_view name);
std::optional<int32_t> StatusCodeByName(std::string_view name);
std::optional<int32_t> AggregationTemporalityByName(std::string_view name);

// Decodes into *out (cleared first).
Status GetHexId(element e, std::string_view field, std::string* out);
Status GetBase64(element e, std::string_view field, std::string* out);

}  // namespace otelstack::otlp::json
