// The Lucene-style search syntax of the search bar (as in HyperDX):
//
//   error                      free text, a whole token      (TEXT token)
//   err*  *rror  *rro*         token prefix / suffix / substring
//   "connection refused"       a phrase: adjacent tokens in order
//   status:500  level:error    field equals value (number or string)
//   level:"error"              field equals the string
//   path:/api*  host:*prod*    field LIKE (case-insensitive) with wildcards
//   duration:>500 (>= < <=)    comparisons
//   code:[200 TO 299]  code:{200 TO *]   ranges, inclusive [ ] / exclusive { }
//   trace_id:*                 the field exists
//   status:(500 OR 503)        a group of values applied to one field
//   NOT x  -x  a AND b  a b  a OR b  ( )
//
// AND, OR, NOT are operators only in upper case. Precedence: NOT/'-' binds
// tightest, then AND (explicit or implicit between adjacent terms), then OR.
// A bare word whose ':' is followed by "//" (http://host:8080/x) is a word,
// not field:value. docs/search.md is the user documentation.
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/parser/ast.h"

namespace otelstack::query {

// Parses `query` into *out. An empty or all-whitespace query is OK with
// *out == nullptr (it matches everything). On failure returns
// InvalidArgument "at position N: ..." (N 1-based) and leaves *out null.
// Queries over 16 KiB or nesting deeper than 64 levels are refused.
Status ParseLucene(std::string_view query, ast::NodePtr* out);

}  // namespace otelstack::query
