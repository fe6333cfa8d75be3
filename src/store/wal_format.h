// The on-disk layout of a write-ahead log (WAL) segment, shared by WalWriter
// and WalReader.
//
// A segment is a sequence of kBlockSize blocks (the last one may be partial).
// A record (opaque bytes, at most kMaxRecordSize) is stored as one or more
// fragments; a fragment never crosses a block boundary:
//
//   fragment := checksum: fixed32 | length: fixed16 | type: uint8 |
//   payload[length]
//
// Integers are little-endian. checksum is the low 32 bits of XXH3_64bits over
// the type byte followed by the payload (which are contiguous on disk). A
// record that fits in the rest of the current block is one kFull fragment;
// otherwise it is kFirst, zero or more kMiddle, and kLast. When fewer than
// kHeaderSize bytes remain in a block, the writer fills them with zeros and
// continues in the next block; the reader skips them.
//
// Type 0 is never written: a header of type 0 and length 0 marks a
// zero-filled (preallocated or never-written) region.
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace otelstack::wal {

enum FragmentType : uint8_t {
  kZeroType = 0,  // reserved: zero-filled region, never written
  kFullType = 1,
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
};
inline constexpr uint8_t kMaxFragmentType = kLastType;

inline constexpr size_t kBlockSize = 32 * 1024;
inline constexpr size_t kHeaderSize = 4 + 2 + 1;
// Largest record the writer accepts and the reader reassembles. Bounds the
// reader's memory when a corrupt log chains fragments without end.
inline constexpr size_t kMaxRecordSize = 128u << 20;

// Checksum of a fragment; `type_and_payload` points at the type byte, which
// is immediately followed by `payload_size` payload bytes.
inline uint32_t FragmentChecksum(const char* type_and_payload, size_t payload_size) {
  return static_cast<uint32_t>(XXH3_64bits(type_and_payload, 1 + payload_size));
}

inline void EncodeFixed32(char* dst, uint32_t v) {
  for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>(v >> (8 * i));
}
inline uint32_t DecodeFixed32(const char* src) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(src[i])) << (8 * i);
  return v;
}

// Writes the header of a fragment at dst whose `length` payload bytes are
// already in place at dst + kHeaderSize. `length` must fit in 16 bits.
inline void EncodeFragmentHeader(char* dst, FragmentType type, size_t length) {
  dst[4] = static_cast<char>(length & 0xff);
  dst[5] = static_cast<char>(length >> 8);
  dst[6] = static_cast<char>(type);
  EncodeFixed32(dst, FragmentChecksum(dst + 6, length));
}

}  // namespace otelstack::wal
