// An injectable wall clock, so tests can move time (key expiry, grace periods).
#pragma once

#include <chrono>
#include <functional>

namespace otelstack::meta {

using Clock = std::function<std::chrono::system_clock::time_point()>;

inline Clock SystemClock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace otelstack::meta
