// Facets: the most frequent values of fields among the rows matching a
// search, for the filter sidebar ("ServiceName: api 1,204 · web 310 ...").
//
// Values are counted with the chart engine (aggregate.h) grouped by each
// field; empty values (a missing attribute, an empty string) are not listed.
// Values come by count descending, then value ascending.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "query/aggregate.h"

namespace otelstack::query {

struct FacetsRequest {
  Signal signal = Signal::kLogs;
  uint64_t from_ns = 0;
  uint64_t to_ns = std::numeric_limits<uint64_t>::max();
  const ast::Node* query = nullptr;
  std::vector<ast::Field> fields;
  size_t limit = 10;  // values per field
  QueryLimits limits;
  unsigned threads = 0;
};

struct FacetValue {
  Cell value;
  uint64_t count = 0;
};

struct Facet {
  std::string field;
  std::vector<FacetValue> values;
};

Status Facets(const StoreSnapshot& snapshot, const FacetsRequest& request, std::vector<Facet>* out,
              ScanStats* stats = nullptr);

}  // namespace otelstack::query
