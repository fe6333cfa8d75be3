// Row-reference coding of a bytes column: the block format of
// ColumnEncoding::kBytesRowRef. Made for a span's ParentSpanId, which is the
// SpanId of another span of the same trace: parents start before their
// children, so in a granule sorted by time the parent is usually a few rows
// away. A reference to that row costs a byte or two before zstd; the id
// itself costs eight random bytes.
//
// Format (counts implied by `rows`, which the caller knows):
//   reference column varint   the stored column (its index in the part's
//                             columns) whose values are referenced
//   rows x code varint        0 = the next literal; c >= 1 = the reference
//                             column's value at row i - ZigZagDecode(c)
//                             (never i itself)
//   literal_count x length varint   (literal_count = the number of 0 codes)
//   the concatenated literal values
//
// The decoder validates every code, length and size and returns Corruption
// (no context; callers add file, granule and column) rather than reading out
// of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/column_codec.h"

namespace otelstack {

// Encodes `values` as references into `reference` (the same rows of the
// stored column `reference_column`) into *out, when the block is smaller
// than `bound` bytes; otherwise returns false (*out is then unspecified).
// Empty values are literals.
bool EncodeRowRefColumn(const BytesColumnView& values, const BytesColumnView& reference, uint32_t reference_column,
                        size_t bound, std::string* out);

// Decodes a kBytesRowRef block of `rows` values, given the same rows of its
// reference column (ReferencedStoredColumn names it), appending to *ends / *data as DecodeBytesColumn does.
Status DecodeRowRefColumn(std::string_view block, size_t rows, const BytesColumnView& reference,
                          std::vector<uint32_t>* ends, std::string* data);

}  // namespace otelstack
