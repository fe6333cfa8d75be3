// TokenFilterBuilder: collects the distinct token hashes (tokenizer.h) of one
// granule and encodes them as a filter; FilterMayContain queries a stored
// filter of either format.
//
// Formats (a part's location sections say which a granule's filter has,
// skip_index.h):
//   kBloom  : TokenBloom (token_bloom.h), written by parts before ribbon
//             filters; only read now.
//   kRibbon : RibbonFilter (ribbon_filter.h): about 5.4 bits per distinct
//             token for 3.1 % false positives, where the Bloom filters
//             spent 8 bits for 2.3 %. Trace-id filters are in this format.
//   kRibbonWithNumbers : token filters written now, two RibbonFilters:
//             tokens_size varint, the filter of the tokens other than long
//             numbers (tokenizer.h; 5.4 bits per token), then the filter of
//             the long numbers at kLongNumberFilterResultBits (2.2 bits per
//             token, 25 % false positives). An empty part holds everything.
// An empty encoding, in any format, means "no filter": every token may be
// present.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash_set64.h"
#include "store/skip_index/ribbon_filter.h"
#include "store/skip_index/tokenizer.h"

namespace otelstack {

enum class FilterFormat : uint8_t { kBloom = 0, kRibbon = 1, kRibbonWithNumbers = 2 };

// False only when the filter `encoded` of format `format` certainly does not
// hold the token `key` (for filters of trace ids: {hash, false}). A filter
// that does not parse holds everything.
bool FilterMayContain(FilterFormat format, std::string_view encoded, tokens::TokenKey key);

// The two filters of a kRibbonWithNumbers encoding; false when it does not
// parse.
bool SplitRibbonWithNumbers(std::string_view encoded, std::string_view* tokens, std::string_view* numbers);

class TokenFilterBuilder {
 public:
  explicit TokenFilterBuilder(uint32_t result_bits) : result_bits_(result_bits) { ResetRecent(); }
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
  // Appends the encoded (kRibbon) filter of the hashes added since the last
  // call and forgets them. Appends nothing ("no filter") in the rare case
  // that the filter cannot be built.
  void FinishTo(std::string* out);
  // Forgets the hashes added since the last FinishTo, encoding nothing.
  void Clear();

 private:
  static constexpr size_t kRecentSlots = 2048;  // 16 KiB: stays in the L1 cache
  static constexpr size_t kPending = 8;
  void ResetRecent();
  void InsertPending();

  const uint32_t result_bits_;
  // Slot i holds a hash h with h % kRecentSlots == i that is already in
  // hashes_, or (after a reset) i ^ 1, which no hash looked up in slot i
  // equals.
  uint64_t recent_[kRecentSlots];
  HashSet64 hashes_;  // the distinct hashes
  // The last min(pending_count_, kPending) hashes added and not yet in
  // hashes_, in pending_[0..kPending) as a ring.
  uint64_t pending_[kPending];
  size_t pending_count_ = 0;
  std::vector<uint64_t> distinct_;  // scratch for FinishTo
  RibbonFilterBuilder ribbon_;
};

// Writes the kRibbonWithNumbers encoding of a granule's tokens: the tokens
// other than long numbers go to `tokens`, long numbers to `numbers`. When
// `numbers_complete` is false (some long numbers of the granule were never
// added) the filter of long numbers is left empty, holding them all, and
// `numbers` is cleared.
void FinishRibbonWithNumbers(TokenFilterBuilder& tokens, TokenFilterBuilder& numbers, bool numbers_complete,
                             std::string* out);

// A search for a rare word reads about 3.1% of a day's granules for nothing
// (the Bloom filters before read 2.3%). The filters are the largest thing a
// log record stores after its own columns: 2.5 distinct tokens per record in
// the synthetic logs, most of them a number or id of its own; at 5 bits they
// take about 1.7 bytes per record, at 6 bits (1.6 %) about 2.0, where the
// 8-bit Bloom filters took 2.5 (docs/benchmarks.md).
inline constexpr uint32_t kTokenFilterResultBits = 5;
// Long numbers other than the fractions of doubles (epoch milliseconds, card
// numbers in text): at 2 bits a search for one reads about a quarter of the
// granules. A granule holding a double whose text has a long fraction keeps
// no filter of long numbers at all (SkipIndexBuilder::
// AddDoubleWithLongFraction): such fractions, one per value (0.85 per
// synthetic log record), took 0.23 bytes per record at 2 bits, and
// rendering them to index them about a tenth of the flush's CPU.
inline constexpr uint32_t kLongNumberFilterResultBits = 2;
// A trace lookup probes the trace-id filter of every granule of the day
// (~1,200 for 10M logs): at 13 bits (0.012 %) about one lookup in seven
// reads a granule for nothing. A granule of logs holds ~1,100
// distinct trace ids: 0.24 bytes per log record.
inline constexpr uint32_t kTraceIdFilterResultBits = 13;

}  // namespace otelstack
