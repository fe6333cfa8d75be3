#include "store/skip_index/token_bloom.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace otelstack {

namespace {

// Calls f(bit index) for each probe of `hash` into a filter of `bits` bits
// (a power of two).
template <typename F>
void ForEachProbe(uint64_t hash, uint64_t bits, F&& f) {
  uint32_t h1 = static_cast<uint32_t>(hash);
  uint32_t h2 = static_cast<uint32_t>(hash >> 32) | 1;
  for (uint32_t i = 0; i < kTokenBloomProbes; ++i) f((h1 + uint64_t{i} * h2) & (bits - 1));
}

}  // namespace

void TokenBloomBuilder::FinishTo(std::string* out) {
  uint64_t want_bits = std::max<uint64_t>(64, hashes_.size() * uint64_t{kTokenBloomBitsPerToken});
  uint64_t bits = std::bit_ceil(want_bits);
  std::vector<uint64_t> words(bits / 64, 0);
  hashes_.ForEach(
      [&](uint64_t h) { ForEachProbe(h, bits, [&](uint64_t bit) { words[bit / 64] |= uint64_t{1} << (bit % 64); }); });
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
  uint64_t bits = uint64_t{bits_.size()} * 8;
  if (bits == 0) return true;
  bool all = true;
  ForEachProbe(hash, bits, [&](uint64_t bit) {
    auto byte = static_cast<unsigned char>(bits_[bit / 8]);
    all = all && ((byte >> (bit % 8)) & 1);
  });
  return all;
}

}  // namespace otelstack
