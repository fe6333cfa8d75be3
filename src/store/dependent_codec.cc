#include "store/dependent_codec.h"

#include "common/string_index.h"
#include "common/varint.h"
#include "store/part_format.h"

namespace otelstack {

namespace {

constexpr uint32_t kUnset = UINT32_MAX;

Status Malformed(ColumnEncoding e, std::string_view what) {
  return Status::Corruption("malformed " + std::string(ColumnEncodingName(e)) + " block: " + std::string(what));
}

// Skips the reference column (the caller has resolved it).
Status SkipReferenceColumn(ColumnEncoding e, std::string_view* in) {
  uint64_t column;
  if (!GetVarint64(in, &column)) return Malformed(e, "truncated header");
  return Status::OK();
}

// Reads the class count, which must match the reference's.
Status ReadClassCount(ColumnEncoding e, std::string_view* in, const RowClasses& reference) {
  uint64_t count;
  if (!GetVarint64(in, &count)) return Malformed(e, "truncated class count");
  if (count != reference.count()) return Malformed(e, "class count does not match the reference column");
  return Status::OK();
}

}  // namespace

void ClassifyByCodes(std::span<const uint32_t> codes, RowClasses* out) {
  out->of_row.resize(codes.size());
  out->first_row.clear();
  thread_local std::vector<uint32_t> class_of_code;
  class_of_code.clear();
  for (size_t i = 0; i < codes.size(); ++i) {
    const uint32_t code = codes[i];
    if (code >= class_of_code.size()) class_of_code.resize(code + 1, kUnset);
    if (class_of_code[code] == kUnset) {
      class_of_code[code] = static_cast<uint32_t>(out->first_row.size());
      out->first_row.push_back(static_cast<uint32_t>(i));
    }
    out->of_row[i] = class_of_code[code];
  }
}

void ClassifyByValues(const BytesColumnView& values, RowClasses* out) {
  thread_local StringIndex index;
  index.Clear();
  out->of_row.resize(values.size());
  out->first_row.clear();
  for (size_t i = 0; i < values.size(); ++i) {
    const auto [id, added] = index.Insert(values.value(i));
    if (added) out->first_row.push_back(static_cast<uint32_t>(i));
    out->of_row[i] = id;
  }
}

bool EncodeDependentBytesColumn(const RowClasses& values, std::span<const std::string_view> class_values,
                                const RowClasses& reference, uint32_t reference_column, std::string* out) {
  const size_t n = values.of_row.size();
  if (reference.of_row.size() != n || class_values.size() != values.count()) return false;
  thread_local std::vector<uint32_t> value_of_class;
  value_of_class.assign(reference.count(), kUnset);
  for (size_t i = 0; i < n; ++i) {
    uint32_t& v = value_of_class[reference.of_row[i]];
    if (v == kUnset) {
      v = values.of_row[i];
    } else if (v != values.of_row[i]) {
      return false;
    }
  }
  out->clear();
  PutVarint64(out, reference_column);
  PutVarint64(out, class_values.size());
  for (std::string_view v : class_values) PutVarint64(out, v.size());
  for (std::string_view v : class_values) out->append(v);
  PutVarint64(out, value_of_class.size());
  for (uint32_t v : value_of_class) PutVarint64(out, v);
  return true;
}

bool EncodeDependentFixedColumn(std::span<const uint64_t> values, const RowClasses& reference,
                                uint32_t reference_column, std::string* out) {
  const size_t n = values.size();
  if (reference.of_row.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (values[i] != values[reference.first_row[reference.of_row[i]]]) return false;
  }
  out->clear();
  PutVarint64(out, reference_column);
  PutVarint64(out, reference.count());
  for (uint32_t row : reference.first_row) PutVarint64(out, values[row]);
  return true;
}

Status DecodeDependentBytesColumn(std::string_view block, const RowClasses& reference, std::vector<uint32_t>* ends,
                                  std::string* data, std::vector<uint32_t>* codes) {
  constexpr ColumnEncoding e = ColumnEncoding::kBytesDependent;
  if (codes != nullptr) codes->clear();
  OTELSTACK_RETURN_IF_ERROR(SkipReferenceColumn(e, &block));
  uint64_t entry_count;
  if (!GetVarint64(&block, &entry_count) || entry_count > block.size()) return Malformed(e, "bad entry count");
  std::vector<uint32_t> starts(entry_count + 1);  // entry k spans [starts[k], starts[k+1]) of the entry bytes
  uint64_t entry_bytes = 0;
  for (uint64_t k = 0; k < entry_count; ++k) {
    uint64_t len;
    if (!GetVarint64(&block, &len) || len > block.size() || (entry_bytes += len) > block.size()) {
      return Malformed(e, "bad entry lengths");
    }
    starts[k + 1] = static_cast<uint32_t>(entry_bytes);
  }
  const std::string_view entries = block.substr(0, entry_bytes);
  block.remove_prefix(entry_bytes);
  OTELSTACK_RETURN_IF_ERROR(ReadClassCount(e, &block, reference));
  std::vector<uint32_t> entry_of_class(reference.count());
  for (uint32_t& k : entry_of_class) {
    uint64_t index;
    if (!GetVarint64(&block, &index) || index >= entry_count) return Malformed(e, "bad entry index");
    k = static_cast<uint32_t>(index);
  }
  if (!block.empty()) return Malformed(e, "trailing bytes");

  const size_t rows = reference.of_row.size();
  if (codes != nullptr) {  // dictionary form: the entries, then a code per row
    if (data->size() + entries.size() > part_format::kMaxBlockRawBytes) {
      return Status::ResourceExhausted("bytes column exceeds 4 GiB");
    }
    const size_t base = data->size();
    data->append(entries);
    for (uint64_t k = 0; k < entry_count; ++k) ends->push_back(static_cast<uint32_t>(base + starts[k + 1]));
    codes->resize(rows);
    for (size_t i = 0; i < rows; ++i) (*codes)[i] = entry_of_class[reference.of_row[i]];
    return Status::OK();
  }
  uint64_t total = 0;
  for (uint32_t c : reference.of_row) total += starts[entry_of_class[c] + 1] - starts[entry_of_class[c]];
  if (data->size() + total > part_format::kMaxBlockRawBytes) {
    return Status::ResourceExhausted("bytes column exceeds 4 GiB");
  }
  data->reserve(data->size() + total);
  ends->reserve(ends->size() + rows);
  for (uint32_t c : reference.of_row) {
    const uint32_t k = entry_of_class[c];
    data->append(entries.substr(starts[k], starts[k + 1] - starts[k]));
    ends->push_back(static_cast<uint32_t>(data->size()));
  }
  return Status::OK();
}

Status DecodeDependentFixedColumn(std::string_view block, const RowClasses& reference, std::vector<uint64_t>* out) {
  constexpr ColumnEncoding e = ColumnEncoding::kFixedDependent;
  OTELSTACK_RETURN_IF_ERROR(SkipReferenceColumn(e, &block));
  OTELSTACK_RETURN_IF_ERROR(ReadClassCount(e, &block, reference));
  std::vector<uint64_t> value_of_class(reference.count());
  for (uint64_t& v : value_of_class) {
    if (!GetVarint64(&block, &v)) return Malformed(e, "truncated values");
  }
  if (!block.empty()) return Malformed(e, "trailing bytes");
  out->reserve(out->size() + reference.of_row.size());
  for (uint32_t c : reference.of_row) out->push_back(value_of_class[c]);
  return Status::OK();
}

}  // namespace otelstack
