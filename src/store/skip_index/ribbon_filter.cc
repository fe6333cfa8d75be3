#include "store/skip_index/ribbon_filter.h"

#include <algorithm>
#include <array>
#include <bit>

#include "common/varint.h"

namespace otelstack {

namespace {

constexpr size_t kHeaderSize = 6;  // result_bits, seed, blocks
constexpr uint32_t kSlotsPerBlock = 64;
// Slots per hash. With 64-bit rows the elimination of 20,000 hashes (a
// granule of logs) fails about once in 40-60 builds at 1.08, more often for
// many more hashes (10-50 % at 60,000-400,000); a failure costs one more
// attempt, and every kAttemptsPerSize failures the filter grows. (Ordering
// the equations by start slot first, as RocksDB does for its larger filters,
// made builds of this size slower, not faster.)
constexpr double kSlotsPerHash = 1.08;
constexpr uint32_t kAttempts = 16;
static_assert(kAttempts <= 256, "the attempt is the seed, stored in one byte");
constexpr uint32_t kAttemptsPerSize = 4;  // then the filter grows by 1/8
// The widths of the store's token and trace-id filters (token_filter.h):
// their back substitution has its loops unrolled. Any other width gives the
// same filter, a little slower.
constexpr uint32_t kTokenWidth = 5;
constexpr uint32_t kTraceIdWidth = 13;

// A bijective 64-bit mixer (the finalizer of SplitMix64).
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

namespace ribbon_internal {

Equation EquationOf(uint64_t hash, uint32_t seed, uint32_t blocks, uint32_t result_bits) {
  const uint64_t x = Mix(hash + uint64_t{seed} * 0x9e3779b97f4a7c15ULL);
  const uint64_t starts = uint64_t{blocks} * kSlotsPerBlock - (kSlotsPerBlock - 1);
  Equation e;
  e.start = static_cast<uint32_t>(((x >> 32) * starts) >> 32);  // x's high half scaled to [0, starts)
  e.coefficients = Mix(x ^ 0x5851f42d4c957f2dULL) | 1;
  e.fingerprint = static_cast<uint32_t>(x) & static_cast<uint32_t>((uint64_t{1} << result_bits) - 1);
  return e;
}

}  // namespace ribbon_internal

namespace {

// The parity of x's set bits. (std::popcount is a library call on the baseline
// x86-64 that the build targets; GCC inlines a parity of its own.)
uint32_t Parity(uint64_t x) { return static_cast<uint32_t>(__builtin_parityll(x)); }

}  // namespace

using ribbon_internal::Equation;
using ribbon_internal::EquationOf;

bool RibbonFilterBuilder::Solve(std::span<const uint64_t> hashes, uint32_t result_bits, uint32_t seed,
                                uint32_t blocks) {
  const size_t slots = size_t{blocks} * kSlotsPerBlock;
  coefficients_.assign(slots, 0);
  results_.assign(slots, 0);
  // Elimination: a row is added at its start slot, or, when a row is there
  // already, is reduced by it (XOR) and moves on to its next set bit. Every
  // stored row has bit 0 set and ends inside the filter.
  //
  // Equations are made kAhead hashes early and their start slots
  // prefetched: each starts at a random slot, and the prefetch overlaps that
  // cache miss with the elimination of the hashes before it.
  constexpr size_t kAhead = 8;
  std::array<Equation, kAhead> ahead;
  auto prepare = [&](size_t k) {
    Equation& e = ahead[k % kAhead];
    e = EquationOf(hashes[k], seed, blocks, result_bits);
    __builtin_prefetch(&coefficients_[e.start], 1);
    __builtin_prefetch(&results_[e.start], 1);
  };
  for (size_t k = 0; k < std::min(kAhead, hashes.size()); ++k) prepare(k);
  for (size_t k = 0; k < hashes.size(); ++k) {
    const Equation e = ahead[k % kAhead];
    if (k + kAhead < hashes.size()) prepare(k + kAhead);
    size_t i = e.start;
    uint64_t c = e.coefficients;
    uint32_t r = e.fingerprint;
    for (;;) {
      if (coefficients_[i] == 0) {
        coefficients_[i] = c;
        results_[i] = r;
        break;
      }
      c ^= coefficients_[i];
      r ^= results_[i];
      if (c == 0) {
        if (r != 0) return false;  // contradicts the equations already added
        break;                     // implied by them
      }
      const int skip = std::countr_zero(c);
      i += skip;
      c >>= skip;
    }
  }
  words_.resize(size_t{blocks} * result_bits);
  switch (result_bits) {  // the widths the store writes, with their loops unrolled
    case kTokenWidth:
      BackSubstitute<kTokenWidth>(slots, result_bits, seed);
      break;
    case kTraceIdWidth:
      BackSubstitute<kTraceIdWidth>(slots, result_bits, seed);
      break;
    default:
      BackSubstitute<0>(slots, result_bits, seed);
  }
  return true;
}

// Back substitution, last slot first. window[k] holds bit k of the 64 slots
// after slot i (Z[i + 1] in bit 0), so once slot 64b is solved it holds bit k
// of block b's slots in the encoding's order. A slot without a row is free:
// it takes pseudo-random bits, so that hashes not added see random values.
template <uint32_t kResultBits>
void RibbonFilterBuilder::BackSubstitute(size_t slots, uint32_t result_bits, uint32_t seed) {
  const uint32_t bits = kResultBits != 0 ? kResultBits : result_bits;
  const uint32_t mask = static_cast<uint32_t>((uint64_t{1} << bits) - 1);
  std::array<uint64_t, kRibbonMaxResultBits> window{};
  for (size_t i = slots; i-- > 0;) {
    const uint64_t c = coefficients_[i];
    uint32_t z;
    if (c == 0) {
      z = static_cast<uint32_t>(Mix(i + (uint64_t{seed} << 32))) & mask;
    } else {
      z = results_[i];
      const uint64_t rest = c >> 1;  // bit j - 1: slot i + j
      for (uint32_t k = 0; k < bits; ++k) z ^= Parity(rest & window[k]) << k;
    }
    for (uint32_t k = 0; k < bits; ++k) window[k] = (window[k] << 1) | ((z >> k) & 1);
    if (i % kSlotsPerBlock == 0) std::copy_n(window.begin(), bits, &words_[i / kSlotsPerBlock * bits]);
  }
}

bool RibbonFilterBuilder::Build(std::span<const uint64_t> hashes, uint32_t result_bits, std::string* out) {
  if (result_bits == 0 || result_bits > kRibbonMaxResultBits) return false;
  uint64_t want = static_cast<uint64_t>(static_cast<double>(hashes.size()) * kSlotsPerHash) + 1;
  uint64_t blocks = hashes.empty() ? 0 : std::max<uint64_t>(1, (want + kSlotsPerBlock - 1) / kSlotsPerBlock);
  uint32_t seed = 0;
  if (blocks > 0) {
    bool solved = false;
    for (uint32_t attempt = 0; attempt < kAttempts && !solved; ++attempt) {
      if (attempt > 0 && attempt % kAttemptsPerSize == 0) blocks += blocks / 8 + 1;
      if (blocks > UINT32_MAX / kSlotsPerBlock) return false;
      seed = attempt;
      solved = Solve(hashes, result_bits, seed, static_cast<uint32_t>(blocks));
    }
    if (!solved) return false;
  }
  out->push_back(static_cast<char>(result_bits));
  out->push_back(static_cast<char>(seed));
  PutFixed32(out, static_cast<uint32_t>(blocks));
  if (blocks == 0) return true;
  out->reserve(out->size() + words_.size() * 8);
  for (uint64_t word : words_) PutFixed64(out, word);
  return true;
}

bool RibbonFilterView::Parse(std::string_view encoded) {
  valid_ = false;
  if (encoded.size() < kHeaderSize) return false;
  const auto result_bits = static_cast<uint8_t>(encoded[0]);
  const auto seed = static_cast<uint8_t>(encoded[1]);
  const uint32_t blocks = DecodeFixed32(encoded.data() + 2);
  if (result_bits == 0 || result_bits > kRibbonMaxResultBits) return false;
  if (blocks > UINT32_MAX / kSlotsPerBlock) return false;  // never built: slot numbers are 32-bit
  if (encoded.size() - kHeaderSize != uint64_t{blocks} * result_bits * 8) return false;
  words_ = encoded.data() + kHeaderSize;
  result_bits_ = result_bits;
  seed_ = seed;
  blocks_ = blocks;
  valid_ = true;
  return true;
}

bool RibbonFilterView::MayContain(uint64_t hash) const {
  if (!valid_) return true;
  if (blocks_ == 0) return false;  // the empty set
  const Equation e = EquationOf(hash, seed_, blocks_, result_bits_);
  const uint32_t offset = e.start % kSlotsPerBlock;
  const char* block = words_ + size_t{e.start / kSlotsPerBlock} * result_bits_ * 8;
  const char* next = block + size_t{result_bits_} * 8;  // read only when offset > 0: then it exists
  for (uint32_t k = 0; k < result_bits_; ++k) {
    uint64_t slots = DecodeFixed64(block + k * 8) >> offset;
    if (offset != 0) slots |= DecodeFixed64(next + k * 8) << (kSlotsPerBlock - offset);
    if (Parity(slots & e.coefficients) != ((e.fingerprint >> k) & 1u)) return false;
  }
  return true;
}

}  // namespace otelstack
