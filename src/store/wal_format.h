// The on-disk layout of a write-ahead log (WAL) segment, shared by WalWriter
// and WalReader.
//
// A segment is a sequence of kBlockSize blocks (the last one may be partial).
// A record (opaque bytes, at most kMaxRecordSize) is stored as one or more
// fragments; a fragment never crosses a block boundary. Two fragment formats
// exist; a segment file uses one from its first byte:
//
//   recyclable (written today):
//     checksum: fixed32 | length: fixed16 | type: uint8 (5..8) |
//     log_number: fixed32 | payload[length]
//   first (read only, segments of earlier versions):
//     checksum: fixed32 | length: fixed16 | type: uint8 (1..4) | payload[length]
//
// Integers are little-endian. checksum is the low 32 bits of XXH3_64bits over
// everything after the length: the type byte, the log number (recyclable
// format) and the payload, which are contiguous on disk. log_number is the
// low 32 bits of the segment's id. A record that fits in the rest of the
// current block is one Full fragment; otherwise it is First, zero or more
// Middle, and Last. When fewer than a header's bytes (of the segment's
// format) remain in a block, the writer fills them with zeros and continues
// in the next block; the reader skips them.
//
// Type 0 is never written: a header of type 0 and length 0 marks a
// zero-filled (preallocated or never-written) region.
//
// Reuse: a file written in the recyclable format from its first byte may be
// renamed to a later segment and overwritten from offset 0 by that segment's
// writer. Past the new writer's position it still holds the old segment's
// bytes: fragments with another log number, which end the log, or bytes
// that do not parse, which the reader tells apart from damage by looking at
// the next block (wal_reader.h). A file in the first format is never
// reused: its fragments do not name their segment.
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace otelstack::wal {

enum FragmentType : uint8_t {
  kZeroType = 0,  // reserved: zero-filled region, never written
  // First format.
  kFullType = 1,
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
  // Recyclable format: the same four, each plus kRecyclableTypeOffset.
  kRecyclableFullType = 5,
  kRecyclableFirstType = 6,
  kRecyclableMiddleType = 7,
  kRecyclableLastType = 8,
};
inline constexpr uint8_t kMaxFragmentType = kRecyclableLastType;
inline constexpr uint8_t kRecyclableTypeOffset = kRecyclableFullType - kFullType;

inline bool IsRecyclableType(uint8_t type) { return type >= kRecyclableFullType && type <= kRecyclableLastType; }

inline constexpr size_t kBlockSize = 32 * 1024;
inline constexpr size_t kHeaderSize = 4 + 2 + 1;                  // first format
inline constexpr size_t kRecyclableHeaderSize = kHeaderSize + 4;  // plus the log number
// Largest record the writer accepts and the reader reassembles. Bounds the
// reader's memory when a corrupt log chains fragments without end.
inline constexpr size_t kMaxRecordSize = 128u << 20;

// Where a header's checksummed bytes begin: its type byte (after the
// checksum and the length).
inline constexpr size_t kChecksumFrom = 6;

// Checksum of a fragment whose header is at `header`, of `header_size`
// bytes (kHeaderSize or kRecyclableHeaderSize), followed by `payload_size`
// payload bytes: XXH3 over everything from the type byte on.
inline uint32_t FragmentChecksum(const char* header, size_t header_size, size_t payload_size) {
  return static_cast<uint32_t>(XXH3_64bits(header + kChecksumFrom, header_size - kChecksumFrom + payload_size));
}

inline void EncodeFixed32(char* dst, uint32_t v) {
  for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>(v >> (8 * i));
}
inline uint32_t DecodeFixed32(const char* src) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(src[i])) << (8 * i);
  return v;
}

// Reading a header at `header` (the type byte is at the same place in both
// formats, and tells the header's size).
inline size_t FragmentLength(const char* header) {
  return static_cast<size_t>(static_cast<unsigned char>(header[4])) |
         static_cast<size_t>(static_cast<unsigned char>(header[5])) << 8;
}
inline uint8_t FragmentTypeByte(const char* header) { return static_cast<uint8_t>(header[6]); }
inline size_t HeaderSizeOf(uint8_t type) { return IsRecyclableType(type) ? kRecyclableHeaderSize : kHeaderSize; }
// REQUIRES: a recyclable header (of kRecyclableHeaderSize bytes).
inline uint32_t FragmentLogNumber(const char* header) { return DecodeFixed32(header + 7); }

// Writes the header of a first-format fragment at dst whose `length`
// payload bytes are already in place at dst + kHeaderSize. `length` must fit
// in 16 bits. (Only tests write this format now.)
inline void EncodeFragmentHeader(char* dst, FragmentType type, size_t length) {
  dst[4] = static_cast<char>(length & 0xff);
  dst[5] = static_cast<char>(length >> 8);
  dst[6] = static_cast<char>(type);
  EncodeFixed32(dst, FragmentChecksum(dst, kHeaderSize, length));
}

// Writes the fields of a recyclable fragment header (`type` 5..8) of
// segment `log_number` at dst, all but its checksum (bytes 4 to 10). A writer
// whose payload is not in place after the header computes the checksum
// itself (from kChecksumFrom on, then the payload, as FragmentChecksum) and
// stores it in bytes 0 to 3.
inline void EncodeRecyclableFragmentFields(char* dst, FragmentType type, uint32_t log_number, size_t length) {
  dst[4] = static_cast<char>(length & 0xff);
  dst[5] = static_cast<char>(length >> 8);
  dst[6] = static_cast<char>(type);
  EncodeFixed32(dst + 7, log_number);
}

// Writes the header of a recyclable fragment (`type` 5..8) of segment
// `log_number` at dst, whose `length` payload bytes are already in place at
// dst + kRecyclableHeaderSize.
inline void EncodeRecyclableFragmentHeader(char* dst, FragmentType type, uint32_t log_number, size_t length) {
  EncodeRecyclableFragmentFields(dst, type, log_number, length);
  EncodeFixed32(dst, FragmentChecksum(dst, kRecyclableHeaderSize, length));
}

// The log number of segment `segment_id`.
inline uint32_t LogNumberOf(uint64_t segment_id) { return static_cast<uint32_t>(segment_id); }

}  // namespace otelstack::wal
