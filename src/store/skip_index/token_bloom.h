// TokenBloom: the Bloom filters of token hashes that parts held before ribbon
// filters (token_filter.h). Only read now: parts written earlier keep them
// until they are merged or expire.
//
// Encoding: the filter's bit array as little-endian 64-bit words; its length
// (in words) is implied by the byte size. An empty encoding means "no
// filter": every token may be present.
//
// They were sized at 8 bits per distinct token hash (about 2.3 % false
// positives) and 20 bits per distinct trace id hash (0.02 %), rounded up to
// whole words, with kTokenBloomProbes probes. Probe i of a 64-bit hash sets
// bit ((h1 + i * h2) mod 2^32) mod bits, with h1 = its low 32 bits and h2 =
// its high 32 bits | 1 (double hashing). (Filters of parts written before
// that sizing had a power-of-two size, where this is the same bit.)
#pragma once

#include <cstdint>
#include <string_view>

namespace otelstack {

// A read-only view of an encoded filter.
class TokenBloomView {
 public:
  TokenBloomView() = default;
  explicit TokenBloomView(std::string_view encoded) : bits_(encoded) {}
  // False only when `token_hash` was certainly not added.
  bool MayContain(uint64_t token_hash) const;

 private:
  std::string_view bits_;
};

inline constexpr uint32_t kTokenBloomProbes = 7;
// Larger filters were never written; a reader treats one as "no filter".
inline constexpr uint64_t kTokenBloomMaxBits = uint64_t{1} << 31;

}  // namespace otelstack
