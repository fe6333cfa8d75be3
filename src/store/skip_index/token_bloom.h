// TokenBloom: a Bloom filter over token hashes (tokenizer.h), one per granule.
//
// Encoding: the filter's bit array as little-endian 64-bit words; its length
// (in words) is implied by the byte size. An empty encoding means "no
// filter": every token may be present.
//
// Sizing: kBitsPerToken bits per distinct token, rounded up to whole words,
// and kProbes probes: about a 1% false-positive rate. Probe i of a 64-bit
// token hash sets bit ((h1 + i * h2) mod 2^32) mod bits, with h1 = its low
// 32 bits and h2 = its high 32 bits | 1 (double hashing), so building and
// querying agree as long as TokenHash is stable. (Filters of parts written
// before this sizing had a power-of-two size, where this is the same bit.)
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash_set64.h"

namespace otelstack {

class TokenBloomBuilder {
 public:
  TokenBloomBuilder() { ResetRecent(); }
  // Adding a hash again is cheap: a granule adds its common tokens thousands
  // of times, and those are caught by a small cache of recent hashes before
  // they reach the (larger, slower) set of distinct hashes.
  void Add(uint64_t token_hash) {
    uint64_t& recent = recent_[token_hash % kRecentSlots];
    if (recent == token_hash) return;
    recent = token_hash;
    hashes_.Insert(token_hash);
  }
  // Appends the encoded filter of the hashes added since the last call and
  // forgets them.
  void FinishTo(std::string* out);

 private:
  static constexpr size_t kRecentSlots = 2048;  // 16 KiB: stays in the L1 cache
  void ResetRecent();

  // Slot i holds a hash h with h % kRecentSlots == i that is already in
  // hashes_, or (after a reset) i ^ 1, which no hash looked up in slot i
  // equals.
  uint64_t recent_[kRecentSlots];
  HashSet64 hashes_;  // the distinct hashes: they size the filter
};

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

inline constexpr uint32_t kTokenBloomBitsPerToken = 10;
inline constexpr uint32_t kTokenBloomProbes = 7;
// Larger filters are never written; a reader treats one as "no filter".
inline constexpr uint64_t kTokenBloomMaxBits = uint64_t{1} << 31;

}  // namespace otelstack
