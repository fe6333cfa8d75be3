// Row projection for the search API's `select`: a comma-separated list of
// fields, each rendered under the key it was written as.
//
// A column is rendered exactly as the whole row would render it
// (query/row_json.h: RFC 3339 timestamps, hex ids, native JSON for Any
// columns); an attribute (`http.status_code`, `ResourceAttributes.host.name`,
// `LogAttributes['user.id']`) as its value (query/execution/row_value.h:
// integers and doubles as numbers, other values as their text form) or null
// when the row does not have it. Field names are resolved as in queries
// (query/planner/binder.h). A comma inside a field name is not supported.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/planner/bound_query.h"
#include "store/schema/row_batch.h"

namespace otelstack::api {

struct RowProjection {
  Signal signal = Signal::kLogs;
  std::vector<std::string> keys;  // as written (trimmed)
  std::vector<query::ValueSource> sources;

  bool empty() const { return keys.empty(); }
};

// Parses `select` for `signal`. InvalidArgument ("select: ...") for an empty
// item, a bad field reference or a repeated key.
Status ParseRowProjection(std::string_view select, Signal signal, RowProjection* out);

// Appends one JSON object with the projected fields of `row` to *out.
Status AppendProjectedRow(const RowProjection& projection, const RowBatch& batch, size_t row, std::string* out);

}  // namespace otelstack::api
