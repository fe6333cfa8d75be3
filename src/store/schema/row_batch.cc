#include "store/schema/row_batch.h"

#include <cassert>
#include <utility>

#include "common/string_index.h"

namespace otelstack {

RowBatch::RowBatch(Signal signal) : signal_(signal) {
  auto schema = SchemaOf(signal);
  columns_.resize(schema.size());
  for (size_t i = 0; i < schema.size(); ++i) columns_[i].fixed_type = IsFixed(schema[i].type);
}

size_t RowBatch::ByteSize() const {
  size_t total = sizeof(*this);
  for (const Column& c : columns_) {
    total += c.fixed.capacity() * sizeof(uint64_t) + c.ends.capacity() * sizeof(uint32_t) + c.data.capacity() +
             (c.codes.capacity() + c.code_rows.capacity()) * sizeof(uint32_t);
  }
  return total;
}

void RowBatch::UseDictionary(size_t col) {
  Column& c = columns_[col];
  assert(!c.fixed_type && rows_ == 0);
  c.dictionary = true;
  c.ends.clear();
  c.data.clear();
  c.codes.clear();
  c.code_rows.clear();
}

uint32_t RowBatch::EntryCode(Column& c, std::string_view v) {
  const auto entries = static_cast<uint32_t>(c.ends.size());
  // Rows of one resource (or scope) come together: the last entry is
  // nearly always the one.
  if (entries > 0 && Entry(c, entries - 1) == v) return entries - 1;
  for (uint32_t k = 0; k + 1 < entries; ++k) {
    if (Entry(c, k) == v) return k;
  }
  c.data.append(v.data(), v.size());
  c.ends.push_back(static_cast<uint32_t>(c.data.size()));
  c.code_rows.push_back(kNoRow);
  return entries;
}

void RowBatch::SetBytesSlow(size_t col, std::string_view v) {
  Column& c = columns_[col];
  if (c.dictionary) return SetCode(col, EntryCode(c, v));
  // Already set for this row: replace.
  c.data.resize(rows_ == 0 ? 0 : c.ends[rows_ - 1]);
  c.ends.pop_back();
  c.data.append(v.data(), v.size());
  c.ends.push_back(static_cast<uint32_t>(c.data.size()));
}

void RowBatch::FinishRow() {
  if (columns_set_ == columns_.size()) {  // decoders set every column of most rows
    columns_set_ = 0;
    ++rows_;
    return;
  }
  for (size_t col = 0; col < columns_.size(); ++col) {
    Column& c = columns_[col];
    if (c.fixed_type) {
      if (c.fixed.size() == rows_) c.fixed.push_back(0);
    } else if (c.dictionary) {
      if (c.codes.size() == rows_) SetBytes(col, {});
    } else if (c.ends.size() == rows_) {
      c.ends.push_back(static_cast<uint32_t>(c.data.size()));
    }
  }
  columns_set_ = 0;
  ++rows_;
}

void RowBatch::AbandonRow() {
  columns_set_ = 0;
  for (Column& c : columns_) {
    if (c.fixed_type) {
      c.fixed.resize(rows_);
    } else if (c.dictionary) {
      // Entries added for the row stay: unused entries are allowed (kNoRow).
      if (c.codes.size() > rows_) DropRowCode(c);
    } else {
      c.ends.resize(rows_);
      c.data.resize(rows_ == 0 ? 0 : c.ends[rows_ - 1]);
    }
  }
}

void RowBatch::AppendRowFrom(const RowBatch& other, size_t row) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    Column& c = columns_[i];
    if (c.fixed_type) {
      c.fixed.push_back(other.columns_[i].fixed[row]);
    } else if (c.dictionary) {
      SetBytes(i, other.Bytes(i, row));
    } else {
      std::string_view v = other.Bytes(i, row);
      c.data.append(v.data(), v.size());
      c.ends.push_back(static_cast<uint32_t>(c.data.size()));
    }
  }
  columns_set_ = 0;  // SetBytes counted the dictionary columns
  ++rows_;
}

void RowBatch::AppendCodes(size_t col, std::span<const RowBatch* const> sources, std::span<const RowRef> refs) {
  Column& c = columns_[col];
  c.dictionary = true;
  // remap[b][k]: the code in this batch of entry k of source b, or kNoRow.
  std::vector<std::vector<uint32_t>> remap(sources.size());
  StringIndex entries;  // views into the sources' entries
  c.codes.reserve(refs.size());
  for (const RowRef& ref : refs) {
    const Column& source = sources[ref.batch]->columns_[col];
    std::vector<uint32_t>& codes = remap[ref.batch];
    if (codes.empty()) codes.assign(source.ends.size(), kNoRow);
    const uint32_t source_code = source.codes[ref.row];
    uint32_t& code = codes[source_code];
    if (code == kNoRow) {
      const std::string_view v = Entry(source, source_code);
      auto [id, added] = entries.Insert(v);
      if (added) {
        c.data.append(v.data(), v.size());
        c.ends.push_back(static_cast<uint32_t>(c.data.size()));
        c.code_rows.push_back(static_cast<uint32_t>(c.codes.size()));  // the row being appended
      }
      code = id;
    }
    c.codes.push_back(code);
  }
}

namespace {

// One source batch's arrays of the column being gathered, looked up once per
// column: the gather then reads a row's value with one indexed load from
// them, instead of following batch -> columns -> vector for every row.
struct SourceArrays {
  const uint64_t* fixed = nullptr;
  const uint32_t* codes = nullptr;  // null: the column is not in dictionary form
  const uint32_t* ends = nullptr;
  const char* data = nullptr;

  std::string_view Bytes(size_t row) const { return LaidOutValue(ends, data, codes == nullptr ? row : codes[row]); }
};

}  // namespace

void RowBatch::AppendRows(std::span<const RowBatch* const> sources, std::span<const RowRef> refs) {
  // Only referenced sources count (others may even be of another signal).
  std::vector<bool> referenced(sources.size(), false);
  for (const RowRef& ref : refs) referenced[ref.batch] = true;
  std::vector<SourceArrays> arrays(sources.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    Column& col = columns_[c];
    bool all_coded = !refs.empty();
    for (size_t b = 0; b < sources.size(); ++b) {
      if (!referenced[b]) continue;
      const Column& source = sources[b]->columns_[c];
      arrays[b] = {source.fixed.data(), source.codes.empty() ? nullptr : source.codes.data(), source.ends.data(),
                   source.data.data()};
      all_coded = all_coded && source.dictionary;
    }
    if (col.fixed_type) {
      col.fixed.reserve(col.fixed.size() + refs.size());
      for (const RowRef& ref : refs) col.fixed.push_back(arrays[ref.batch].fixed[ref.row]);
      continue;
    }
    if (rows_ == 0 && col.ends.empty() && all_coded) {
      AppendCodes(c, sources, refs);
      continue;
    }
    if (col.dictionary) {
      for (const RowRef& ref : refs) {
        const uint32_t code = EntryCode(col, arrays[ref.batch].Bytes(ref.row));
        if (col.code_rows[code] == kNoRow) col.code_rows[code] = static_cast<uint32_t>(col.codes.size());
        col.codes.push_back(code);
      }
      continue;
    }
    size_t bytes = 0;
    for (const RowRef& ref : refs) bytes += arrays[ref.batch].Bytes(ref.row).size();
    col.data.reserve(col.data.size() + bytes);
    col.ends.reserve(col.ends.size() + refs.size());
    for (const RowRef& ref : refs) {
      std::string_view v = arrays[ref.batch].Bytes(ref.row);
      col.data.append(v.data(), v.size());
      col.ends.push_back(static_cast<uint32_t>(col.data.size()));
    }
  }
  rows_ += refs.size();
}

RowBatch::Footprint RowBatch::Measure() const {
  Footprint f;
  f.values.reserve(columns_.size());
  f.bytes.reserve(columns_.size());
  for (const Column& c : columns_) {
    const bool plain_bytes = !c.fixed_type && !c.dictionary;
    f.values.push_back(c.fixed_type ? c.fixed.size() : c.dictionary ? c.codes.size() : c.ends.size());
    f.bytes.push_back(plain_bytes ? c.data.size() : 0);
  }
  return f;
}

void RowBatch::Reserve(const Footprint& model, double scale) {
  if (model.values.size() != columns_.size() || model.bytes.size() != columns_.size()) return;
  auto scaled = [scale](size_t n) { return static_cast<size_t>(static_cast<double>(n) * scale); };
  for (size_t i = 0; i < columns_.size(); ++i) {
    Column& c = columns_[i];
    const size_t values = scaled(model.values[i]);
    if (c.fixed_type) {
      c.fixed.reserve(values);
    } else if (c.dictionary) {
      c.codes.reserve(values);
    } else {
      c.ends.reserve(values);
      c.data.reserve(scaled(model.bytes[i]));
    }
  }
}

void RowBatch::SetRowCount(size_t rows) {
  for (Column& c : columns_) {
    if (c.fixed_type) {
      c.fixed.assign(rows, 0);
    } else {
      c.dictionary = false;
      c.ends.assign(rows, 0);
      c.data.clear();
      c.codes.clear();
      c.code_rows.clear();
    }
  }
  rows_ = rows;
  columns_set_ = 0;
}

void RowBatch::SetRowCountWithEmptyColumns(size_t rows) {
  for (Column& c : columns_) {
    c.dictionary = false;
    c.fixed.clear();
    c.ends.clear();
    c.data.clear();
    c.codes.clear();
    c.code_rows.clear();
  }
  rows_ = rows;
  columns_set_ = 0;
}

void RowBatch::SetColumnFixed(size_t col, std::vector<uint64_t> values) {
  assert(columns_[col].fixed_type && values.size() == rows_);
  columns_[col].fixed = std::move(values);
}

void RowBatch::SetColumnBytes(size_t col, std::vector<uint32_t> ends, std::string data) {
  assert(!columns_[col].fixed_type && ends.size() == rows_);
  assert(ends.empty() ? data.empty() : ends.back() == data.size());
  columns_[col].ends = std::move(ends);
  columns_[col].data = std::move(data);
  columns_[col].codes.clear();
  columns_[col].code_rows.clear();
  columns_[col].dictionary = false;
}

void RowBatch::SetColumnDictionary(size_t col, std::vector<uint32_t> entry_ends, std::string entries,
                                   std::vector<uint32_t> codes) {
  Column& c = columns_[col];
  assert(!c.fixed_type && codes.size() == rows_);
  assert(entry_ends.empty() ? entries.empty() : entry_ends.back() == entries.size());
  c.code_rows.assign(entry_ends.size(), kNoRow);
  for (size_t r = 0; r < codes.size(); ++r) {
    assert(codes[r] < entry_ends.size());
    if (c.code_rows[codes[r]] == kNoRow) c.code_rows[codes[r]] = static_cast<uint32_t>(r);
  }
  c.ends = std::move(entry_ends);
  c.data = std::move(entries);
  c.codes = std::move(codes);
  c.dictionary = true;
}

}  // namespace otelstack
