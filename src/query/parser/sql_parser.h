// The SQL WHERE-clause subset of the query API (ClickHouse-flavoured):
//
//   ServiceName = 'api' AND Duration > 500 * 1000
//   LogAttributes['http.method'] IN ('GET', 'HEAD')
//   Body ILIKE '%timeout%' OR SeverityText IS NULL
//   NOT (status_code >= 500) AND `weird name` != 'x y'
//
// Identifiers are bare (letters, digits, '_' and '.', not starting with a
// digit) or quoted with `backticks` / "double quotes"; `Map['key']` is map
// access. Strings are 'single-quoted'. Keywords are case-insensitive.
// Operators: = == != <> < <= > >=, [NOT] IN (literals), [NOT] [I]LIKE
// 'pattern', IS [NOT] NULL, AND, OR, NOT, + - * / % and unary minus.
// TRUE/FALSE are the numbers 1/0. docs/search.md is the user documentation.
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/parser/ast.h"

namespace otelstack::query {

// Parses a WHERE clause (without the WHERE keyword) into *out. An empty or
// all-whitespace clause is OK with *out == nullptr (matches everything).
// The clause must be a condition: `Duration` or `1 + 2` alone is an error.
// On failure returns InvalidArgument "at position N: ..." (N 1-based) and
// leaves *out null. Clauses over 16 KiB or nesting deeper than 64 levels are
// refused.
Status ParseSqlWhere(std::string_view where, ast::NodePtr* out);

}  // namespace otelstack::query
