// TokenBloom: a Bloom filter over token hashes (tokenizer.h), one per granule.
//
// Encoding: the filter's bit array as little-endian 64-bit words; its length
// (in words) is implied by the byte size. An empty encoding means "no
// filter": every token may be present.
//
// Sizing: a builder's bits per distinct hash (kTokenBloomBitsPerToken for
// tokens, kTraceIdBloomBitsPerId for trace ids), rounded up to whole words,
// and kTokenBloomProbes probes: about 2.3% false positives at 8 bits, 0.8% at
// 10, 0.02% at 20. Readers need not know the sizing: the probes are the same.
// Probe i of a 64-bit token hash sets bit ((h1 + i * h2) mod 2^32) mod bits,
// with h1 = its low 32 bits and h2 = its high 32 bits | 1 (double hashing),
// so building and querying agree as long as TokenHash is stable. (Filters of parts written
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
  explicit TokenBloomBuilder(uint32_t bits_per_hash) : bits_per_hash_(bits_per_hash) { ResetRecent(); }
  // Adding a hash again is cheap: a granule adds its common tokens thousands
  // of times, and those are caught by a small cache of recent hashes before
  // they reach the (larger, slower) set of distinct hashes.
  void Add(uint64_t token_hash) {
    uint64_t& recent = recent_[token_hash % kRecentSlots];
    if (recent == token_hash) return;
    recent = token_hash;
    // Inserted kPending adds later, once its slot of the set (prefetched
    // now) is likely in the cache.
    hashes_.Prefetch(token_hash);
    uint64_t& pending = pending_[pending_count_++ % kPending];
    if (pending_count_ > kPending) hashes_.Insert(pending);
    pending = token_hash;
  }
  // Appends the encoded filter of the hashes added since the last call and
  // forgets them.
  void FinishTo(std::string* out);

 private:
  static constexpr size_t kRecentSlots = 2048;  // 16 KiB: stays in the L1 cache
  static constexpr size_t kPending = 8;
  void ResetRecent();
  void InsertPending();

  const uint32_t bits_per_hash_;
  // Slot i holds a hash h with h % kRecentSlots == i that is already in
  // hashes_, or (after a reset) i ^ 1, which no hash looked up in slot i
  // equals.
  uint64_t recent_[kRecentSlots];
  HashSet64 hashes_;  // the distinct hashes: they size the filter
  // The last min(pending_count_, kPending) hashes added and not yet in
  // hashes_, in pending_[0..kPending) as a ring.
  uint64_t pending_[kPending];
  size_t pending_count_ = 0;
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

// A search for a rare word reads about 2.3% of a day's granules for nothing
// (0.8% at 10 bits). The filters are the largest thing a log record stores
// after its own columns: 2.5 distinct tokens per record in the synthetic
// logs, most of them a number or id of its own, so 8 bits instead of 10
// save 0.6 bytes per record; the needle search of the query benchmark stays
// far inside its target (docs/benchmarks.md).
inline constexpr uint32_t kTokenBloomBitsPerToken = 8;
// A trace lookup probes the trace-id filter of every granule of the day
// (~1,200 for 10M logs); at 10 bits about 9 granules would be read for
// nothing. A granule of logs holds ~1,100 distinct trace ids, so the extra 10
// bits cost about 0.17 bytes per log record.
inline constexpr uint32_t kTraceIdBloomBitsPerId = 20;
inline constexpr uint32_t kTokenBloomProbes = 7;
// Larger filters are never written; a reader treats one as "no filter".
inline constexpr uint64_t kTokenBloomMaxBits = uint64_t{1} << 31;

}  // namespace otelstack
