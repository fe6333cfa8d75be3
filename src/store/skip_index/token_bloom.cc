#include "store/skip_index/token_bloom.h"

#include <algorithm>
#include <bit>
#include <cstring>

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

void TokenBloomBuilder::InsertPending() {
  for (size_t i = 0; i < std::min(pending_count_, kPending); ++i) hashes_.Insert(pending_[i]);
  pending_count_ = 0;
}

void TokenBloomBuilder::FinishTo(std::string* out) {
  InsertPending();
  uint64_t want_bits = hashes_.size() * uint64_t{bits_per_hash_};
  uint64_t words_needed = std::clamp<uint64_t>((want_bits + 63) / 64, 1, kTokenBloomMaxBits / 64);
  std::vector<uint64_t> words(words_needed, 0);
  const Modulus bits(static_cast<uint32_t>(words.size() * 64));
  hashes_.ForEach(
      [&](uint64_t h) { ForEachProbe(h, bits, [&](uint32_t bit) { words[bit / 64] |= uint64_t{1} << (bit % 64); }); });
  size_t at = out->size();
  out->resize(at + words.size() * 8);
  for (size_t i = 0; i < words.size(); ++i) {
    uint64_t le = std::endian::native == std::endian::little ? words[i] : __builtin_bswap64(words[i]);
    std::memcpy(out->data() + at + i * 8, &le, 8);
  }
  hashes_.Clear();
  ResetRecent();
}

void TokenBloomBuilder::ResetRecent() {
  for (size_t i = 0; i < kRecentSlots; ++i) recent_[i] = i ^ 1;
}

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
