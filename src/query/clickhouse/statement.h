// Running one engine statement on ClickHouse: query limits as settings, the
// cancel flag, the WHERE clause every statement shares, and the JSONCompact
// result with its read statistics.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "clickhouse/http_client.h"
#include "common/status.h"
#include "query/clickhouse/engine.h"
#include "query/execution/limits.h"
#include "query/parser/ast.h"

namespace otelstack::query::ch {

// The settings for `limits` (see engine.h).
clickhouse::Settings LimitSettings(const QueryLimits& limits, bool cancel_on_close);

// "<TimeRange> AND <filter>" for the request's signal: binds `query` (null:
// every row) and translates it. InvalidArgument from the binder.
Status WhereSql(const ClickHouseSource& source, Signal signal, uint64_t from_ns, uint64_t to_ns, const ast::Node* query,
                std::string* out);

// Checks that the source is usable for `signal`.
Status CheckSource(const ClickHouseSource& source, Signal signal);

// Runs `sql` (without a FORMAT clause) with FORMAT RowBinary into *body.
Status RunRowBinary(const ClickHouseSource& source, const std::string& sql, const QueryLimits& limits,
                    std::string* body);

// Runs `sql` with FORMAT JSONCompact; *data is the "data" array's document,
// *stats gets rows_read and partial (a break-mode limit reached).
Status RunJson(const ClickHouseSource& source, const std::string& sql, const QueryLimits& limits,
               rapidjson::Document* doc, ScanStats* stats);

// Cells of a JSONCompact row (64-bit integers come quoted).
Status JsonInt64(const rapidjson::Value& v, int64_t* out);
Status JsonUInt64(const rapidjson::Value& v, uint64_t* out);
// Non-finite floats come as null (NaN for *out).
Status JsonDouble(const rapidjson::Value& v, double* out);
Status JsonString(const rapidjson::Value& v, std::string* out);

}  // namespace otelstack::query::ch
