// BitWriter: appends bit fields to a byte string, least significant bit
// first: field k starts at the bit after field k-1 ends, and byte i holds
// bits 8i..8i+7 of the stream. The last byte is padded with zero bits.
// Used by the Rice codes (rice_codec.h) and the raw bits of bucketed
// residuals (column_codec.cc).
#pragma once

#include <cstdint>
#include <string>

namespace otelstack {

class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}

  // Appends the n (0..64) low bits of v; the bits above n must be zero.
  void Put(uint64_t v, int n) {
    if (n == 0) return;
    acc_ |= v << fill_;
    if (fill_ + n < 64) {
      fill_ += n;
      return;
    }
    Flush(8);
    acc_ = fill_ == 0 ? 0 : v >> (64 - fill_);
    fill_ = fill_ + n - 64;
  }

  // Writes the pending bits, the last byte padded with zeros.
  void Finish() { Flush((fill_ + 7) / 8); }

 private:
  // Whole 64-bit words go to the output as they fill.
  void Flush(int bytes) {
    char word[8];
    for (int b = 0; b < bytes; ++b) word[b] = static_cast<char>(acc_ >> (8 * b));
    out_->append(word, bytes);
  }

  std::string* out_;
  uint64_t acc_ = 0;
  int fill_ = 0;  // bits of acc_ in use
};

}  // namespace otelstack
