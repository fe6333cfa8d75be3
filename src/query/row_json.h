// Renders stored rows as JSON objects keyed by column name.
//
// Rendering rules (the contract of `otelstack search` output):
//  - timestamp columns: RFC 3339 UTC strings with 9 fractional digits;
//  - UInt64/Int64: JSON integers; Float64: numbers (NaN/Infinity as strings);
//  - String: strings; Id: lowercase hex ("" when empty);
//  - Any: native JSON — string, bool, integer, double (always with a '.' or
//    exponent), bytes as base64, arrays, kvlists as objects, empty as null.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "store/schema/row_batch.h"

namespace otelstack::query {

// Appends one JSON object (no newline) for row `row` of `batch` to *out.
Status AppendRowJson(const RowBatch& batch, size_t row, std::string* out);

// "2026-11-21T22:57:26.123456789Z"
std::string FormatTimestamp(uint64_t time_ns);

}  // namespace otelstack::query
