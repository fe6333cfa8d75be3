#include "store/row_ref_codec.h"

#include "common/string_index.h"
#include "common/varint.h"

namespace otelstack {

namespace {

Status Malformed(std::string_view what) {
  return Status::Corruption("malformed " + std::string(ColumnEncodingName(ColumnEncoding::kBytesRowRef)) +
                            " block: " + std::string(what));
}

}  // namespace

bool EncodeRowRefColumn(const BytesColumnView& values, const BytesColumnView& reference, uint32_t reference_column,
                        size_t bound, std::string* out) {
  const size_t n = values.size();
  if (reference.size() != n) return false;
  // The first row holding each non-empty reference value.
  thread_local StringIndex index;
  thread_local std::vector<uint32_t> row_of;
  index.Clear();
  row_of.clear();
  for (size_t j = 0; j < n; ++j) {
    const std::string_view v = reference.value(j);
    if (!v.empty() && index.Insert(v).second) row_of.push_back(static_cast<uint32_t>(j));
  }
  out->clear();
  PutVarint64(out, reference_column);
  thread_local std::vector<uint32_t> literal_rows;
  literal_rows.clear();
  size_t literal_bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::string_view v = values.value(i);
    const uint32_t id = v.empty() ? StringIndex::kAbsent : index.Find(v);
    if (id == StringIndex::kAbsent || row_of[id] == i) {
      out->push_back(0);
      literal_rows.push_back(static_cast<uint32_t>(i));
      literal_bytes += VarintLength(v.size()) + v.size();
    } else {
      PutVarint64(out, ZigZagEncode(static_cast<int64_t>(i) - static_cast<int64_t>(row_of[id])));
    }
    if (out->size() + literal_bytes >= bound) return false;
  }
  out->reserve(out->size() + literal_bytes);
  for (uint32_t r : literal_rows) PutVarint64(out, values.value(r).size());
  for (uint32_t r : literal_rows) out->append(values.value(r));
  return true;
}

Status DecodeRowRefColumn(std::string_view block, size_t rows, const BytesColumnView& reference,
                          std::vector<uint32_t>* ends, std::string* data) {
  if (reference.size() != rows) return Malformed("reference column has another row count");
  uint64_t column;
  if (!GetVarint64(&block, &column)) return Malformed("truncated header");
  // Pass 1: each row's source, a reference row or (as ~literal) a literal.
  std::vector<uint32_t> source(rows);
  uint32_t literal_count = 0;
  for (size_t i = 0; i < rows; ++i) {
    uint64_t code;
    if (!GetVarint64(&block, &code)) return Malformed("truncated codes");
    if (code == 0) {
      source[i] = ~literal_count++;
      continue;
    }
    const int64_t distance = ZigZagDecode(code);
    const int64_t j = static_cast<int64_t>(i) - distance;
    if (distance == 0 || j < 0 || j >= static_cast<int64_t>(rows)) return Malformed("reference outside the granule");
    source[i] = static_cast<uint32_t>(j);
  }
  // Pass 2: the literal lengths, then their bytes, which must fill the rest.
  std::vector<uint32_t> starts;  // literal k spans [starts[k], starts[k+1]) of `literals`
  std::string_view literals;
  if (!GetLengthPrefixedValues(&block, literal_count, &starts, &literals)) return Malformed("bad literal lengths");
  if (!block.empty()) return Malformed("literal lengths do not match the literal bytes");
  return AppendBytesRows(
      rows,
      [&](size_t i) {
        if (static_cast<int32_t>(source[i]) >= 0) return reference.value(source[i]);
        const uint32_t k = ~source[i];
        return literals.substr(starts[k], starts[k + 1] - starts[k]);
      },
      ends, data);
}

}  // namespace otelstack
