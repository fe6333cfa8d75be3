// LogAttributes maps for query tests over parts: row i holds http.method (a
// string), http.status_code (an int, missing from every 5th row) and user (a
// string of 9 values), so a part stores the column shredded and key lookups,
// NOT exists and group-bys all have something to find.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "test_util/any_value_builders.h"

namespace otelstack::test {

inline std::string SampleLogAttributes(size_t i) {
  std::vector<Kv> items = {{"http.method", S(i % 3 == 0 ? "GET" : "POST")}};
  if (i % 5 != 0) items.push_back({"http.status_code", I(i % 4 == 0 ? 500 : 200)});
  items.push_back({"user", S("u" + std::to_string(i % 9))});
  return Map(items);
}

}  // namespace otelstack::test
