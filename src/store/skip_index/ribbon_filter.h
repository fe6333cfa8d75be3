// RibbonFilter: a static filter over a set of 64-bit hashes that answers
// "certainly not in the set" or "maybe in the set", in about 1.08 * r bits per
// hash for a false-positive rate of about 2^-r; a Bloom filter needs
// 1.44 * r bits for the same rate. (The standard Ribbon of Dillinger and
// Walzer, "Ribbon filter: practically smaller than Bloom and Xor", 2021,
// with 64-bit coefficient rows.)
//
// Idea: under a seed, every hash h names one equation over GF(2): a start
// slot s(h), 64 coefficients c(h) (bit 0 always set) and an r-bit
// fingerprint f(h). The filter is a solution Z (m slots of r bits each) of the
// equations of all the hashes added:
//
//   XOR of Z[s(h) + j] over the j in [0, 64) where bit j of c(h) is set == f(h)
//
// For any other hash the left side is a random r-bit value, equal to its f(h)
// with probability 2^-r. Since every equation's coefficients lie in a band of
// 64 slots, Gaussian elimination solves the system in time linear in the
// number of hashes. With m about 8% above the number of hashes the system is
// solvable with high probability; when it is not, the builder tries the next
// seed, which changes every equation, and after a few failures a larger m.
//
// Encoding:
//   result_bits : u8 in [1, kRibbonMaxResultBits]   (r)
//   seed        : u8
//   blocks      : u32 LE                            (m = 64 * blocks slots)
//   words       : blocks x r u64 LE; word r * b + k holds bit k of the 64
//                 slots Z[64b .. 64b + 63], slot 64b + i in bit i
// An encoding with blocks = 0 is of an empty set: it contains nothing.
//
// The equation of h is derived from Mix(h, seed) only, so building and
// querying agree as long as the hash of a token (tokenizer.h) is stable.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace otelstack {

inline constexpr uint32_t kRibbonMaxResultBits = 32;

namespace ribbon_internal {
// The equation of one hash in a filter of `blocks` blocks (64 slots each).
struct Equation {
  uint32_t start;         // in [0, 64 * blocks - 63): the band ends inside the filter
  uint32_t fingerprint;   // the right-hand side, result_bits bits
  uint64_t coefficients;  // bit j: slot start + j; bit 0 is always set
};
Equation EquationOf(uint64_t hash, uint32_t seed, uint32_t blocks, uint32_t result_bits);
}  // namespace ribbon_internal

class RibbonFilterBuilder {
 public:
  // Appends to *out the encoded filter of `hashes` with
  // `result_bits` in [1, kRibbonMaxResultBits] bits per slot. False (and *out
  // unchanged) in the rare case that no seed and size tried gave a solvable
  // system; the caller then stores no filter. A hash given twice is harmless
  // (its second equation reduces to nothing), but costs a slot's share.
  bool Build(std::span<const uint64_t> hashes, uint32_t result_bits, std::string* out);

 private:
  // Solves the system of `hashes` under `seed` with `blocks` blocks of slots
  // into words_ (the encoding's word order); false when it has no solution.
  bool Solve(std::span<const uint64_t> hashes, uint32_t result_bits, uint32_t seed, uint32_t blocks);
  // Solves the eliminated system into words_; kResultBits is result_bits,
  // or 0 when it is known only at run time.
  template <uint32_t kResultBits>
  void BackSubstitute(size_t slots, uint32_t result_bits, uint32_t seed);

  // Scratch, kept between builds so that a builder used granule after
  // granule does not allocate: the banded rows of the elimination (a
  // coefficient row starting at slot i is stored at i; 0 = no row yet) and
  // their right-hand sides.
  std::vector<uint64_t> coefficients_;
  std::vector<uint32_t> results_;
  std::vector<uint64_t> words_;
};

// A read-only view of an encoded filter.
class RibbonFilterView {
 public:
  // False when `encoded` is not a well-formed encoding (wrong size, bad
  // result_bits, too many blocks); the view then holds no filter.
  bool Parse(std::string_view encoded);
  // False only when `hash` was certainly not among the hashes built from.
  // True for every hash when no encoding parsed: a view without a filter
  // prunes nothing.
  bool MayContain(uint64_t hash) const;

 private:
  bool valid_ = false;
  const char* words_ = nullptr;
  uint32_t result_bits_ = 0;
  uint32_t seed_ = 0;
  uint32_t blocks_ = 0;
};

}  // namespace otelstack
