// Request-target parsing: percent-decoding and the split of an origin-form
// target ("/path?a=1&b=2") into a decoded path and decoded query parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otelstack::http {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, as in query
// strings). nullopt when an escape is malformed ("%4", "%zz").
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

struct ParsedTarget {
  std::string path;                                        // decoded, starts with '/'
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
};

// Splits `target` at the first '?'. nullopt when the target is not in origin
// form (does not start with '/') or an escape is malformed. A query item
// without '=' has an empty value; empty items ("a=1&&b=2") are skipped.
std::optional<ParsedTarget> ParseTarget(std::string_view target);

}  // namespace otelstack::http
