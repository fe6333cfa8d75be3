// ClickHouse RowBinary primitives: little-endian fixed-width numbers,
// LEB128 lengths, length-prefixed strings (arrays: LEB128 count, then the
// elements; Map: count, then key/value pairs; Nullable: one byte, 1 = NULL,
// then the value when not NULL; DateTime: UInt32 seconds; DateTime64(9):
// Int64 nanoseconds).
//
// The writers append to a caller-owned std::string (reused across rows);
// RowBinaryReader reads views into the input and never allocates.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/varint.h"

namespace otelstack::clickhouse {

inline void PutU8(std::string* out, uint8_t v) { out->push_back(static_cast<char>(v)); }
inline void PutU32(std::string* out, uint32_t v) { PutFixed32(out, v); }
inline void PutU64(std::string* out, uint64_t v) { PutFixed64(out, v); }
inline void PutF64(std::string* out, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  PutFixed64(out, bits);
}
inline void PutLength(std::string* out, uint64_t n) { PutVarint64(out, n); }
inline void PutString(std::string* out, std::string_view s) {
  PutVarint64(out, s.size());
  out->append(s.data(), s.size());
}
// Raw bytes as a lowercase hex String.
inline void PutHexString(std::string* out, std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  PutVarint64(out, raw.size() * 2);
  size_t at = out->size();
  out->resize(at + raw.size() * 2);
  char* p = out->data() + at;
  for (unsigned char c : raw) {
    *p++ = kDigits[c >> 4];
    *p++ = kDigits[c & 15];
  }
}

// Reads RowBinary values from the front of a buffer. Every read returns
// false once the input is exhausted or malformed (and stays failed).
class RowBinaryReader {
 public:
  explicit RowBinaryReader(std::string_view data) : rest_(data) {}

  bool done() const { return rest_.empty(); }
  size_t remaining() const { return rest_.size(); }

  bool U8(uint8_t* v) {
    if (rest_.empty()) return false;
    *v = static_cast<uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return true;
  }
  bool U32(uint32_t* v) {
    if (rest_.size() < 4) return false;
    *v = DecodeFixed32(rest_.data());
    rest_.remove_prefix(4);
    return true;
  }
  bool U64(uint64_t* v) {
    if (rest_.size() < 8) return false;
    *v = DecodeFixed64(rest_.data());
    rest_.remove_prefix(8);
    return true;
  }
  bool F64(double* v) {
    uint64_t bits;
    if (!U64(&bits)) return false;
    std::memcpy(v, &bits, 8);
    return true;
  }
  // An array or map length; rejects counts that cannot fit in the rest of
  // the input (every element takes at least one byte), so a corrupt count
  // cannot make a caller reserve huge buffers.
  bool Length(uint64_t* n) { return GetVarint64(&rest_, n) && *n <= rest_.size(); }
  bool String(std::string_view* s) {
    uint64_t n;
    if (!GetVarint64(&rest_, &n) || n > rest_.size()) return false;
    *s = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }

 private:
  std::string_view rest_;
};

}  // namespace otelstack::clickhouse
