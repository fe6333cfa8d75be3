// Retention arithmetic: which day partitions have expired.
//
// Partitions are per signal and UTC day. With a retention R, a day partition
// [start, start + 1 day) is expired once its whole day ends at or before
// now - R, i.e. once start + 1 day <= now - R. The store then drops all its
// parts at once and raises the signal's retention floor (manifest.h) to the
// end of the newest expired day: every row with time < floor is gone for
// good. So rows are kept for at least R and at most R + 1 day.
//
// A retention of 0 means "keep forever": the floor never moves.
#pragma once

#include <chrono>
#include <cstdint>

namespace otelstack {

inline constexpr uint64_t kDayNanos = 86400ULL * 1000000000ULL;

// The retention floor due at `now_ns`: the start of the UTC day that contains
// now - retention (every day ending at or before it has expired). 0 when
// retention is 0 (keep forever) or longer than the time since the epoch.
uint64_t RetentionFloorAt(uint64_t now_ns, std::chrono::seconds retention);

// Start (ns) of the UTC day holding `time_ns`.
inline uint64_t DayStart(uint64_t time_ns) { return time_ns - time_ns % kDayNanos; }

}  // namespace otelstack
