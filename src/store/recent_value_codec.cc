#include "store/recent_value_codec.h"

#include <bit>
#include <cstring>

#include "common/bytes_equal.h"
#include "common/hash.h"
#include "common/varint.h"

namespace otelstack {

namespace {

// Codes are at most kRecentListSize, so each is a one-byte varint.
static_assert(kRecentListSize < 0x80);

// After this many rows the encoder checks that values repeat: when more than
// 3/4 of them were new, the rest of the column (bodies, unique attributes)
// is not worth hashing.
constexpr size_t kSampleRows = 512;

Status Malformed(std::string_view what) {
  return Status::Corruption("malformed " + std::string(ColumnEncodingName(ColumnEncoding::kBytesRecent)) +
                            " block: " + std::string(what));
}

// Shifts entries 0..k-1 of `list` back by one (over entry k) and puts `value`
// at the front.
template <typename T>
void MoveToFront(T* list, size_t k, T value) {
  std::memmove(list + 1, list, k * sizeof(T));
  list[0] = value;
}

// The encoder's loop. The recent list holds, per position, a key of the value
// and a row holding it. With `exact_keys` the keys are value ids (equal ids
// <=> equal values); otherwise they are hashes and a match is confirmed by
// comparing the values. Either way a scan compares integers, which keeps a
// new value (it visits the whole list) cheap.
template <bool exact_keys, typename KeyOf>
bool EncodeWithKeys(const BytesColumnView& values, size_t max_bytes, KeyOf key_of, std::string* out) {
  const size_t n = values.size();
  out->assign(n, '\0');  // the codes; the literal stream is appended below
  uint64_t keys[kRecentListSize];
  uint32_t rows_of[kRecentListSize];
  size_t list_size = 0;
  std::vector<uint32_t> literal_rows;
  size_t block_bytes = n;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t key = key_of(i);
    size_t k = 0;
    if constexpr (exact_keys) {
      while (k < list_size && keys[k] != key) ++k;
    } else {
      const std::string_view v = values.value(i);
      while (k < list_size && !(keys[k] == key && BytesEqual(values.value(rows_of[k]), v))) ++k;
    }
    if (k == list_size) {  // a new value: its slot is a new last one, or the dropped last one
      literal_rows.push_back(static_cast<uint32_t>(i));
      const size_t length = values.value(i).size();
      block_bytes += VarintLength(length) + length;
      if (block_bytes >= max_bytes) return false;
      if (list_size < kRecentListSize) ++list_size;
      k = list_size - 1;
      (*out)[i] = 0;
    } else {
      (*out)[i] = static_cast<char>(k + 1);
    }
    MoveToFront(keys, k, key);
    if constexpr (!exact_keys) MoveToFront(rows_of, k, static_cast<uint32_t>(i));
    if (i + 1 == kSampleRows && literal_rows.size() * 4 > kSampleRows * 3) return false;
  }
  out->reserve(block_bytes);
  for (uint32_t r : literal_rows) PutVarint64(out, values.value(r).size());
  for (uint32_t r : literal_rows) out->append(values.value(r));
  return true;
}

}  // namespace

bool EncodeRecentValues(const BytesColumnView& values, std::span<const uint32_t> value_ids, size_t max_bytes,
                        std::string* out) {
  if (!value_ids.empty()) {
    return EncodeWithKeys<true>(
        values, max_bytes, [&](size_t i) -> uint64_t { return value_ids[i]; }, out);
  }
  return EncodeWithKeys<false>(
      values, max_bytes, [&](size_t i) -> uint64_t { return HashBytes(values.value(i)); }, out);
}

Status DecodeRecentValues(std::string_view block, size_t rows, std::vector<uint32_t>* ends, std::string* data) {
  if (block.size() < rows) return Malformed("truncated codes");
  // Pass 1: resolve every row to the literal that holds its value.
  std::vector<uint32_t> row_literal(rows);
  uint32_t list[kRecentListSize];
  size_t list_size = 0;
  uint32_t literal_count = 0;
  for (size_t i = 0; i < rows; ++i) {
    const size_t code = static_cast<unsigned char>(block[i]);
    if (code > list_size) return Malformed("code beyond the recent list");
    uint32_t literal;
    size_t k;
    if (code == 0) {
      literal = literal_count++;
      if (list_size < kRecentListSize) ++list_size;
      k = list_size - 1;
    } else {
      k = code - 1;
      literal = list[k];
    }
    MoveToFront(list, k, literal);
    row_literal[i] = literal;
  }
  std::string_view in = block.substr(rows);
  // Pass 2: the literal lengths, then their bytes, which must fill the rest.
  std::vector<uint32_t> starts;  // literal j spans [starts[j], starts[j+1]) of `literals`
  std::string_view literals;
  if (!GetLengthPrefixedValues(&in, literal_count, &starts, &literals)) return Malformed("bad literal lengths");
  if (!in.empty()) return Malformed("literal lengths do not match the literal bytes");
  return AppendBytesRows(
      rows,
      [&](size_t i) {
        const uint32_t literal = row_literal[i];
        return literals.substr(starts[literal], starts[literal + 1] - starts[literal]);
      },
      ends, data);
}

}  // namespace otelstack
