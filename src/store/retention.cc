#include "store/retention.h"

namespace otelstack {

uint64_t RetentionFloorAt(uint64_t now_ns, std::chrono::seconds retention) {
  if (retention.count() <= 0) return 0;
  const uint64_t seconds = static_cast<uint64_t>(retention.count());
  // Retentions beyond the epoch (or overflowing nanoseconds) keep everything.
  if (seconds > now_ns / 1000000000ULL) return 0;
  return DayStart(now_ns - seconds * 1000000000ULL);
}

}  // namespace otelstack
