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

// A class's most recent values, most recent first (the encoder's): keys (as
// in EncodeWithKeys) and a row holding each.
struct ClassList {
  uint64_t keys[kClassListSize];
  uint32_t rows[kClassListSize];
  size_t size = 0;
};

// The encoders' loop, for both codings: appends a code per row to *out, then
// the literals. The shared list holds, per position, a key of the value and a
// row holding it; so does each class list. With `exact_keys` the keys are
// value ids (equal ids <=> equal values); otherwise they are hashes and a
// match is confirmed by comparing the values. Either way a scan compares
// integers, which keeps a new value (it visits the whole list) cheap.
// Without classes (`row_class` empty, kBytesRecent) codes are positions in
// the shared list; with them (kBytesRecentByClass) the row's class list is
// tried first, and a row coded from it leaves the shared list as it is.
template <bool exact_keys, typename KeyOf>
bool EncodeCodes(const BytesColumnView& values, std::span<const uint32_t> row_class, size_t class_count,
                 size_t max_bytes, KeyOf key_of, std::string* out) {
  const size_t n = values.size();
  const size_t head = out->size();
  out->resize(head + n);  // the codes; the literal stream is appended below
  const size_t class_codes = row_class.empty() ? 0 : kClassListSize;
  std::vector<ClassList> lists(class_count);
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
    ClassList* list = row_class.empty() ? nullptr : &lists[row_class[i]];
    size_t k = 0;
    if (list != nullptr) {
      while (k < list->size && !holds(list->keys[k], list->rows[k])) ++k;
    }
    size_t code = k + 1;
    if (list == nullptr || k == list->size) {  // not in a class list: the shared list, or new
      size_t j = 0;
      while (j < shared_size && !holds(keys[j], rows_of[j])) ++j;
      if (j == shared_size) {  // its slot is a new last one, or the dropped last one
        literal_rows.push_back(static_cast<uint32_t>(i));
        const size_t length = values.value(i).size();
        block_bytes += VarintLength(length) + length;
        if (block_bytes >= max_bytes) return false;
        if (shared_size < kRecentListSize) ++shared_size;
        j = shared_size - 1;
        code = 0;
      } else {
        code = class_codes + j + 1;
      }
      MoveToFront(keys, j, key);
      if constexpr (!exact_keys) MoveToFront(rows_of, j, static_cast<uint32_t>(i));
      if (list != nullptr) {
        if (list->size < kClassListSize) ++list->size;
        k = list->size - 1;
      }
    }
    if (list != nullptr) {
      MoveToFront(list->keys, k, key);
      if constexpr (!exact_keys) MoveToFront(list->rows, k, static_cast<uint32_t>(i));
    }
    (*out)[head + i] = static_cast<char>(code);
    if (RarelyRepeats(i, literal_rows.size())) return false;
  }
  AppendLiterals(values, literal_rows, block_bytes, out);
  return true;
}

// EncodeCodes with value ids as keys when given, else hashes.
bool EncodeCodesWithKeys(const BytesColumnView& values, std::span<const uint32_t> value_ids,
                         std::span<const uint32_t> row_class, size_t class_count, size_t max_bytes, std::string* out) {
  if (!value_ids.empty()) {
    return EncodeCodes<true>(
        values, row_class, class_count, max_bytes, [&](size_t i) -> uint64_t { return value_ids[i]; }, out);
  }
  return EncodeCodes<false>(
      values, row_class, class_count, max_bytes, [&](size_t i) -> uint64_t { return HashBytes(values.value(i)); }, out);
}

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
  out->clear();
  return EncodeCodesWithKeys(values, value_ids, {}, 0, max_bytes, out);
}

Status DecodeRecentValues(std::string_view block, size_t rows, std::vector<uint32_t>* ends, std::string* data) {
  constexpr ColumnEncoding e = ColumnEncoding::kBytesRecent;
  if (block.size() < rows) return Malformed(e, "truncated codes");
  std::vector<uint32_t> row_literal(rows);
  uint32_t literal_count;
  OTELSTACK_RETURN_IF_ERROR(ResolveCodes(e, block.substr(0, rows), nullptr, {}, &row_literal, &literal_count));
  return AppendRowLiterals(e, block.substr(rows), row_literal, literal_count, ends, data);
}

bool EncodeRecentValuesByClass(const BytesColumnView& values, std::span<const uint32_t> value_ids,
                               const RowClasses& classes, uint32_t class_column, size_t max_bytes, std::string* out) {
  out->clear();
  PutVarint64(out, class_column);
  return EncodeCodesWithKeys(values, value_ids, classes.of_row, classes.count(), max_bytes, out);
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
