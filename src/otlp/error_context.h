// Helpers that prefix errors with where in the request they happened
// ("resource_logs[0]: scope_logs[2]: log_records[5]: body: ..."). The context
// is built only on the error path, so the hot path pays nothing for it.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack::otlp {

inline std::string Indexed(std::string_view field, size_t index) {
  std::string s(field);
  s += '[';
  s += std::to_string(index);
  s += ']';
  return s;
}

}  // namespace otelstack::otlp

// Returns from the enclosing function when `expr` yields a non-OK Status,
// prefixing the message with `context` (evaluated only then).
#define OTLP_RETURN_IF_ERROR_CTX(expr, context)               \
  do {                                                        \
    ::otelstack::Status _otlp_st = (expr);                    \
    if (!_otlp_st.ok()) return _otlp_st.WithContext(context); \
  } while (0)
