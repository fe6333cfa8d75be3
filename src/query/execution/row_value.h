// RowValue: one value of one row, as the filter and aggregations see it.
//
// Reading a ValueSource (planner/bound_query.h) at a row gives:
//  - numeric columns: an exact integer (Timestamp, UInt64, Int64) or a double;
//  - String columns: the bytes; Id columns: lowercase hex ("" when empty);
//  - Any columns (Body...): their text form (common/any_value_json.h), null
//    when empty;
//  - attributes: the first map holding the key gives the value: strings as
//    strings, ints exact, doubles, bools and lists as their text form; a key
//    present in no map is null ("missing").
//
// Comparison rules (ClickHouse-like, so results agree with the reference):
//  - two numbers compare numerically (exactly when both are integers);
//  - a number literal against a string value parses the string (a strict
//    decimal number); unparsable strings satisfy no comparison, not even !=;
//  - a string literal against any value compares the value's text form
//    bytewise;
//  - a missing attribute compares as "" with strings and satisfies no numeric
//    comparison.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/any_value.h"
#include "common/status.h"
#include "query/planner/bound_query.h"
#include "store/schema/row_batch.h"

namespace otelstack::query {

struct RowValue {
  enum class Kind : uint8_t { kNull, kInt, kDouble, kString };
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double d = 0;

  bool is_number() const { return kind == Kind::kInt || kind == Kind::kDouble; }
  double AsDouble() const { return kind == Kind::kInt ? static_cast<double>(i) : d; }
  // kString: the bytes (valid while the batch, or this value when owned, lives).
  std::string_view str() const { return in_owned_ ? std::string_view(owned_) : view_; }
  // A string pointing into stored bytes (no copy).
  void SetString(std::string_view v) {
    kind = Kind::kString;
    view_ = v;
    in_owned_ = false;
  }
  // A string this value owns (safe to copy and move).
  void SetOwned(std::string v) {
    kind = Kind::kString;
    owned_ = std::move(v);
    in_owned_ = true;
  }

 private:
  std::string_view view_;
  std::string owned_;
  bool in_owned_ = false;
};

// Reads `source` at `row` of `batch` into *out. Corruption on undecodable
// stored bytes.
Status ReadRowValue(const ValueSource& source, const RowBatch& batch, size_t row, RowValue* out);

// The first entry of `key` in an encoded attribute map: the same answer as
// anyvalue::FindKey (false when absent, when `encoded_map` is not a kvlist,
// or when the bytes up to and including the entry are malformed), but the
// entries before it are skipped by their tags without being decoded.
bool FindAttribute(std::string_view encoded_map, std::string_view key, anyvalue::Value* out);

// The text form of a value (numbers rendered like the text form of stored
// values; null as ""). Appends to *out.
void AppendValueText(const RowValue& v, std::string* out);

// Parses a whole string as a decimal number (integer when it has no '.',
// exponent and fits int64). Leading/trailing spaces are not allowed.
std::optional<RowValue> ParseNumber(std::string_view s);

// A literal as a RowValue.
RowValue LiteralValue(const ast::Literal& literal);

}  // namespace otelstack::query
