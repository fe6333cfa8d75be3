// Query limits, named after the ClickHouse settings the seed guide uses.
//
//   max_rows_to_read    rows a query may read (after pruning by time and skip
//                       indexes); 0 = unlimited
//   read_overflow_mode  kThrow: fail with ResourceExhausted naming the limit;
//                       kBreak: stop reading and return what was found,
//                       flagged as partial
//   max_execution_time  wall time; 0 = unlimited
//   timeout_overflow_mode  as read_overflow_mode, for max_execution_time
//   cancelled           set by the caller (e.g. the client went away): the
//                       query stops with Cancelled at the next granule
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace otelstack::query {

enum class OverflowMode : uint8_t { kThrow, kBreak };

struct QueryLimits {
  uint64_t max_rows_to_read = 0;
  OverflowMode read_overflow_mode = OverflowMode::kThrow;
  std::chrono::milliseconds max_execution_time{0};
  OverflowMode timeout_overflow_mode = OverflowMode::kThrow;
  const std::atomic<bool>* cancelled = nullptr;
};

// The limits a request runs with: each limit the request sets, else the
// default; never above the ceiling (the caller's maximum, e.g. per role), so
// a per-request override can lower a limit but not raise it past the
// ceiling. A zero (unlimited) request or default becomes the ceiling when the
// ceiling is bounded. Overflow modes and the cancel flag come from the
// request (the ceiling only bounds amounts).
QueryLimits EffectiveLimits(const QueryLimits& requested, const QueryLimits& defaults, const QueryLimits& ceiling);

// What a scan did, reported with every result.
struct ScanStats {
  uint64_t rows_read = 0;         // rows decoded and filtered
  uint64_t granules_total = 0;    // granules in the time range
  uint64_t granules_skipped = 0;  // ruled out by skip indexes (of those the scan reached)
  uint64_t granules_read = 0;
  bool partial = false;        // a limit in kBreak mode stopped the scan
  std::string partial_reason;  // e.g. "max_rows_to_read (1000000) reached"
};

}  // namespace otelstack::query
