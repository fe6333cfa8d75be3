// Order-0 entropy coding of symbol streams with rANS (range asymmetric
// numeral systems, J. Duda 2013): for the dictionary indexes of
// low-cardinality values, whose symbols are nearly independent draws from a
// skewed distribution (HTTP methods, routes, status codes). zstd codes such
// streams with Huffman literals plus matches that cost more than they save;
// rANS with the stream's own frequencies comes within a fraction of a
// percent of its order-0 entropy.
//
// Stream layout (the symbol count and the alphabet size are the caller's,
// known to both sides):
//   scale_bits u8                 in [kRansMinScaleBits, kRansMaxScaleBits]
//   alphabet x frequency varint   sum == 2^scale_bits; 0 for an unused symbol
//   state bytes                   what the coder emitted, in decoding order;
//                                 the first eight are the final states of
//                                 its two coders (LE each): symbol i goes
//                                 through coder i % 2, so that decoding
//                                 works on two independent chains at once
// Decoding verifies that every byte is used and that the state returns to
// its initial value, so damage is caught rather than decoded into garbage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace otelstack {

inline constexpr uint32_t kRansMaxAlphabet = 4096;
inline constexpr uint32_t kRansMinScaleBits = 12;
inline constexpr uint32_t kRansMaxScaleBits = 15;

// Frequencies of a stream's symbols scaled to a power of two, as the stream
// stores them; the size its coded form will take follows from them.
class RansModel {
 public:
  // From the symbol counts (`counts[s]` occurrences of symbol s; at least one
  // nonzero; counts.size() <= kRansMaxAlphabet).
  explicit RansModel(std::span<const uint32_t> counts);
  // The coded size in bytes of a stream with these counts, within a byte.
  size_t EncodedSize(std::span<const uint32_t> counts) const;
  uint32_t scale_bits() const { return scale_bits_; }
  const std::vector<uint32_t>& frequencies() const { return frequencies_; }

 private:
  uint32_t scale_bits_;
  std::vector<uint32_t> frequencies_;
};

// Appends the coded `symbols` (each < model.frequencies().size() and of
// nonzero frequency) to *out.
void RansEncode(const RansModel& model, std::span<const uint16_t> symbols, std::string* out);

// Encodes `symbols` (< alphabet) into *coded and returns true when they look
// like independent draws, for which an order-0 coder is as good as any;
// false (and *coded unspecified) when they have structure that zstd's
// matches code better: runs (rows sorted or clustered by the value),
// cycles (round-robin instances), any sequence that recurs. The test
// predicts each symbol as the one that followed the last occurrence of the
// three before it (what a match would continue with): independent draws are
// predicted right with probability sum p^2, structure far more often.
bool RansEncodeIfIndependent(std::span<const uint16_t> symbols, size_t alphabet, std::string* coded);

// Decodes `count` symbols over an alphabet of `alphabet` symbols from all of
// `in` into *out (replacing its contents). Corruption when `in` is not such
// a stream.
Status RansDecode(std::string_view in, size_t count, uint32_t alphabet, std::vector<uint16_t>* out);

}  // namespace otelstack
