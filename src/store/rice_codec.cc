#include "store/rice_codec.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "store/bit_writer.h"

namespace otelstack {

namespace {

constexpr uint64_t kEscapeBits = kRiceEscapeQuotient + 64;

uint64_t LowBits(uint64_t v, int n) { return n == 0 ? 0 : v & (~uint64_t{0} >> (64 - n)); }

uint64_t CodeBits(uint64_t v, int k) {
  const uint64_t q = v >> k;
  return q < kRiceEscapeQuotient ? q + 1 + static_cast<uint64_t>(k) : kEscapeBits;
}

// Reads bit fields at any bit position of a byte string; bits past its end
// read as zero (the caller checks the position against the size at the end).
class BitReader {
 public:
  explicit BitReader(std::string_view in)
      : data_(reinterpret_cast<const unsigned char*>(in.data())), size_(in.size()) {}

  // At least the 57 bits from the current position, in the low bits.
  uint64_t Peek() const {
    const size_t byte = pos_ / 8;
    uint64_t w = 0;
    if (byte + 8 <= size_) {
      std::memcpy(&w, data_ + byte, 8);  // little-endian hosts only, as the rest of the store
    } else {
      for (size_t b = 0; byte + b < size_ && b < 8; ++b) w |= static_cast<uint64_t>(data_[byte + b]) << (8 * b);
    }
    return w >> (pos_ % 8);
  }
  void Skip(uint64_t bits) { pos_ += bits; }
  // The n (0..56) bits at the position, consumed.
  uint64_t Take(int n) {
    const uint64_t v = LowBits(Peek(), n);
    pos_ += n;
    return v;
  }

  uint64_t position() const { return pos_; }
  uint64_t size_bits() const { return uint64_t{size_} * 8; }

 private:
  const unsigned char* data_;
  size_t size_;
  uint64_t pos_ = 0;
};

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
  // Only the last byte's padding may remain, and it must be zero.
  const uint64_t left = r.size_bits() - r.position();
  return left < 8 && LowBits(r.Peek(), static_cast<int>(left)) == 0;
}

}  // namespace otelstack
