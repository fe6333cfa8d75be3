// Text renderings of stored AnyValues (any_value.h), shared by search output,
// the query engine and the token index so that all three agree.
//
//  - JSON (WriteAnyJson): string, bool, integer, double (always with a '.' or
//    exponent; NaN/Infinity as strings), bytes as base64, arrays, kvlists as
//    objects, empty as null.
//  - Text (AppendAnyText), what a search compares and tokenizes: strings as
//    they are, integers in decimal, doubles as in JSON, booleans as
//    "true"/"false", bytes as base64, empty as "", arrays and kvlists as JSON.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "common/any_value.h"
#include "common/status.h"

namespace otelstack::anyvalue {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

Status WriteAnyJson(JsonWriter& w, const Value& v);
void WriteJsonDouble(JsonWriter& w, double d);
void WriteJsonString(JsonWriter& w, std::string_view s);

// Appends the text form of `v` to *out.
Status AppendAnyText(const Value& v, std::string* out);

std::string Base64(std::string_view bytes);

// The text form of `v` (AppendAnyText): a string as it is, without a copy;
// any other value rendered into *scratch.
inline Status ValueText(const Value& v, std::string* scratch, std::string_view* text) {
  if (v.tag == Tag::kString) {
    *text = v.str;
    return Status::OK();
  }
  scratch->clear();
  OTELSTACK_RETURN_IF_ERROR(AppendAnyText(v, scratch));
  *text = *scratch;
  return Status::OK();
}

// Calls visit(text) with the text form of each value of an encoded attribute
// map (a kvlist; anything else has no values) until visit returns true.
// Strings are passed without a copy; other values are rendered into
// *scratch; ints and doubles are skipped when `skip_numbers`. Sets *stopped
// (may be null) when visit returned true.
template <typename Visit>
Status ForEachMapValueText(std::string_view encoded_map, std::string* scratch, Visit&& visit, bool* stopped = nullptr,
                           bool skip_numbers = false) {
  if (stopped != nullptr) *stopped = false;
  if (encoded_map.empty()) return Status::OK();
  Value map;
  OTELSTACK_RETURN_IF_ERROR(ParseListHead(encoded_map, &map));
  if (map.tag != Tag::kKvList) return Status::OK();
  ListReader items(map);
  std::string_view key;
  Value item;
  while (items.Next(&key, &item)) {
    if (skip_numbers && (item.tag == Tag::kInt || item.tag == Tag::kDouble)) continue;
    std::string_view text;
    OTELSTACK_RETURN_IF_ERROR(ValueText(item, scratch, &text));
    if (visit(text)) {
      if (stopped != nullptr) *stopped = true;
      return Status::OK();
    }
  }
  return items.status();
}

}  // namespace otelstack::anyvalue
