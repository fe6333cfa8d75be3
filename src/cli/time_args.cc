#include "cli/time_args.h"

#include <charconv>
#include <ctime>

namespace otelstack::cli {

StatusOr<std::chrono::nanoseconds> ParseDuration(const std::string& text) {
  using namespace std::chrono;
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string unit(ptr, text.data() + text.size());
  if (ec != std::errc() || ptr == text.data()) {
    return Status::InvalidArgument("duration '" + text + "': expected a number and a unit, e.g. 15m, 24h, 7d");
  }
  if (unit == "ms") return duration_cast<nanoseconds>(milliseconds(value));
  if (unit == "s" || unit.empty()) return duration_cast<nanoseconds>(seconds(value));
  if (unit == "m") return duration_cast<nanoseconds>(minutes(value));
  if (unit == "h") return duration_cast<nanoseconds>(hours(value));
  if (unit == "d") return duration_cast<nanoseconds>(hours(24 * value));
  return Status::InvalidArgument("duration '" + text + "': unknown unit '" + unit + "' (use ms, s, m, h or d)");
}

StatusOr<uint64_t> ParseTimeNanos(const std::string& text) {
  uint64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && ptr == text.data() + text.size()) return seconds * 1000000000ULL;

  struct tm tm {};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) rest = strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &tm);
  if (!rest) {
    rest = strptime(text.c_str(), "%Y-%m-%d", &tm);
    if (rest && *rest != '\0') rest = nullptr;
  }
  if (!rest) {
    return Status::InvalidArgument("time '" + text +
                                   "': use RFC 3339 (2026-11-21T10:00:00Z), a date, or Unix seconds");
  }
  uint64_t nanos = 0;
  if (*rest == '.') {
    ++rest;
    uint64_t scale = 100000000ULL;
    while (*rest >= '0' && *rest <= '9') {
      nanos += static_cast<uint64_t>(*rest - '0') * scale;
      scale /= 10;
      ++rest;
    }
  }
  int64_t offset_seconds = 0;
  if (*rest == 'Z' || *rest == 'z') {
    ++rest;
  } else if (*rest == '+' || *rest == '-') {
    int sign = *rest == '-' ? -1 : 1;
    int hh = 0, mm = 0;
    if (std::sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2) {
      return Status::InvalidArgument("time '" + text + "': bad UTC offset");
    }
    offset_seconds = sign * (hh * 3600 + mm * 60);
    rest += 6;
  }
  if (*rest != '\0') return Status::InvalidArgument("time '" + text + "': unexpected '" + std::string(rest) + "'");
  int64_t epoch = static_cast<int64_t>(timegm(&tm)) - offset_seconds;
  if (epoch < 0) return Status::InvalidArgument("time '" + text + "' is before 1970");
  return static_cast<uint64_t>(epoch) * 1000000000ULL + nanos;
}

}  // namespace otelstack::cli
