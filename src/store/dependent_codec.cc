#include "store/dependent_codec.h"

#include "common/string_index.h"
#include "common/varint.h"

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

// The distinct values of a kBytesDependent or kBytesConditional block.
struct Entries {
  std::string_view bytes;        // concatenated
  std::vector<uint32_t> starts;  // entry k spans [starts[k], starts[k+1]) of bytes
  size_t count() const { return starts.size() - 1; }
  std::string_view at(size_t k) const { return bytes.substr(starts[k], starts[k + 1] - starts[k]); }
};

// Writes the reference column and the entries (the layouts' common head).
void PutEntries(uint32_t reference_column, std::span<const std::string_view> values, std::string* out) {
  out->clear();
  PutVarint64(out, reference_column);
  PutVarint64(out, values.size());
  for (std::string_view v : values) PutVarint64(out, v.size());
  for (std::string_view v : values) out->append(v);
}

// Reads what PutEntries wrote (the reference column is skipped: the caller
// has resolved it).
Status ReadEntries(ColumnEncoding e, std::string_view* in, Entries* entries) {
  OTELSTACK_RETURN_IF_ERROR(SkipReferenceColumn(e, in));
  uint64_t count;
  if (!GetVarint64(in, &count) || !GetLengthPrefixedValues(in, count, &entries->starts, &entries->bytes)) {
    return Malformed(e, "bad entries");
  }
  return Status::OK();
}

Status ReadEntryIndex(ColumnEncoding e, std::string_view* in, const Entries& entries, uint32_t* index) {
  uint64_t k;
  if (!GetVarint64(in, &k) || k >= entries.count()) return Malformed(e, "bad entry index");
  *index = static_cast<uint32_t>(k);
  return Status::OK();
}

// Appends the rows (entry_of_row: each row's entry) as DecodeBytesColumn
// does, in dictionary form when `codes` is given.
Status AppendRows(const Entries& entries, std::span<const uint32_t> entry_of_row, std::vector<uint32_t>* ends,
                  std::string* data, std::vector<uint32_t>* codes) {
  if (codes != nullptr) {  // the entries, then a code per row
    OTELSTACK_RETURN_IF_ERROR(AppendBytesRows(
        entries.count(), [&](size_t k) { return entries.at(k); }, ends, data));
    codes->assign(entry_of_row.begin(), entry_of_row.end());
    return Status::OK();
  }
  return AppendBytesRows(
      entry_of_row.size(), [&](size_t i) { return entries.at(entry_of_row[i]); }, ends, data);
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
  PutEntries(reference_column, class_values, out);
  PutVarint64(out, value_of_class.size());
  for (uint32_t v : value_of_class) PutVarint64(out, v);
  return true;
}

bool EncodeConditionalBytesColumn(const RowClasses& values, std::span<const std::string_view> class_values,
                                  const RowClasses& reference, uint32_t reference_column, std::string* out) {
  const size_t n = values.of_row.size();
  if (reference.of_row.size() != n || class_values.size() != values.count()) return false;
  // Per reference class, the value classes seen with it, in order.
  thread_local std::vector<std::vector<uint32_t>> seen_with;
  seen_with.resize(reference.count());
  for (auto& list : seen_with) list.clear();
  thread_local std::vector<uint32_t> local;
  local.resize(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<uint32_t>& list = seen_with[reference.of_row[i]];
    const uint32_t value = values.of_row[i];
    size_t k = 0;
    while (k < list.size() && list[k] != value) ++k;
    if (k == list.size()) {
      if (k == kMaxConditionalValues) return false;
      list.push_back(value);
    }
    local[i] = static_cast<uint32_t>(k);
  }
  PutEntries(reference_column, class_values, out);
  PutVarint64(out, seen_with.size());
  for (const auto& list : seen_with) {
    PutVarint64(out, list.size());
    for (uint32_t v : list) PutVarint64(out, v);
  }
  for (uint32_t k : local) PutVarint64(out, k);
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
  Entries entries;
  OTELSTACK_RETURN_IF_ERROR(ReadEntries(e, &block, &entries));
  OTELSTACK_RETURN_IF_ERROR(ReadClassCount(e, &block, reference));
  std::vector<uint32_t> entry_of_class(reference.count());
  for (uint32_t& k : entry_of_class) {
    OTELSTACK_RETURN_IF_ERROR(ReadEntryIndex(e, &block, entries, &k));
  }
  if (!block.empty()) return Malformed(e, "trailing bytes");
  std::vector<uint32_t> entry_of_row(reference.of_row.size());
  for (size_t i = 0; i < entry_of_row.size(); ++i) entry_of_row[i] = entry_of_class[reference.of_row[i]];
  return AppendRows(entries, entry_of_row, ends, data, codes);
}

Status DecodeConditionalBytesColumn(std::string_view block, const RowClasses& reference, std::vector<uint32_t>* ends,
                                    std::string* data, std::vector<uint32_t>* codes) {
  constexpr ColumnEncoding e = ColumnEncoding::kBytesConditional;
  Entries entries;
  OTELSTACK_RETURN_IF_ERROR(ReadEntries(e, &block, &entries));
  OTELSTACK_RETURN_IF_ERROR(ReadClassCount(e, &block, reference));
  // The entries seen with class c are list[list_start[c] .. list_start[c+1]).
  std::vector<uint32_t> list_start(reference.count() + 1), list;
  for (size_t c = 0; c < reference.count(); ++c) {
    uint64_t size;
    if (!GetVarint64(&block, &size) || size > block.size()) return Malformed(e, "bad class list size");
    for (uint64_t k = 0; k < size; ++k) {
      uint32_t entry = 0;  // set by ReadEntryIndex; initialised for GCC's Release flow analysis
      OTELSTACK_RETURN_IF_ERROR(ReadEntryIndex(e, &block, entries, &entry));
      list.push_back(entry);
    }
    list_start[c + 1] = static_cast<uint32_t>(list.size());
  }
  std::vector<uint32_t> entry_of_row(reference.of_row.size());
  for (size_t i = 0; i < entry_of_row.size(); ++i) {
    const uint32_t c = reference.of_row[i];
    uint64_t k;
    if (!GetVarint64(&block, &k)) return Malformed(e, "truncated rows");
    if (k >= list_start[c + 1] - list_start[c]) return Malformed(e, "index beyond the class list");
    entry_of_row[i] = list[list_start[c] + k];
  }
  if (!block.empty()) return Malformed(e, "trailing bytes");
  return AppendRows(entries, entry_of_row, ends, data, codes);
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
