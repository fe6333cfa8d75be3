#include "store/skip_index/token_bloom.h"

#include <bit>

namespace otelstack {

namespace {

// x mod d for 32-bit x and d > 0, without a division (Lemire, Kaser and
// Kurz, "Faster Remainder by Direct Computation", 2019; exact for all 32-bit
// operands).
class Modulus {
 public:
  explicit Modulus(uint32_t d) : m_(UINT64_MAX / d + 1), d_(d) {}
  uint32_t Of(uint32_t x) const {
    uint64_t low = m_ * x;
    return static_cast<uint32_t>((static_cast<unsigned __int128>(low) * d_) >> 64);
  }

 private:
  uint64_t m_;
  uint32_t d_;
};

// Calls f(bit index) for each probe of `hash` into a filter of `bits` bits.
template <typename F>
void ForEachProbe(uint64_t hash, const Modulus& bits, F&& f) {
  uint32_t h1 = static_cast<uint32_t>(hash);
  uint32_t h2 = static_cast<uint32_t>(hash >> 32) | 1;
  for (uint32_t i = 0; i < kTokenBloomProbes; ++i) f(bits.Of(h1 + i * h2));  // wraps mod 2^32
}

}  // namespace

bool TokenBloomView::MayContain(uint64_t hash) const {
  uint64_t size_bits = uint64_t{bits_.size()} * 8;
  if (size_bits == 0 || size_bits > kTokenBloomMaxBits) return true;
  const Modulus bits(static_cast<uint32_t>(size_bits));
  bool all = true;
  ForEachProbe(hash, bits, [&](uint32_t bit) {
    auto byte = static_cast<unsigned char>(bits_[bit / 8]);
    all = all && ((byte >> (bit % 8)) & 1);
  });
  return all;
}

}  // namespace otelstack
