#include "store/rice_codec.h"

#include <algorithm>
#include <bit>

#include "store/bit_stream.h"

namespace otelstack {

namespace {

constexpr uint64_t kEscapeBits = kRiceEscapeQuotient + 64;

uint64_t CodeBits(uint64_t v, int k) {
  const uint64_t q = v >> k;
  return q < kRiceEscapeQuotient ? q + 1 + static_cast<uint64_t>(k) : kEscapeBits;
}

}  // namespace

uint64_t RiceCodedBits(std::span<const uint64_t> values, int k) {
  uint64_t bits = 0;
  for (uint64_t v : values) bits += CodeBits(v, k);
  return bits;
}

int BestRiceParameter(std::span<const uint64_t> values, uint64_t* bits) {
  // For geometrically distributed values the best k is about log2(mean);
  // the sizes of its neighbours are computed exactly (in one pass over the
  // values) and the smallest wins.
  double sum = 0;  // only a guess: double precision is plenty
  for (uint64_t v : values) sum += static_cast<double>(v);
  const double mean = values.empty() ? 0 : sum / static_cast<double>(values.size());
  const int guess = mean < 1 ? 0 : std::bit_width(static_cast<uint64_t>(std::min(mean, 0x1p63))) - 1;
  constexpr int kCandidates = 4;
  const int first = std::clamp(guess - 2, 0, kMaxRiceParameter - kCandidates + 1);
  uint64_t candidate_bits[kCandidates] = {};
  for (uint64_t v : values) {
    for (int c = 0; c < kCandidates; ++c) candidate_bits[c] += CodeBits(v, first + c);
  }
  const int best = static_cast<int>(std::min_element(candidate_bits, candidate_bits + kCandidates) - candidate_bits);
  *bits = candidate_bits[best];
  return first + best;
}

void RiceEncode(std::span<const uint64_t> values, int k, std::string* out) {
  out->reserve(out->size() + values.size() * (k + 2) / 8 + 8);  // typical quotients take a bit or two
  BitWriter w(out);
  for (uint64_t v : values) {
    const uint64_t q = v >> k;
    if (q < kRiceEscapeQuotient) {
      w.Put((uint64_t{1} << q) - 1, static_cast<int>(q) + 1);  // q ones, then the zero
      w.Put(LowBits(v, k), k);
    } else {
      w.Put((uint64_t{1} << kRiceEscapeQuotient) - 1, kRiceEscapeQuotient);
      w.Put(v, 64);
    }
  }
  w.Finish();
}

bool RiceDecode(std::string_view in, int k, std::span<uint64_t> out) {
  if (k < 0 || k > kMaxRiceParameter) return false;
  BitReader r(in);
  for (uint64_t& v : out) {
    const uint64_t window = r.Peek();
    const int q = std::countr_one(window);
    if (q >= static_cast<int>(kRiceEscapeQuotient)) {
      r.Skip(kRiceEscapeQuotient);
      const uint64_t low = r.Take(32);
      v = low | (r.Take(32) << 32);
      continue;
    }
    if (q + 1 + k <= 57) {  // the whole code is in the window
      v = (static_cast<uint64_t>(q) << k) | LowBits(window >> (q + 1), k);
      r.Skip(q + 1 + k);
    } else {
      r.Skip(q + 1);
      v = (static_cast<uint64_t>(q) << k) | r.Take(k);
    }
    if (r.position() > r.size_bits()) return false;  // ran past the end (and read zeros)
  }
  return r.PaddingIsZero();  // only the last byte's padding may remain
}

}  // namespace otelstack
