#include "store/skip_index/skip_index.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/any_value.h"
#include "common/any_value_json.h"
#include "common/bytes_equal.h"
#include "common/hash.h"
#include "common/varint.h"
#include "store/decimal.h"
#include "store/skip_index/token_bloom.h"
#include "store/skip_index/tokenizer.h"

namespace otelstack {

namespace {

IndexedText MakeIndexedText(Signal signal) {
  switch (signal) {
    case Signal::kLogs:
      return {{logs_col::kBody}, {logs_col::kLogAttributes, logs_col::kResourceAttributes, logs_col::kScopeAttributes}};
    case Signal::kTraces:
      return {{traces_col::kSpanName, traces_col::kStatusMessage},
              {traces_col::kSpanAttributes, traces_col::kResourceAttributes, traces_col::kScopeAttributes}};
    case Signal::kMetrics:
      return {{metrics_col::kMetricName},
              {metrics_col::kAttributes, metrics_col::kResourceAttributes, metrics_col::kScopeAttributes}};
  }
  return {};
}

}  // namespace

const IndexedText& IndexedTextOf(Signal signal) {
  static const IndexedText kLogs = MakeIndexedText(Signal::kLogs);
  static const IndexedText kTraces = MakeIndexedText(Signal::kTraces);
  static const IndexedText kMetrics = MakeIndexedText(Signal::kMetrics);
  switch (signal) {
    case Signal::kLogs:
      return kLogs;
    case Signal::kTraces:
      return kTraces;
    case Signal::kMetrics:
      return kMetrics;
  }
  return kLogs;
}

uint64_t TraceIdHash(std::string_view raw_trace_id) { return HashBytes(raw_trace_id); }

bool SkipIndexBuilder::DistinctValues::Insert(std::string_view value) { return Insert(HashBytes(value), value); }

bool SkipIndexBuilder::DistinctValues::Insert(uint64_t hash, std::string_view value) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (!slot.used) {
      slot = Slot{hash, value, true};
      ++size_;
      return true;
    }
    if (slot.hash == hash && BytesEqual(slot.value, value)) return false;
  }
}

void SkipIndexBuilder::DistinctValues::Clear() {
  if (size_ != 0) std::fill(slots_.begin(), slots_.end(), Slot{});
  size_ = 0;
}

void SkipIndexBuilder::DistinctValues::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(64, old.size() * 2), Slot{});
  size_ = 0;
  for (const Slot& slot : old) {
    if (slot.used) Insert(slot.hash, slot.value);
  }
}

SkipIndexBuilder::SkipIndexBuilder(Signal signal) : signal_(signal), trace_id_column_(ColumnIndex(signal, "TraceId")) {
  const IndexedText& indexed = IndexedTextOf(signal);
  attribute_values_.reserve(indexed.attribute_maps.size());
  for (size_t col : indexed.attribute_maps) attribute_values_.emplace_back(this, col);
  text_values_.reserve(indexed.text_columns.size());
  for (size_t col : indexed.text_columns) text_values_.emplace_back(this, col);
}

void SkipIndexBuilder::AddTextTokens(std::string_view text) {
  tokens::ForEachTokenHash(
      text, [this](uint64_t hash, bool long_number) { (long_number ? long_numbers_ : tokens_).Add(hash); });
}

// Stored bytes that do not parse as an AnyValue (the store does not validate
// them) are indexed as raw text: an index may over-approximate, never miss.
void SkipIndexBuilder::AddAnyText(std::string_view encoded) {
  if (encoded.empty()) return;
  anyvalue::Value v;
  if (!anyvalue::ParseWhole(encoded, &v).ok()) return AddTextTokens(encoded);
  if (v.tag == anyvalue::Tag::kString) return AddTextTokens(v.str);  // the common case, without a copy
  scratch_.clear();
  if (!anyvalue::AppendAnyText(v, &scratch_).ok()) return AddTextTokens(encoded);
  AddTextTokens(scratch_);
}

bool SkipIndexBuilder::RecentValues::Seen(std::string_view encoded_value) {
  const uint64_t hash = HashBytes(encoded_value);
  Slot& slot = slots_[hash % kSlots];
  if (slot.hash == hash && BytesEqual(slot.value, encoded_value)) return true;
  slot = Slot{hash, encoded_value};
  return false;
}

namespace {
// Ints, bools and finite doubles render as digits, '-', '.', 'e' and the
// lower-case words true and false: text whose tokens are in folded form.
bool RendersFolded(const anyvalue::Value& value) {
  return value.tag == anyvalue::Tag::kInt || value.tag == anyvalue::Tag::kBool ||
         (value.tag == anyvalue::Tag::kDouble && std::isfinite(value.d));
}
}  // namespace

bool SkipIndexBuilder::AddAttributeValue(const anyvalue::Value& value, std::string_view value_bytes) {
  if (value.tag == anyvalue::Tag::kDouble && AddDoubleWithLongFraction(value.d)) return true;
  if (recent_attribute_values_.Seen(value_bytes)) return true;
  std::string_view text;
  if (!anyvalue::ValueText(value, &scratch_, &text).ok()) return false;
  if (RendersFolded(value)) {
    tokens::ForEachToken(text, [this](std::string_view token) { AddFoldedToken(token); });
  } else {
    AddTextTokens(text);
  }
  return true;
}

// The text of a double (any_value_json.h: RapidJSON's Grisu2, fixed-point
// for magnitudes in [1e-5, 1e5)) is "<integer part>.<fraction>". When v is
// not a decimal of at most kLongNumberMinDigits - 1 fraction digits, the
// fraction of its text is a long number: the text reads back as v, so a
// shorter fraction would be such a decimal, which DecimalAt finds exactly
// in this range (decimal.h). The integer part of the text is that of |v|:
// the text lies within half an ulp of v, and no integer other than v (all
// of them doubles here) is that close.
bool SkipIndexBuilder::AddDoubleWithLongFraction(double v) {
  static_assert(tokens::kLongNumberMinDigits - 1 <= kMaxDecimalScale);
  const double magnitude = std::fabs(v);
  if (!(magnitude >= 1e-5 && magnitude < 1e5)) return false;
  int64_t scaled;
  if (DecimalAt(v, tokens::kLongNumberMinDigits - 1, &scaled)) return false;
  char digits[8];
  const char* end = std::to_chars(digits, digits + sizeof digits, static_cast<uint32_t>(magnitude)).ptr;
  tokens_.Add(tokens::TokenHash(std::string_view(digits, end - digits)));
  long_numbers_complete_ = false;
  return true;
}

void SkipIndexBuilder::AddAttributeValues(std::string_view encoded_map) {
  if (encoded_map.empty()) return;
  anyvalue::Value map;
  Status s = anyvalue::ParseListHead(encoded_map, &map);
  if (s.ok() && map.tag != anyvalue::Tag::kKvList) return;  // not a map: no values
  bool ok = s.ok();
  if (ok) {
    anyvalue::ListReader items(map);
    std::string_view key;
    anyvalue::Value item;
    while (ok && items.Next(&key, &item)) ok = AddAttributeValue(item, items.value_bytes());
    ok = ok && items.status().ok();
  }
  if (!ok) AddTextTokens(encoded_map);
}

MapValueSink* SkipIndexBuilder::AttributeValuesOf(size_t col) {
  AttributeValueSink* sink = SinkOf(attribute_values_, col);
  if (sink == nullptr) return nullptr;
  // The cache's views must not outlive their rows: start each granule empty.
  recent_attribute_values_.Clear();
  sink->Start();
  return sink;
}

TextSplitSink* SkipIndexBuilder::TextValuesOf(size_t col) {
  TextValueSink* sink = SinkOf(text_values_, col);
  if (sink == nullptr) return nullptr;
  sink->Start();
  return sink;
}

void SkipIndexBuilder::BuildGranule(const RowBatch& batch, size_t first, size_t rows, std::string* token_filter,
                                    std::string* trace_id_filter) {
  const IndexedText& indexed = IndexedTextOf(signal_);
  auto schema = SchemaOf(signal_);
  for (size_t col : indexed.text_columns) {
    if (SinkOf(text_values_, col)->complete()) continue;  // the column's encoder passed every row
    for (size_t r = first; r < first + rows; ++r) {
      std::string_view value = batch.Bytes(col, r);
      if (schema[col].type == ColumnType::kAny) {
        AddAnyText(value);
      } else {
        AddTextTokens(value);
      }
    }
  }
  recent_attribute_values_.Clear();  // its views point into this granule's rows
  for (size_t col : indexed.attribute_maps) {
    if (SinkOf(attribute_values_, col)->complete()) continue;  // the column's encoder passed every value
    if (batch.InDictionaryForm(col)) {                         // distinct values are distinct codes
      seen_codes_.assign(batch.EntryEnds(col).size(), false);
      for (size_t r = first; r < first + rows; ++r) {
        const uint32_t code = batch.Codes(col)[r];
        if (seen_codes_[code]) continue;
        seen_codes_[code] = true;
        AddAttributeValues(batch.Bytes(col, r));
      }
      continue;
    }
    distinct_maps_.Clear();
    for (size_t r = first; r < first + rows; ++r) {
      std::string_view map = batch.Bytes(col, r);
      if (distinct_maps_.Insert(map)) AddAttributeValues(map);
    }
  }
  // What the encoders passed was for this granule only.
  for (ColumnSink& sink : attribute_values_) sink.Start();
  for (ColumnSink& sink : text_values_) sink.Start();
  token_filter->clear();
  FinishRibbonWithNumbers(tokens_, long_numbers_, long_numbers_complete_, token_filter);
  long_numbers_complete_ = true;
  trace_id_filter->clear();
  if (trace_id_column_ >= 0) {
    for (size_t r = first; r < first + rows; ++r) {
      std::string_view id = batch.Bytes(trace_id_column_, r);
      if (!id.empty()) trace_ids_.Add(TraceIdHash(id));
    }
    trace_ids_.FinishTo(trace_id_filter);
  }
}

part_format::Section SkipIndexBuilder::LocationSection(uint32_t kind, const std::vector<FilterLocation>& locations) {
  part_format::Section section;
  section.kind = kind;
  PutVarint64(&section.bytes, locations.size());
  for (const FilterLocation& l : locations) {
    PutVarint64(&section.bytes, static_cast<uint64_t>(l.format));
    PutVarint64(&section.bytes, l.offset);
    PutVarint64(&section.bytes, l.size);
    PutFixed64(&section.bytes, l.checksum);
  }
  return section;
}

Status SkipIndex::Filters::Parse(Sections sections, uint64_t body_end, size_t granules, const char* what) {
  auto bad = [&](const std::string& why) {
    locations_.clear();  // no index, rather than one half parsed
    return Status::Corruption(std::string(what) + " index: " + why);
  };
  locations_.clear();
  verified_.reset();
  const bool current = sections.current.has_value();
  if (!current && !sections.bloom) return Status::OK();  // no index: prunes nothing
  std::string_view in = current ? *sections.current : *sections.bloom;
  uint64_t count = 0;
  if (!GetVarint64(&in, &count) || count != granules) return bad("granule count does not match the part");
  locations_.resize(granules);
  for (FilterLocation& l : locations_) {
    uint64_t format = 0;
    if (current && !GetVarint64(&in, &format)) return bad("truncated");
    // A format this build does not know (a later writer's) prunes nothing:
    // the part stays readable, its filter only costs time.
    const bool known = format <= static_cast<uint64_t>(FilterFormat::kRibbonWithNumbers);
    l.format = !current ? FilterFormat::kBloom : known ? static_cast<FilterFormat>(format) : FilterFormat::kRibbon;
    if (!GetVarint64(&in, &l.offset) || !GetVarint64(&in, &l.size) || in.size() < 8) return bad("truncated");
    l.checksum = DecodeFixed64(in.data());
    in.remove_prefix(8);
    if (l.offset > body_end || l.size > body_end - l.offset) return bad("filter outside the part's body");
    if (l.format == FilterFormat::kBloom && (l.size % 8 != 0 || l.size * 8 > kTokenBloomMaxBits)) {
      return bad("bad Bloom filter size");
    }
    if (!known) l.size = 0;
  }
  if (!in.empty()) return bad("trailing bytes");
  verified_ = std::make_unique<std::atomic<uint8_t>[]>(granules);
  for (size_t g = 0; g < granules; ++g) verified_[g].store(0, std::memory_order_relaxed);
  return Status::OK();
}

namespace {

// Whether a filter's ribbon headers parse (an empty ribbon holds everything).
bool FilterParses(FilterFormat format, std::string_view bytes) {
  auto ribbon_parses = [](std::string_view ribbon) { return ribbon.empty() || RibbonFilterView().Parse(ribbon); };
  switch (format) {
    case FilterFormat::kBloom:
      return true;
    case FilterFormat::kRibbon:
      return ribbon_parses(bytes);
    case FilterFormat::kRibbonWithNumbers: {
      std::string_view tokens, numbers;
      return SplitRibbonWithNumbers(bytes, &tokens, &numbers) && ribbon_parses(tokens) && ribbon_parses(numbers);
    }
  }
  return false;
}

}  // namespace

bool SkipIndex::Filters::MayContain(std::string_view file, size_t g, tokens::TokenKey key) const {
  if (locations_.empty()) return true;
  const FilterLocation& l = locations_[g];
  if (l.size == 0) return true;
  std::string_view bytes = file.substr(l.offset, l.size);
  uint8_t state = verified_[g].load(std::memory_order_acquire);
  if (state == 0) {
    const bool parses = FilterParses(l.format, bytes);
    state = parses && XXH3_64bits(bytes.data(), bytes.size()) == l.checksum ? 1 : 2;
    verified_[g].store(state, std::memory_order_release);  // racing checkers compute the same answer
  }
  return state == 2 || FilterMayContain(l.format, bytes, key);
}

SkipIndex::StoredFilter SkipIndex::Filters::Stored(std::string_view file, size_t g) const {
  if (locations_.empty() || locations_[g].size == 0) return {FilterFormat::kRibbon, {}, XXH3_64bits(nullptr, 0)};
  const FilterLocation& l = locations_[g];
  return {l.format, file.substr(l.offset, l.size), l.checksum};
}

Status SkipIndex::Parse(std::string_view file, uint64_t body_end, Sections tokens, Sections trace_ids,
                        size_t granules) {
  file_ = file;
  OTELSTACK_RETURN_IF_ERROR(tokens_.Parse(tokens, body_end, granules, "token"));
  return trace_ids_.Parse(trace_ids, body_end, granules, "trace id");
}

}  // namespace otelstack
