// Dependent-column coding: the block formats of ColumnEncoding::
// kBytesDependent and kFixedDependent, for a column whose value is a function
// of another column's value in every row of the granule. Resource and scope
// columns are: a log's ScopeName and ScopeVersion follow from its service
// (or its resource attributes), a SeverityNumber from its SeverityText, a
// metric's description and unit from its name. The block then holds one
// value per distinct value of the reference column instead of a dictionary
// index per row.
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
// The same for a fixed column.
bool EncodeDependentFixedColumn(std::span<const uint64_t> values, const RowClasses& reference,
                                uint32_t reference_column, std::string* out);

// Decode, given the granule's reference classes. The bytes decoder appends
// as DecodeBytesColumn does, in dictionary form when `codes` is given.
Status DecodeDependentBytesColumn(std::string_view block, const RowClasses& reference, std::vector<uint32_t>* ends,
                                  std::string* data, std::vector<uint32_t>* codes = nullptr);
Status DecodeDependentFixedColumn(std::string_view block, const RowClasses& reference, std::vector<uint64_t>* out);

}  // namespace otelstack
