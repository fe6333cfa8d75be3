// Rng: the deterministic random source of the synthetic data generators.
//
// Same seed, same sequence, on every platform: it uses std::mt19937_64 (whose
// output is fixed by the standard) and its own distributions instead of the
// implementation-defined std::*_distribution classes.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace otelstack::bench {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }
  // Uniform in [0, n); n > 0.
  uint64_t Uniform(uint64_t n) { return engine_() % n; }
  // Uniform in [lo, hi].
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Uniform(static_cast<uint64_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // Log-normal with the given median; sigma is the spread of log(x).
  double LogNormal(double median, double sigma) {
    double u1 = Unit(), u2 = Unit();
    if (u1 < 1e-300) u1 = 1e-300;
    double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    return median * std::exp(sigma * z);
  }
  // Index drawn with probability proportional to weights[i].
  size_t Weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Unit() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Uniform(items.size())];
  }
  // `n` random bytes, never all zero (OTLP treats all-zero ids as invalid).
  std::string Id(size_t n) {
    std::string out(n, '\0');
    for (size_t i = 0; i < n; i += 8) {
      uint64_t v = engine_();
      for (size_t j = 0; j < 8 && i + j < n; ++j) out[i + j] = static_cast<char>(v >> (8 * j));
    }
    out[0] |= 1;
    return out;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace otelstack::bench
