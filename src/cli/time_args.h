// Parsing of durations ("90s", "15m", "24h", "7d") and points in time
// (RFC 3339 like "2026-11-21T10:00:00Z", or a Unix time in seconds) given on
// the command line.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace otelstack::cli {

StatusOr<std::chrono::nanoseconds> ParseDuration(const std::string& text);
StatusOr<uint64_t> ParseTimeNanos(const std::string& text);

}  // namespace otelstack::cli
