// Binder: resolves a parsed query (parser/ast.h) against a signal's schema.
//
// Field resolution, in order:
//  1. `Map['key']` (SQL): `Map` must be an attribute map column of the signal.
//  2. A column name of the signal (exact, else case-insensitive).
//  3. `<Map>.<key>` where <Map> is an attribute map column: that key in that
//     map only (e.g. `ResourceAttributes.k8s.pod.name`).
//  4. Anything else is an attribute key, looked up in the signal's attribute
//     maps in order (logs: LogAttributes, ResourceAttributes, ScopeAttributes;
//     traces: SpanAttributes, ResourceAttributes, ScopeAttributes; metrics:
//     Attributes, ResourceAttributes, ScopeAttributes); the first map holding
//     the key gives the value. An unknown key simply matches nothing.
//
// Errors are InvalidArgument with the 1-based position of the offending node.
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/parser/ast.h"
#include "query/planner/bound_query.h"
#include "store/part_reader.h"

namespace otelstack::query {

// Binds `root` (may be null: every row) for `signal`.
Status BindFilter(Signal signal, const ast::Node* root, BoundFilter* out);

// Resolves one field (group-by keys, aggregate arguments, facets).
Status BindField(Signal signal, const ast::Field& field, ValueSource* out);

// Parses a field as written on a command line or in an API request:
// `ServiceName`, `http.status_code`, `ResourceAttributes.host.name`,
// `LogAttributes['user.id']`.
Status ParseFieldRef(std::string_view text, ast::Field* out);

// Appends the columns `source` reads to *columns (unsorted, may repeat).
void AddSourceColumns(const ValueSource& source, std::vector<size_t>* columns);

// The attribute-map columns `filter` reads only by looking up keys, with
// those keys (a scan may then decode just their entries: PartReader::
// ReadGranule). Maps the filter also reads whole (free text without a field,
// or the map column as a value) are left out.
std::vector<ColumnKeys> KeyOnlyAttributeMaps(const BoundFilter& filter);

// The attribute-map columns `filter` reads only to match free text (a word
// or phrase without a field) against their values (a scan may then leave
// them in the part, for the filter to read field by field: CompiledFilter::
// Filter). Maps it also reads by key or whole are left out.
std::vector<size_t> TextOnlyAttributeMaps(const BoundFilter& filter);

}  // namespace otelstack::query
