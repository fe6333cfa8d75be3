// Dependent-column coding, for a column that follows from another column of
// its granule:
//  - kBytesDependent and kFixedDependent: the column is a function of the
//    other in every row (a log's ScopeName and ScopeVersion of its service, a
//    SeverityNumber of its SeverityText, a metric's unit of its name). The
//    block holds one value per distinct value of the other column instead of
//    a dictionary index per row.
//  - kBytesConditional: the column takes few values with each value of the
//    other (the resource attributes of a service's few pods). Each row holds
//    an index into the values seen with its value of the other column: zstd
//    then codes the choice among a service's pods, not among all pods.
//
// Classes: the rows of a reference column fall into classes of equal
// values, numbered 0, 1, ... in the order of their first row. Both sides
// compute them from the reference column's values (or its dictionary codes,
// which give the same classes).
//
// Formats:
//   kBytesDependent  reference column varint (its stored index in the part),
//                    entry_count varint, entry_count x length varint, the
//                    concatenated entries (distinct values),
//                    class_count varint, class_count x entry index varint
//   kFixedDependent  reference column varint, class_count varint,
//                    class_count x value varint
//   kBytesConditional  reference column varint, entry_count varint,
//                    entry_count x length varint, the concatenated entries,
//                    class_count varint, class_count x (n varint, n x entry
//                    index varint: the entries that occur with the class),
//                    rows x local index varint (into the row's class list)
// class_count must equal the reference column's class count in the granule.
//
// Decoders validate everything and return Corruption (no context; callers add
// file, granule and column) rather than reading out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/column_codec.h"

namespace otelstack {

// The classes of a column's rows (see above).
struct RowClasses {
  std::vector<uint32_t> of_row;     // each row's class
  std::vector<uint32_t> first_row;  // each class's first row
  size_t count() const { return first_row.size(); }
};

// Classes from per-row codes of equal values (equal codes <=> equal values).
void ClassifyByCodes(std::span<const uint32_t> codes, RowClasses* out);
// Classes from the values themselves.
void ClassifyByValues(const BytesColumnView& values, RowClasses* out);

// Encodes a bytes column with classes `values` (the value of class k is
// class_values[k]) as a function of `reference`'s classes, into *out. False
// when it is not one (two rows of a reference class differ).
bool EncodeDependentBytesColumn(const RowClasses& values, std::span<const std::string_view> class_values,
                                const RowClasses& reference, uint32_t reference_column, std::string* out);
// Encodes the same column as an index per row into the values that occur
// with the row's reference class (kBytesConditional), into *out. False when
// some reference class occurs with more than kMaxConditionalValues values.
inline constexpr size_t kMaxConditionalValues = 32;
bool EncodeConditionalBytesColumn(const RowClasses& values, std::span<const std::string_view> class_values,
                                  const RowClasses& reference, uint32_t reference_column, std::string* out);
// Encodes a fixed column as a function of `reference` (kFixedDependent).
bool EncodeDependentFixedColumn(std::span<const uint64_t> values, const RowClasses& reference,
                                uint32_t reference_column, std::string* out);

// Decode, given the granule's reference classes. The bytes decoder appends
// as DecodeBytesColumn does, in dictionary form when `codes` is given.
Status DecodeDependentBytesColumn(std::string_view block, const RowClasses& reference, std::vector<uint32_t>* ends,
                                  std::string* data, std::vector<uint32_t>* codes = nullptr);
Status DecodeDependentFixedColumn(std::string_view block, const RowClasses& reference, std::vector<uint64_t>* out);
Status DecodeConditionalBytesColumn(std::string_view block, const RowClasses& reference, std::vector<uint32_t>* ends,
                                    std::string* data, std::vector<uint32_t>* codes = nullptr);

}  // namespace otelstack
