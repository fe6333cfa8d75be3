#include "query/execution/limits.h"

#include <algorithm>

namespace otelstack::query {

namespace {

// 0 means unlimited in every argument.
uint64_t Effective(uint64_t requested, uint64_t fallback, uint64_t ceiling) {
  uint64_t v = requested != 0 ? requested : fallback;
  if (ceiling == 0) return v;
  return v == 0 ? ceiling : std::min(v, ceiling);
}

}  // namespace

QueryLimits EffectiveLimits(const QueryLimits& requested, const QueryLimits& defaults, const QueryLimits& ceiling) {
  QueryLimits out = requested;
  out.max_rows_to_read = Effective(requested.max_rows_to_read, defaults.max_rows_to_read, ceiling.max_rows_to_read);
  out.max_execution_time =
      std::chrono::milliseconds(Effective(static_cast<uint64_t>(requested.max_execution_time.count()),
                                          static_cast<uint64_t>(defaults.max_execution_time.count()),
                                          static_cast<uint64_t>(ceiling.max_execution_time.count())));
  return out;
}

}  // namespace otelstack::query
