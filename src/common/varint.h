// LEB128 variable-length integers (the protobuf "varint") and zigzag mapping.
// Used by the OTLP wire decoder, the stored value encoding and the part format.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace otelstack {

// The number of bytes PutVarint64 writes for v.
inline size_t VarintLength(uint64_t v) { return v < 0x80 ? 1 : (static_cast<size_t>(std::bit_width(v)) + 6) / 7; }

// Writes v as a varint at dst (room for kMaxVarint64Bytes) and returns the
// end of what it wrote.
inline constexpr size_t kMaxVarint64Bytes = 10;
inline char* EncodeVarint64(char* dst, uint64_t v) {
  while (v >= 0x80) {
    *dst++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *dst++ = static_cast<char>(v);
  return dst;
}

// The general cases of writing and reading a varint (varint.cc), out of line
// so that the one-byte cases inline everywhere.
namespace internal {
// PutVarint64 of a value of two or more bytes.
void PutVarint64Long(std::string* out, uint64_t v);
// The number of bytes read from the front of `in` (the value in *v), 0 when
// `in` is truncated or the varint is longer than 10 bytes. The caller's view
// is passed by value, so that it need not live in memory: a view that is
// written as two 8-byte stores and then loaded as one 16-byte value stalls
// the load.
size_t ReadVarint64Long(std::string_view in, uint64_t* v);
}  // namespace internal

[[gnu::always_inline]] inline void PutVarint64(std::string* out, uint64_t v) {
  if (v < 0x80) {  // most lengths, codes and small numbers
    out->push_back(static_cast<char>(v));
    return;
  }
  internal::PutVarint64Long(out, v);
}

// Reads a varint from the front of *in and advances it. Returns false (and
// leaves *in unspecified) when the input is truncated or longer than 10 bytes.
[[gnu::always_inline]] inline bool GetVarint64(std::string_view* in, uint64_t* v) {
  if (!in->empty() && static_cast<unsigned char>(in->front()) < 0x80) {  // most lengths, codes and small numbers
    *v = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    return true;
  }
  const size_t n = internal::ReadVarint64Long(*in, v);
  if (n == 0) return false;
  in->remove_prefix(n);
  return true;
}

// A length varint, then that many bytes (strings, keys, streams).
inline void PutLengthPrefixed(std::string* out, std::string_view bytes) {
  PutVarint64(out, bytes.size());
  out->append(bytes.data(), bytes.size());
}

// Reads what PutLengthPrefixed wrote from the front of *in and advances it;
// *out views *in's bytes. False when the input is truncated.
[[gnu::always_inline]] inline bool GetLengthPrefixed(std::string_view* in, std::string_view* out) {
  const char* data = in->data();
  const size_t size = in->size();
  uint64_t len;
  size_t n = 1;
  if (size != 0 && static_cast<unsigned char>(data[0]) < 0x80) {
    len = static_cast<unsigned char>(data[0]);
  } else if ((n = internal::ReadVarint64Long(*in, &len)) == 0) {
    return false;
  }
  if (len > size - n) return false;
  *out = std::string_view(data + n, len);
  *in = std::string_view(data + n + len, size - n - len);
  return true;
}

inline uint64_t ZigZagEncode(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t ZigZagDecode(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

inline void PutFixed32(std::string* out, uint32_t v) {
  char buf[4];
  for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>(v >> (8 * i));
  out->append(buf, 4);
}
inline void PutFixed64(std::string* out, uint64_t v) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(v >> (8 * i));
  out->append(buf, 8);
}
inline uint32_t DecodeFixed32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}
inline void EncodeFixed32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
inline void EncodeFixed64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * i));
}

}  // namespace otelstack
