// Doubles that are decimals: whether a double is exactly the integer r
// divided by 10^scale, for scale in [0, kMaxDecimalScale].
//
// Used by the column codec (durations and prices stored as scaled integers)
// and by the token index (a double whose text needs more fraction digits
// than kMaxDecimalScale has a long-number fraction, skip_index.h).
//
// Exactness: the test computes x = nearbyint(v * 10^scale) and then x /
// 10^scale, which IEEE division rounds correctly, so it holds exactly when
// the decimal x / 10^scale reads back as v. When such a decimal exists,
// nearbyint finds it as long as |v * 10^scale| stays far below 2^53 (the
// product's rounding error is then well under 1/2).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace otelstack {

inline constexpr int kMaxDecimalScale = 9;
inline constexpr double kDecimalPow10[kMaxDecimalScale + 1] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

// True when v == r / 10^scale exactly, with |r| < 2^53; *r is set whenever
// the scaled value is in that range. -0.0, NaN and infinities are never
// decimals. `scale` must be in [0, kMaxDecimalScale].
inline bool DecimalAt(double v, int scale, int64_t* r) {
  if (!std::isfinite(v)) return false;
  const double x = std::nearbyint(v * kDecimalPow10[scale]);
  if (!(std::fabs(x) < 9007199254740992.0)) return false;  // 2^53: exact in a double
  *r = static_cast<int64_t>(x);
  const double back = static_cast<double>(*r) / kDecimalPow10[scale];
  return std::bit_cast<uint64_t>(back) == std::bit_cast<uint64_t>(v);  // also rejects -0.0
}

}  // namespace otelstack
