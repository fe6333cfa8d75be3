// ClickHouse SQL for bound filters and values (planner/bound_query.h).
//
// Translates what the embedded executor evaluates row by row
// (execution/filter.cc, row_value.h, text_match.h) into ClickHouse 18.16+
// expressions over a ReadMapping (clickhouse/table_layout.h), so that a
// WHERE clause selects exactly the rows the embedded engine would:
//  - values: numeric columns are exact Int64 (UInt64 columns reinterpreted,
//    as the embedded store reads them) or Float64; every other column and
//    every attribute is a String (a missing attribute is '', which compares
//    exactly as the embedded engine's "missing");
//  - a number against a string parses the string strictly (the grammar of
//    ParseNumber: [+]-digits as an Int64 when it fits, else a decimal or
//    exponent form, inf/infinity); an unparsable string satisfies only !=;
//  - arithmetic keeps integers exact (overflow turns it into Float64) and
//    yields "not a number" on a non-numeric operand or a zero divisor;
//  - free text uses the tokenizer of store/skip_index (maximal runs of ASCII
//    letters/digits and bytes >= 0x80, ASCII case folding);
//  - LIKE becomes an anchored RE2 pattern (`%` any run, `_` one character,
//    `\` escapes), ILIKE the same over lower().
//
// Every user-supplied string enters the SQL through Quote() (a string
// literal with quotes, backslashes and control bytes escaped), so no input
// can end the literal early: injection is impossible by construction.
//
// Known differences, all on values the OTel data model rarely produces: the
// text form of a Float64 column (ClickHouse toString vs the shortest
// round-trip form), attributes stored as typed numbers in the embedded store
// compared with a non-canonical numeric string literal (e.g. 500 vs "500.0":
// ClickHouse only has the string "500"), strings parsed as numbers beyond the
// double range, and `_` in LIKE over non-ASCII text (one code point instead
// of one byte).
#pragma once

#include <string>
#include <string_view>

#include "clickhouse/table_layout.h"
#include "common/status.h"
#include "query/planner/bound_query.h"

namespace otelstack::query::ch {

// A ClickHouse string literal holding exactly `bytes`.
std::string Quote(std::string_view bytes);

// A ClickHouse Float64 literal (round-trip exact; inf, -inf, nan).
std::string DoubleLiteral(double d);

// A scalar value as SQL, with its static type. Numbers of dynamic kind (the
// results of arithmetic) carry a validity flag and both representations.
struct SqlScalar {
  enum class Kind : uint8_t { kInt, kDouble, kString, kDynamic };
  Kind kind = Kind::kString;
  std::string expr;  // kInt: Int64, kDouble: Float64, kString: String
  // kString: UInt8 "the value is present" (attributes: the key is set; Any
  // columns: not empty), "1" otherwise. Used by IS NULL and field text search.
  std::string present = "1";
  // kDynamic: UInt8 valid (a number at all), UInt8 is_int, Int64 i, Float64 d.
  std::string valid, is_int, i, d;
};

// The value of `source` (a column or an attribute key).
SqlScalar SourceSql(const ValueSource& source, const clickhouse::ReadMapping& mapping);

// The text form of a scalar (numbers rendered; a non-number arithmetic
// result as '').
std::string TextSql(const SqlScalar& value);

// The number view of a scalar: UInt8 valid, UInt8 is_int, Int64 i, Float64 d
// (d is the double of i when is_int). Strings are parsed strictly.
struct SqlNumber {
  std::string valid, is_int, i, d;
  bool static_int = false;     // is_int is the constant 1
  bool static_double = false;  // is_int is the constant 0 (and valid is 1)
};
SqlNumber NumberSql(const SqlScalar& value);

// A UInt8 expression true for the rows `filter` selects ("1" for no filter).
// InvalidArgument for nodes that cannot be expressed.
Status FilterSql(const BoundFilter& filter, const clickhouse::ReadMapping& mapping, std::string* out);

// The RE2 pattern (unquoted) for a LIKE pattern; `folded` lower-cases ASCII
// letters of literal bytes (for ILIKE over lower(value)).
std::string LikeToRegex(std::string_view pattern, bool folded);

}  // namespace otelstack::query::ch
