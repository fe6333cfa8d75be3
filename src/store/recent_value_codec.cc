#include "store/recent_value_codec.h"

#include <bit>
#include <cstring>

#include "common/bytes_equal.h"
#include "common/hash.h"
#include "common/varint.h"

namespace otelstack {

namespace {

// Codes are at most kClassListSize + kRecentListSize, so each is a one-byte
// varint.
static_assert(kClassListSize + kRecentListSize < 0x80);

// After this many rows the encoder checks that values repeat: when more than
// 3/4 of them were new, the rest of the column (bodies, unique attributes)
// is not worth hashing.
constexpr size_t kSampleRows = 512;

Status Malformed(ColumnEncoding e, std::string_view what) {
  return Status::Corruption("malformed " + std::string(ColumnEncodingName(e)) + " block: " + std::string(what));
}

// Shifts entries 0..k-1 of `list` back by one (over entry k) and puts `value`
// at the front.
template <typename T>
void MoveToFront(T* list, size_t k, T value) {
  std::memmove(list + 1, list, k * sizeof(T));
  list[0] = value;
}

// Appends the literal lengths, then the literals (the values of
// `literal_rows`), to *out, which grows to `block_bytes`.
void AppendLiterals(const BytesColumnView& values, const std::vector<uint32_t>& literal_rows, size_t block_bytes,
                    std::string* out) {
  out->reserve(block_bytes);
  for (uint32_t r : literal_rows) PutVarint64(out, values.value(r).size());
  for (uint32_t r : literal_rows) out->append(values.value(r));
}

// Whether the encoder should give up after row i: the first kSampleRows rows
// were mostly new values.
bool RarelyRepeats(size_t i, size_t literals) { return i + 1 == kSampleRows && literals * 4 > kSampleRows * 3; }

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
    if (RarelyRepeats(i, literal_rows.size())) return false;
  }
  AppendLiterals(values, literal_rows, block_bytes, out);
  return true;
}

// A class's most recent values, most recent first (the encoder's): keys (as
// in EncodeWithKeys) and a row holding each.
struct ClassList {
  uint64_t keys[kClassListSize];
  uint32_t rows[kClassListSize];
  size_t size = 0;
};

// A class's most recent values, most recent first (the decoder's): the
// literals holding them.
struct LiteralList {
  uint32_t literals[kClassListSize];
  size_t size = 0;
};

// Resolves each row of a block's codes to the literal holding its value
// (pass 1 of both decoders). With `lists` (null for kBytesRecent), row i's
// class list is (*lists)[row_class[i]]; without, codes are positions in the
// shared list. Returns the literal count through *literal_count.
Status ResolveCodes(ColumnEncoding e, std::string_view codes, std::vector<LiteralList>* lists,
                    std::span<const uint32_t> row_class, std::vector<uint32_t>* row_literal, uint32_t* literal_count) {
  uint32_t shared[kRecentListSize];
  size_t shared_size = 0;
  *literal_count = 0;
  const size_t class_codes = lists == nullptr ? 0 : kClassListSize;
  for (size_t i = 0; i < codes.size(); ++i) {
    const size_t code = static_cast<unsigned char>(codes[i]);
    LiteralList* list = lists == nullptr ? nullptr : &(*lists)[row_class[i]];
    uint32_t literal;
    if (code >= 1 && code <= class_codes) {  // the row's class list
      const size_t k = code - 1;
      if (k >= list->size) return Malformed(e, "code beyond the class list");
      literal = list->literals[k];
      MoveToFront(list->literals, k, literal);
    } else {  // new, or the shared list
      size_t k;
      if (code == 0) {
        literal = (*literal_count)++;
        if (shared_size < kRecentListSize) ++shared_size;
        k = shared_size - 1;
      } else {
        k = code - 1 - class_codes;
        if (k >= shared_size) return Malformed(e, "code beyond the recent list");
        literal = shared[k];
      }
      MoveToFront(shared, k, literal);
      if (list != nullptr) {
        if (list->size < kClassListSize) ++list->size;
        MoveToFront(list->literals, list->size - 1, literal);
      }
    }
    (*row_literal)[i] = literal;
  }
  return Status::OK();
}

// Pass 2 of both decoders: reads the literals from `in` (what follows the
// codes) and appends each row's value.
Status AppendRowLiterals(ColumnEncoding e, std::string_view in, const std::vector<uint32_t>& row_literal,
                         uint32_t literal_count, std::vector<uint32_t>* ends, std::string* data) {
  std::vector<uint32_t> starts;  // literal j spans [starts[j], starts[j+1]) of `literals`
  std::string_view literals;
  if (!GetLengthPrefixedValues(&in, literal_count, &starts, &literals)) return Malformed(e, "bad literal lengths");
  if (!in.empty()) return Malformed(e, "literal lengths do not match the literal bytes");
  return AppendBytesRows(
      row_literal.size(),
      [&](size_t i) {
        const uint32_t literal = row_literal[i];
        return literals.substr(starts[literal], starts[literal + 1] - starts[literal]);
      },
      ends, data);
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
  constexpr ColumnEncoding e = ColumnEncoding::kBytesRecent;
  if (block.size() < rows) return Malformed(e, "truncated codes");
  std::vector<uint32_t> row_literal(rows);
  uint32_t literal_count;
  OTELSTACK_RETURN_IF_ERROR(ResolveCodes(e, block.substr(0, rows), nullptr, {}, &row_literal, &literal_count));
  return AppendRowLiterals(e, block.substr(rows), row_literal, literal_count, ends, data);
}

namespace {

// The by-class encoder's loop, with keys as in EncodeWithKeys.
template <bool exact_keys, typename KeyOf>
bool EncodeByClassWithKeys(const BytesColumnView& values, const RowClasses& classes, uint32_t class_column,
                           size_t max_bytes, KeyOf key_of, std::string* out) {
  const size_t n = values.size();
  out->clear();
  PutVarint64(out, class_column);
  const size_t head = out->size();
  out->resize(head + n);  // the codes
  std::vector<ClassList> lists(classes.count());
  uint64_t keys[kRecentListSize];  // the shared list
  uint32_t rows_of[kRecentListSize];
  size_t shared_size = 0;
  std::vector<uint32_t> literal_rows;
  size_t block_bytes = out->size();
  for (size_t i = 0; i < n; ++i) {
    const uint64_t key = key_of(i);
    auto holds = [&](uint64_t k, uint32_t row) {
      if constexpr (exact_keys) {
        return k == key;
      } else {
        return k == key && BytesEqual(values.value(row), values.value(i));
      }
    };
    ClassList& list = lists[classes.of_row[i]];
    size_t k = 0;
    while (k < list.size && !holds(list.keys[k], list.rows[k])) ++k;
    size_t code = k + 1;
    if (k == list.size) {  // not in the class list: the shared list, or new
      size_t j = 0;
      while (j < shared_size && !holds(keys[j], rows_of[j])) ++j;
      if (j == shared_size) {
        literal_rows.push_back(static_cast<uint32_t>(i));
        const size_t length = values.value(i).size();
        block_bytes += VarintLength(length) + length;
        if (block_bytes >= max_bytes) return false;
        if (shared_size < kRecentListSize) ++shared_size;
        j = shared_size - 1;
        code = 0;
      } else {
        code = kClassListSize + j + 1;
      }
      MoveToFront(keys, j, key);
      MoveToFront(rows_of, j, static_cast<uint32_t>(i));
      if (list.size < kClassListSize) ++list.size;
      k = list.size - 1;
    }
    MoveToFront(list.keys, k, key);
    MoveToFront(list.rows, k, static_cast<uint32_t>(i));
    (*out)[head + i] = static_cast<char>(code);
    if (RarelyRepeats(i, literal_rows.size())) return false;
  }
  AppendLiterals(values, literal_rows, block_bytes, out);
  return true;
}

}  // namespace

bool EncodeRecentValuesByClass(const BytesColumnView& values, std::span<const uint32_t> value_ids,
                               const RowClasses& classes, uint32_t class_column, size_t max_bytes, std::string* out) {
  if (!value_ids.empty()) {
    return EncodeByClassWithKeys<true>(
        values, classes, class_column, max_bytes, [&](size_t i) -> uint64_t { return value_ids[i]; }, out);
  }
  return EncodeByClassWithKeys<false>(
      values, classes, class_column, max_bytes, [&](size_t i) -> uint64_t { return HashBytes(values.value(i)); }, out);
}

Status DecodeRecentValuesByClass(std::string_view block, const RowClasses& classes, std::vector<uint32_t>* ends,
                                 std::string* data) {
  constexpr ColumnEncoding e = ColumnEncoding::kBytesRecentByClass;
  const size_t rows = classes.of_row.size();
  uint64_t class_column;  // resolved by the caller
  if (!GetVarint64(&block, &class_column)) return Malformed(e, "truncated header");
  if (block.size() < rows) return Malformed(e, "truncated codes");
  std::vector<LiteralList> lists(classes.count());
  std::vector<uint32_t> row_literal(rows);
  uint32_t literal_count;
  OTELSTACK_RETURN_IF_ERROR(
      ResolveCodes(e, block.substr(0, rows), &lists, classes.of_row, &row_literal, &literal_count));
  return AppendRowLiterals(e, block.substr(rows), row_literal, literal_count, ends, data);
}

}  // namespace otelstack
