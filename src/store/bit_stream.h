// Bit streams: bit fields packed least significant bit first, so that
// field k starts at the bit after field k-1 ends and byte i holds bits
// 8i..8i+7 of the stream; the last byte is padded with zero bits. The Rice
// codes (rice_codec.h), the raw bits of bucketed residuals (column_codec.cc)
// and the bit-packed numbers of text templates (text_template_codec.cc) are
// written and read with these.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace otelstack {

// The n (0..64) low bits of v.
inline uint64_t LowBits(uint64_t v, int n) { return n == 0 ? 0 : v & (~uint64_t{0} >> (64 - n)); }

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

// Reads bit fields at any bit position of a byte string; bits past its end
// read as zero (the caller checks the position against the size, and the
// padding with PaddingIsZero, at the end).
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
  // Whether what is left after the position is only the last byte's padding,
  // all zero bits: a stream BitWriter wrote, read to its end.
  bool PaddingIsZero() const {
    if (pos_ > size_bits()) return false;
    const uint64_t left = size_bits() - pos_;
    return left < 8 && LowBits(Peek(), static_cast<int>(left)) == 0;
  }

 private:
  const unsigned char* data_;
  size_t size_;
  uint64_t pos_ = 0;
};

}  // namespace otelstack
