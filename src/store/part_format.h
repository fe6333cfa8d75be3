// The on-disk layout of an immutable part file: the rows of one signal,
// stored column by column in granules (after ClickHouse MergeTree), each
// granule's rows sorted by time.
//
//   file    := header granule* footer trailer
//   header  := magic[8] "OTSPART1", format_version:u32 LE
//   granule := for each schema column, in schema order: one block
//   block   := the column's values for the granule's rows, encoded by
//              column_codec.h and then optionally zstd-compressed
//   footer  := signal:u8
//              column_count:varint, column_count x (name_len:varint, name, type:u8)
//              rows:varint, min_time:varint, max_time:varint
//              granule_count:varint, granule_count x granule_entry
//              section_count:varint, section_count x (kind:varint, len:varint, bytes)
//   granule_entry := rows:varint, min_time:varint, max_time:varint,
//              column_count x block_entry
//   block_entry := offset:varint, stored_size:varint, raw_size:varint,
//              encoding:u8, compression:u8, checksum:u64 LE (XXH3-64 of the stored bytes)
//   trailer := footer_len:u64 LE, footer_checksum:u64 LE (XXH3-64 of the footer),
//              magic[8]
//
// Invariants a reader relies on (and verifies at open):
//  - each granule holds 1..granule_rows rows sorted by time, and their row
//    counts sum to `rows`;
//  - granules are in order of their min_time; their time ranges may overlap
//    (a merge copies whole granules of several parts without re-sorting
//    their rows, see part_merge.h). The part's min_time is the first
//    granule's, its max_time the greatest granule max_time. (Version 1 parts
//    were written before merges copied granules and never overlap; they
//    satisfy the same invariants.)
//  - every block lies between the header and the footer;
//  - the footer records the column names and types the part was written with,
//    so a reader maps current schema columns by name (a column added later
//    reads as zeros; a column whose type changed makes the part unreadable).
//
// Sections are the extension point of the footer (skip indexes such as the
// filters per granule): a reader keeps the sections it knows and skips the
// others by length, so adding a section kind needs no format version bump.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/schema/schema.h"

namespace otelstack {

// What a part holds; times are nanoseconds since the epoch, inclusive.
struct PartInfo {
  Signal signal = Signal::kLogs;
  uint64_t rows = 0;
  uint64_t min_time = 0;
  uint64_t max_time = 0;
  uint64_t file_bytes = 0;
};

// One granule: rows [first_row, first_row + rows) of the part.
struct GranuleInfo {
  uint64_t first_row = 0;
  uint64_t rows = 0;
  uint64_t min_time = 0;
  uint64_t max_time = 0;
};

}  // namespace otelstack

namespace otelstack::part_format {

inline constexpr std::string_view kMagic{"OTSPART1", 8};
// Written by this version; readers accept kOldestFormatVersion..kFormatVersion.
// Version 2 allowed granules whose time ranges overlap, so older binaries
// (which reject overlaps) must not take such parts for corrupt ones.
// Version 3 added the column encodings kBytesRecent and kBytesTextTemplate
// (column_codec.h): an older binary says "newer format" instead of reporting
// an unknown encoding as corruption.
// Version 4 added kFixedRice, kFixedRelative, kFixedDependent,
// kBytesRowRef, kBytesDependent, kBytesConditional and kBytesRecentByClass,
// and blocks that refer to other columns of their granule.
// Version 5 gave shredded attribute maps' int fields a mode byte (the
// encodings kBytesKvShredded and kBytesKvShreddedPacked; version 4's layouts
// are read as kBytesKvShreddedDeltaInts and kBytesKvShreddedPackedDeltaInts),
// and added part dictionaries (kZstdDictionary, kDictionaryStreams and the
// section kDictionarySection).
// Version 6 stores the number variables of text templates by context
// (kBytesTextTemplate, and shredded string fields in mode 3; version 5's
// layouts are read as kBytesTextTemplateOneNumberStream and mode 2).
// Version 7 added entropy-coded dictionary indexes (kBytesDictCoded, and in
// shredded attribute maps int fields in mode 2 and length-prefixed values in
// mode 4), split full-precision doubles (mode 11 of double fields) and
// attribute fields coded given another field (int mode 3, string mode 5),
// coded bool fields, bucketed residuals (kFixedRice modes 2 and 3), and
// text templates with rANS-coded row codes (kBytesTextTemplateCodedRows,
// and shredded string fields in mode 6).
// Version 8 added kBytesListItems (arrays of kvlists as their items).
inline constexpr uint32_t kFormatVersion = 8;
inline constexpr uint32_t kOldestFormatVersion = 1;
inline constexpr size_t kHeaderSize = 8 + 4;
inline constexpr size_t kTrailerSize = 8 + 8 + 8;
// Sanity bounds checked when parsing a footer, so a corrupt (but
// checksum-colliding) or hostile file cannot make the reader allocate wildly.
inline constexpr uint64_t kMaxFooterBytes = uint64_t{1} << 30;
inline constexpr uint64_t kMaxBlockRawBytes = uint64_t{0xFFFFFFFF};

// Compression applied to an encoded block. The stored bytes are:
//   kNone               the block
//   kZstd               one zstd frame of the block
//   kZstdDictionary     a part dictionary's id (u64 LE), then one zstd frame
//                       of the block that refers to that dictionary
//   kDictionaryStreams  a part dictionary's id (u64 LE), then the block,
//                       which holds zstd frames of its own (streams of an
//                       encoding that compresses itself)
// In both, every zstd frame inside the block refers to the dictionary too.
// raw_size is the block's size in every case. A reader resolves the id in
// the part's kDictionarySection; a block whose dictionary is missing is
// corrupt.
enum class BlockCompression : uint8_t { kNone = 0, kZstd = 1, kZstdDictionary = 2, kDictionaryStreams = 3 };
inline constexpr size_t kDictionaryIdBytes = 8;
inline bool RefersToDictionary(uint8_t compression) {
  return compression == static_cast<uint8_t>(BlockCompression::kZstdDictionary) ||
         compression == static_cast<uint8_t>(BlockCompression::kDictionaryStreams);
}

// The part dictionaries (store/zstd_dictionary.h) the blocks refer to:
//   section kDictionarySection := count:varint, count x (id:u64 LE,
//     raw_size:varint, stored_size:varint, checksum:u64 LE (XXH3-64 of the
//     stored bytes), stored bytes: a zstd frame of the content when
//     stored_size < raw_size, else the content)
// where id is the XXH3-64 of the content. Only dictionaries that some block
// refers to are stored.
inline constexpr uint32_t kDictionarySection = 5;

// Where one column block of one granule lives, and how to decode it.
struct BlockEntry {
  uint64_t offset = 0;       // from the start of the file
  uint64_t stored_size = 0;  // bytes on disk
  uint64_t raw_size = 0;     // bytes after decompression (== stored_size when kNone)
  uint8_t encoding = 0;      // column_codec.h ColumnEncoding
  uint8_t compression = 0;   // BlockCompression
  uint64_t checksum = 0;     // XXH3-64 of the stored bytes
};

// A typed footer section. Kinds are never reused; 0 is reserved.
struct Section {
  uint32_t kind = 0;
  std::string bytes;
};

}  // namespace otelstack::part_format
