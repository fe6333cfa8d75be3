// Recent-value (move-to-front) coding of a bytes column: the block format of
// ColumnEncoding::kBytesRecent. Made for id columns (TraceId, SpanId): a
// granule sorted by time interleaves the records of many instances, so an id
// recurs a few rows later with other ids in between. A dictionary pays one or
// two bytes of index per row and zstd pays two or three bytes per repeat;
// here a repeat is a small code that zstd's entropy stage packs into a few
// bits.
//
// Format (all counts implied by `rows`, which the caller knows):
//   rows x code          one byte each (a varint below 128): 0 = the next new
//                        value of the literal stream; k in 1..list size = the
//                        value at position k-1 of the recent list
//   literal_count x length varint   (literal_count = the number of 0 codes)
//   the concatenated literal values
// The recent list starts empty. A new value is pushed to the front and, when
// the list already holds kRecentListSize values, the last one is dropped; a
// value found at position k-1 moves to the front. Empty values are values
// like any other. kRecentListSize is part of the format: it never changes
// without a new encoding id.
//
// The decoder validates every code, length and size and returns Corruption
// (no context; callers add file, granule and column) rather than reading out
// of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/column_codec.h"
#include "store/dependent_codec.h"

namespace otelstack {

// Measured on 3M synthetic log records (TraceId, SpanId) with zstd 3 on top:
// 16 -> 64 entries saves 0.03 B/record; 128 saves under 0.01 more.
inline constexpr size_t kRecentListSize = 64;
// Measured on 1M synthetic log records (TraceId by service, of 1-3
// instances each): 4 -> 8 entries saves 0.003 B/record, 16 under 0.001 more.
inline constexpr size_t kClassListSize = 8;

// Encodes `values` (REQUIRES: non-empty) into *out (replacing its content)
// and returns true, unless the block would reach `max_bytes` or the values
// rarely repeat (most of the first rows are new values, as in message
// bodies): then returns false, leaving *out unspecified, having spent a
// fraction of the full encoding's work. `value_ids` is empty or holds one id
// per row with equal ids <=> equal values (a dictionary's indexes): the
// encoder then compares ids instead of hashing and comparing values.
bool EncodeRecentValues(const BytesColumnView& values, std::span<const uint32_t> value_ids, size_t max_bytes,
                        std::string* out);

// Decodes a block of `rows` values: appends them to *data and their end
// offsets (continuing from the current data->size()) to *ends. On error
// neither is modified. Fails if *data would exceed 4 GiB.
Status DecodeRecentValues(std::string_view block, size_t rows, std::vector<uint32_t>* ends, std::string* data);

// The kBytesRecentByClass forms of the two above. `classes` are the row
// classes of column `class_column` in the granule (REQUIRES: one per row of
// `values`); the decoder's row count is theirs. `value_ids` as above (the
// column's own classes will do).
bool EncodeRecentValuesByClass(const BytesColumnView& values, std::span<const uint32_t> value_ids,
                               const RowClasses& classes, uint32_t class_column, size_t max_bytes, std::string* out);
Status DecodeRecentValuesByClass(std::string_view block, const RowClasses& classes, std::vector<uint32_t>* ends,
                                 std::string* data);

}  // namespace otelstack
