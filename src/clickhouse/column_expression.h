// User column expressions: the SQL fragments a source's column mapping
// (HyperDX's timestampValueExpression, bodyExpression, ...) puts into the
// statements otelstack sends to ClickHouse (table_layout.h ColumnMapping).
//
// They are typed by editors and run as the connection's user, inside a
// SELECT list that otelstack builds. CheckColumnExpression accepts only what
// can be one value expression there, so that an expression cannot end the
// statement, add clauses, columns or comments, or read other tables:
//   - 1 to kMaxColumnExpressionBytes bytes, no control characters;
//   - quotes ('...', "...", `...`, with \ escapes and doubled quotes)
//     closed, parentheses and brackets balanced and properly nested;
//   - outside quotes: no `;`, no comments (`--`, `/*`, `#`), no `$`
//     (heredoc strings), no `{`/`}` (query parameters);
//   - outside quotes and all brackets: no `,` and none of the keywords
//     FROM, WHERE, PREWHERE, GROUP, HAVING, ORDER, LIMIT, OFFSET, SETTINGS,
//     FORMAT, UNION, EXCEPT, INTERSECT, INTO, WITH, JOIN, AS;
//   - anywhere outside quotes: no SELECT (no subqueries, hence no table
//     functions), no ARRAY JOIN.
// Keywords are case-insensitive whole words. Function calls, lambdas,
// CAST(x AS T), CASE ... END, EXTRACT(DAY FROM t), map/array subscripts,
// literals and arithmetic all pass.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"

namespace otelstack::clickhouse {

inline constexpr size_t kMaxColumnExpressionBytes = 4096;

// OK, or InvalidArgument saying what is wrong (the caller adds the field).
Status CheckColumnExpression(std::string_view expression);

// Whether `expression` is just the column `name`, bare or in backticks
// (surrounding spaces allowed): "Timestamp", " `Timestamp` ".
bool IsColumnName(std::string_view expression, std::string_view name);

}  // namespace otelstack::clickhouse
