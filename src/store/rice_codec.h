// Rice coding of unsigned 64-bit integers: the bit stream inside the
// kFixedRice column encoding (column_codec.h). Made for numbers whose low
// bits are noise, such as the gaps between sorted timestamps or durations:
// zstd over their varint bytes finds no repeats in those bits and pays close
// to a whole byte for each, while a Rice code pays one bit per power of two
// of the value's magnitude, plus its quotient in unary.
//
// Stream: one code per value, bits packed least significant first into
// bytes; the last byte is padded with zero bits.
//   code := q one-bits, one zero-bit, then the k low bits of v
//           (q = v >> k, when q < kRiceEscapeQuotient)
//         | kRiceEscapeQuotient one-bits, then v in 64 bits
//           (an outlier costs 96 bits instead of an unbounded unary run)
// The parameter k (0..kMaxRiceParameter) is stored by the caller.
//
// The decoder validates the stream's length and padding and returns false
// rather than reading out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace otelstack {

inline constexpr int kMaxRiceParameter = 56;
inline constexpr uint64_t kRiceEscapeQuotient = 32;

// Bits the codes of `values` take with parameter k.
uint64_t RiceCodedBits(std::span<const uint64_t> values, int k);

// The parameter (0..kMaxRiceParameter) that codes `values` in the fewest
// bits, and that number of bits.
int BestRiceParameter(std::span<const uint64_t> values, uint64_t* bits);

// Appends the codes of `values` with parameter k, padded to a whole byte.
void RiceEncode(std::span<const uint64_t> values, int k, std::string* out);

// Decodes exactly out.size() values coded with parameter k from `in`, which
// must hold nothing else (only the last byte's zero padding). False when it
// is truncated, too long or badly padded.
bool RiceDecode(std::string_view in, int k, std::span<uint64_t> out);

}  // namespace otelstack
