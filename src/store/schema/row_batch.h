// RowBatch: rows of one signal held column by column in memory.
//
// Decoders build a batch row by row: set any columns of the current row in any
// order, then FinishRow() (unset columns get their zero value: 0 or empty
// bytes) or AbandonRow() (the row is dropped, e.g. rejected as invalid).
// Once built, a batch is immutable and shared (std::shared_ptr<const>) by the
// memtable, flushes and readers without copying.
//
// Layout: a fixed column is a vector of 64-bit slots; a bytes column is one
// contiguous buffer plus the end offset of each row, so appending a value is a
// single memcpy and there is no per-value heap allocation. A bytes column may
// instead be in dictionary form: its distinct values (entries) laid out that
// way, plus one code per row (decoders use it for resource and scope columns,
// part readers for dictionary-encoded blocks; see UseDictionary and
// SetColumnDictionary).
#pragma once

#include <bit>
#include <cassert>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/schema/schema.h"

namespace otelstack {

// Value (or entry) i of a bytes column laid out as `data` with the end
// offset of each value in `ends`.
inline std::string_view LaidOutValue(const uint32_t* ends, const char* data, size_t i) {
  const uint32_t begin = i == 0 ? 0 : ends[i - 1];
  return std::string_view(data + begin, ends[i] - begin);
}

// A row of one of several source batches (see RowBatch::AppendRows).
struct RowRef {
  uint32_t batch;
  uint32_t row;
};

class RowBatch {
 public:
  explicit RowBatch(Signal signal);

  Signal signal() const { return signal_; }
  size_t rows() const { return rows_; }
  size_t columns() const { return columns_.size(); }
  // Approximate memory held, for flush thresholds and back-pressure.
  size_t ByteSize() const;

  // ---- Building the current row (REQUIRES: type of `col` matches) -------
  void SetU64(size_t col, uint64_t v) { SetSlot(col, v); }
  void SetI64(size_t col, int64_t v) { SetSlot(col, static_cast<uint64_t>(v)); }
  void SetF64(size_t col, double v) { SetSlot(col, std::bit_cast<uint64_t>(v)); }
  // Replaces the value if this column was already set for the current row.
  // For a column in dictionary form (UseDictionary), the value becomes an
  // entry (found among the entries, or added) and the row holds its code.
  void SetBytes(size_t col, std::string_view v) {
    Column& c = columns_[col];
    if (c.dictionary || c.ends.size() > rows_) return SetBytesSlow(col, v);
    c.data.append(v.data(), v.size());  // the common case, inline: the first value of a plain column
    c.ends.push_back(static_cast<uint32_t>(c.data.size()));
    ++columns_set_;
  }
  // Puts bytes column `col` in dictionary form from the start (REQUIRES: no
  // rows yet): for columns whose values repeat over many rows, such as the
  // resource and scope columns of a decoded request, each distinct value is
  // then stored once. Entries are found by comparing with the last one added
  // first, then with all of them, so the column should have few distinct
  // values (a few dozen) per batch.
  void UseDictionary(size_t col);
  // For a column in dictionary form: the code of entry `v`, added when
  // absent. Rows that share a value (those of one resource) intern it once
  // and then SetCode, instead of SetBytes comparing it with the entries per
  // row. An entry no row uses is allowed.
  uint32_t Intern(size_t col, std::string_view v) { return EntryCode(columns_[col], v); }
  // Sets the current row of dictionary-form column `col` to entry `code`
  // (from Intern): the same as SetBytes with that entry's value.
  void SetCode(size_t col, uint32_t code);
  void FinishRow();
  void AbandonRow();
  // Appends row `row` of `other` (same signal) as a finished row.
  void AppendRowFrom(const RowBatch& other, size_t row);
  // Appends the rows `refs` of `sources` (all of this signal), in that order.
  // Works column by column (one pass per column, sizes reserved up front),
  // which is several times faster than AppendRowFrom per row when sorting or
  // merging many rows. A bytes column stays in dictionary form when this
  // batch is empty and every referenced source holds the column in that form:
  // then only codes are copied, and each distinct source entry is looked up
  // once. REQUIRES: no row under construction.
  void AppendRows(std::span<const RowBatch* const> sources, std::span<const RowRef> refs);

  // What each column holds, as a model for sizing another batch: decoders
  // reserve a request's batch from the last one they built, so that its
  // columns do not grow by doubling (copying their values each time, and
  // keeping up to half of their capacity unused while in the memtable).
  struct Footprint {
    std::vector<size_t> values;  // per column: rows, or codes in dictionary form
    std::vector<size_t> bytes;   // per column: bytes of values (0 for fixed and dictionary-form columns)
  };
  Footprint Measure() const;
  // Reserves room in each column for `scale` times what `model` measured
  // (of a batch of the same signal); a mismatched model is ignored.
  void Reserve(const Footprint& model, double scale);

  // ---- Reading (REQUIRES: row < rows()) ----------------------------------
  uint64_t U64(size_t col, size_t row) const { return columns_[col].fixed[row]; }
  int64_t I64(size_t col, size_t row) const { return static_cast<int64_t>(columns_[col].fixed[row]); }
  double F64(size_t col, size_t row) const { return std::bit_cast<double>(columns_[col].fixed[row]); }
  std::string_view Bytes(size_t col, size_t row) const {
    const Column& c = columns_[col];
    return Entry(c, c.codes.empty() ? row : c.codes[row]);  // dictionary form: the row's entry
  }
  uint64_t Time(size_t row) const { return U64(kTimeColumn, row); }

  // ---- Whole-column access (writers, codecs) ----------------------------
  // Views stay valid until the batch is modified. REQUIRES: no row in
  // progress, and for bytes columns: not in dictionary form.
  std::span<const uint64_t> FixedColumn(size_t col) const { return columns_[col].fixed; }
  // Row r of a bytes column spans [r == 0 ? 0 : ends[r-1], ends[r]) of data.
  std::span<const uint32_t> BytesEnds(size_t col) const {
    assert(columns_[col].codes.empty());
    return columns_[col].ends;
  }
  std::string_view BytesData(size_t col) const { return columns_[col].data; }

  // ---- Bulk filling (part readers) ---------------------------------------
  // Discards all content (including a row in progress) and makes the batch
  // hold `rows` finished rows with every column at its zero value.
  void SetRowCount(size_t rows);
  // As SetRowCount, but leaves every column empty instead of zero-filling
  // it: the caller then sets the columns it needs; the others must not be
  // read. (Part readers decode a few columns of many granules; zero-filling
  // the rest would dominate.)
  void SetRowCountWithEmptyColumns(size_t rows);
  // Replace one column of all rows. REQUIRES: the column's type matches,
  // values.size() == rows() (resp. ends.size() == rows(), ends non-decreasing
  // and ends.back() == data.size() when rows() > 0).
  void SetColumnFixed(size_t col, std::vector<uint64_t> values);
  void SetColumnBytes(size_t col, std::vector<uint32_t> ends, std::string data);

  // ---- Dictionary form (optional, set by part readers for queries) ------
  // A bytes column read from a dictionary-encoded block may be kept as its
  // distinct values (`entry_ends`/`entries`, laid out like a bytes column)
  // plus one code per row: Bytes(col, row) is entry codes[row], equal codes
  // <=> equal values. Readers evaluate a predicate or build a group key once
  // per distinct value instead of once per row, and nothing is expanded.
  // Dropped by the next SetColumnBytes or SetRowCount; a batch in this form
  // is only read (Bytes, AppendRowFrom and AppendRows work on it; BytesEnds
  // and BytesData do not). REQUIRES: codes.size() == rows(), every code <
  // entry_ends.size().
  void SetColumnDictionary(size_t col, std::vector<uint32_t> entry_ends, std::string entries,
                           std::vector<uint32_t> codes);
  // Empty when the column is not in dictionary form (or has no rows).
  std::span<const uint32_t> Codes(size_t col) const { return columns_[col].codes; }
  bool InDictionaryForm(size_t col) const { return columns_[col].dictionary; }
  // The entries of a column in dictionary form, laid out like a bytes
  // column: entry k spans [k == 0 ? 0 : EntryEnds(col)[k-1], EntryEnds(col)[k])
  // of EntryData(col).
  std::span<const uint32_t> EntryEnds(size_t col) const { return columns_[col].ends; }
  std::string_view EntryData(size_t col) const { return columns_[col].data; }
  // The first row holding each code (kNoRow for a code no row uses); its
  // size is the number of codes.
  std::span<const uint32_t> CodeRows(size_t col) const { return columns_[col].code_rows; }
  static constexpr uint32_t kNoRow = UINT32_MAX;

 private:
  struct Column {
    bool fixed_type;
    bool dictionary = false;      // bytes types: `ends`/`data` hold entries and `codes` the rows
    std::vector<uint64_t> fixed;  // fixed types: one slot per row
    std::vector<uint32_t> ends;   // bytes types: end offset of each row (or entry) in `data`
    std::string data;
    std::vector<uint32_t> codes;      // dictionary form: entry of each row (see SetColumnDictionary)
    std::vector<uint32_t> code_rows;  // first row of each code
  };
  // SetBytes on a column in dictionary form, or replacing a value.
  void SetBytesSlow(size_t col, std::string_view v);
  // The code of entry `v` of dictionary-form column c, added when absent.
  static uint32_t EntryCode(Column& c, std::string_view v);
  static std::string_view Entry(const Column& c, size_t code) {
    return LaidOutValue(c.ends.data(), c.data.data(), code);
  }
  // Removes the code of the row under construction from dictionary-form
  // column c (REQUIRES: set), and its code's first row if it was this one.
  void DropRowCode(Column& c) const {
    if (c.code_rows[c.codes.back()] == rows_) c.code_rows[c.codes.back()] = kNoRow;
    c.codes.pop_back();
  }
  // Appends rows `refs` of column `col` of `sources` to this empty batch's
  // column in dictionary form (see AppendRows).
  void AppendCodes(size_t col, std::span<const RowBatch* const> sources, std::span<const RowRef> refs);
  void SetSlot(size_t col, uint64_t v) {
    Column& c = columns_[col];
    if (c.fixed.size() > rows_) {
      c.fixed.back() = v;
    } else {
      c.fixed.push_back(v);
      ++columns_set_;
    }
  }

  Signal signal_;
  size_t rows_ = 0;
  size_t columns_set_ = 0;  // columns of the row under construction set so far
  std::vector<Column> columns_;
};

// Inline: decoders set the resource and scope columns of every row this way.
inline void RowBatch::SetCode(size_t col, uint32_t code) {
  Column& c = columns_[col];
  assert(c.dictionary && code < c.ends.size());
  if (c.codes.size() > rows_) {  // already set for this row: replace
    DropRowCode(c);
  } else {
    ++columns_set_;
  }
  c.codes.push_back(code);
  if (c.code_rows[code] == kNoRow) c.code_rows[code] = static_cast<uint32_t>(rows_);
}

}  // namespace otelstack
