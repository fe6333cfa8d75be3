// Skip indexes of a part: per-granule summaries that let a query skip
// granules without reading their columns (after ClickHouse's data-skipping
// indexes).
//
//   token filter    : a filter (token_filter.h) of the tokens of the signal's
//                     text columns and of every attribute value (IndexedText
//                     below); the fraction of a double attribute in
//                     [1e-5, 1e5) with 10 or more fraction digits is not
//                     indexed, and its granule then may hold every long
//                     number
//   trace-id filter : a filter of the raw TraceIds (XXH3-64 of the 16 bytes),
//                     for trace lookups
//
// Layout: each granule's filters are written into the part's body right after
// the granule's column blocks, like blocks; the footer holds only where they
// are (part_format.h sections), so opening a part never reads them:
//
//   section kTokenFilterSection / kTraceIdFilterSection :=
//     granule_count:varint, granule_count x (format:varint, offset:varint,
//                                            size:varint,
//                                            checksum:u64 LE (XXH3-64))
//
// with format a FilterFormat (one this build does not know means no filter);
// a merge copies a granule's filter as it is, so one part may hold both.
// Parts written before ribbon filters have sections kTokenBloomSection /
// kTraceIdBloomSection instead, whose entries lack the format (all kBloom).
//
// A filter's checksum (and, for a ribbon filter, its header) is verified the
// first time a query uses it; a filter that fails (or a part without the
// section) prunes nothing, so damage can cost time but never hide rows.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/column_codec.h"
#include "store/part_format.h"
#include "store/schema/row_batch.h"
#include "store/skip_index/token_filter.h"

namespace otelstack {

// Kinds 1 and 2 held the filters inside the footer in an earlier layout and
// are never reused; parts hold 3 and 4 (read only now) or 6 and 7.
inline constexpr uint32_t kTokenBloomSection = 3;
inline constexpr uint32_t kTraceIdBloomSection = 4;
inline constexpr uint32_t kTokenFilterSection = 6;
inline constexpr uint32_t kTraceIdFilterSection = 7;

// The columns whose tokens the token index holds: plain text columns (String,
// or Any rendered as text) and attribute maps (Any kvlists; their values'
// text, not their keys). A bare search word is matched against exactly these.
struct IndexedText {
  std::vector<size_t> text_columns;
  std::vector<size_t> attribute_maps;
};
const IndexedText& IndexedTextOf(Signal signal);

// The hash the trace-id index stores for a raw trace id.
uint64_t TraceIdHash(std::string_view raw_trace_id);

// Where one granule's filter lies in the part file.
struct FilterLocation {
  FilterFormat format = FilterFormat::kRibbon;
  uint64_t offset = 0;
  uint64_t size = 0;  // 0: no filter (every token may be present)
  uint64_t checksum = 0;
};

// Builds a part's filters granule by granule.
class SkipIndexBuilder {
 public:
  explicit SkipIndexBuilder(Signal signal);
  SkipIndexBuilder(const SkipIndexBuilder&) = delete;
  SkipIndexBuilder& operator=(const SkipIndexBuilder&) = delete;
  bool has_trace_ids() const { return trace_id_column_ >= 0; }
  // Optional, while encoding the rows of the next BuildGranule: the sink for
  // the encoder of attribute map column `col` (one of IndexedTextOf's
  // attribute_maps), resp. of text column `col` (one of its text_columns).
  // What they receive goes into the granule's token filter; when an encoder
  // passed every row, BuildGranule does not read that column again (the
  // filter is the same either way).
  // Null for a column that is neither.
  MapValueSink* AttributeValuesOf(size_t col);
  TextSplitSink* TextValuesOf(size_t col);
  // The encoded filters of rows [first, first + rows) of `batch`: the token
  // filter in format kTokenFilterFormat, the trace-id filter in kRibbon
  // (*trace_id_filter stays empty when the signal has no TraceId).
  static constexpr FilterFormat kTokenFilterFormat = FilterFormat::kRibbonWithNumbers;
  static constexpr FilterFormat kTraceIdFilterFormat = FilterFormat::kRibbon;
  void BuildGranule(const RowBatch& batch, size_t first, size_t rows, std::string* token_filter,
                    std::string* trace_id_filter);
  // The footer section (kTokenFilterSection or kTraceIdFilterSection)
  // describing where the filters of every granule are.
  static part_format::Section LocationSection(uint32_t kind, const std::vector<FilterLocation>& locations);

 private:
  // Remembers the distinct values of one column within a granule, so a value
  // that repeats (the resource and scope attributes of every row of one
  // resource) is tokenized once. Exact: values are compared, not only hashed.
  class DistinctValues {
   public:
    // True when `value` was not seen since the last Clear(). `value` must stay
    // valid until then.
    bool Insert(std::string_view value);
    void Clear();

   private:
    bool Insert(uint64_t hash, std::string_view value);
    struct Slot {
      uint64_t hash = 0;
      std::string_view value;
      bool used = false;
    };
    void Grow();
    std::vector<Slot> slots_;
    size_t size_ = 0;
  };

  // A direct-mapped cache of attribute values tokenized in this granule:
  // most attribute values (methods, routes, status codes, thread names)
  // repeat within a granule, and looking one up costs less than tokenizing
  // it again. Exact: a hit compares the value's bytes. A value evicted by
  // another with the same slot is merely tokenized again.
  class RecentValues {
   public:
    RecentValues() : slots_(kSlots) {}
    // True when `encoded_value` is in the cache; otherwise adds it and
    // returns false. `encoded_value` must stay valid until Clear().
    bool Seen(std::string_view encoded_value);
    void Clear() { std::fill(slots_.begin(), slots_.end(), Slot{}); }

   private:
    static constexpr size_t kSlots = 4096;
    struct Slot {
      uint64_t hash = 0;
      std::string_view value;  // empty: a free slot (values are never empty: they start with a tag)
    };
    std::vector<Slot> slots_;
  };

  // Collects what the encoder of one column passes in the current granule,
  // and whether it passed every row (then BuildGranule skips the column).
  class ColumnSink {
   public:
    ColumnSink(SkipIndexBuilder* builder, size_t column) : builder_(builder), column_(column) {}
    size_t column() const { return column_; }
    bool complete() const { return complete_ && !failed_; }
    void Start() { complete_ = failed_ = false; }

   protected:
    SkipIndexBuilder* const builder_;
    const size_t column_;
    bool complete_ = false;
    bool failed_ = false;  // a value without a text form: BuildGranule reads the column itself
  };

  // Tokenizes the raw text it is given, whole or in pieces (string attribute
  // values, from their field's encoding).
  class RawTextSink final : public TextSplitSink {
   public:
    explicit RawTextSink(SkipIndexBuilder* builder) : builder_(builder) {}
    void Text(std::string_view text) override { builder_->AddTextTokens(text); }
    void Token(std::string_view token) override { builder_->AddFoldedToken(token); }
    void Verbatim(std::string_view text) override { builder_->AddTextTokens(text); }
    void TextComplete() override {}  // completeness is the map column's (MapValuesComplete)

   private:
    SkipIndexBuilder* const builder_;
  };

  class AttributeValueSink final : public ColumnSink, public MapValueSink {
   public:
    AttributeValueSink(SkipIndexBuilder* builder, size_t column) : ColumnSink(builder, column), strings_(builder) {}
    void MapValue(const anyvalue::Value& value, std::string_view value_bytes) override {
      if (!builder_->AddAttributeValue(value, value_bytes)) failed_ = true;
    }
    TextSplitSink* StringValues() override { return &strings_; }
    void MapValuesComplete() override { complete_ = true; }

   private:
    RawTextSink strings_;
  };

  class TextValueSink final : public ColumnSink, public TextSplitSink {
   public:
    using ColumnSink::ColumnSink;
    void Text(std::string_view text) override { builder_->AddTextTokens(text); }
    void Token(std::string_view token) override { builder_->AddFoldedToken(token); }
    void Verbatim(std::string_view value) override { builder_->AddAnyText(value); }
    void TextComplete() override { complete_ = true; }
  };

  // The sink of column `col` among `sinks`, or null.
  template <typename Sink>
  static Sink* SinkOf(std::vector<Sink>& sinks, size_t col) {
    for (Sink& sink : sinks) {
      if (sink.column() == col) return &sink;
    }
    return nullptr;
  }

  void AddTextTokens(std::string_view text);
  // Adds `token`, one search token in folded form (TextSplitSink::Token):
  // what AddTextTokens(token) adds, without splitting and folding it.
  void AddFoldedToken(std::string_view token) {
    const tokens::TokenKey key = tokens::KeyOfFolded(token);
    (key.long_number ? long_numbers_ : tokens_).Add(key.hash);
  }
  void AddAnyText(std::string_view encoded);
  void AddAttributeValues(std::string_view encoded_map);
  // Tokenizes one attribute value unless seen in this granule; false when it
  // has no text form (then the whole map is indexed as raw text).
  bool AddAttributeValue(const anyvalue::Value& value, std::string_view value_bytes);
  // For a double whose text has a long-number fraction (full-precision
  // measurements such as 18.234567891234567): adds the integer part's token
  // and marks the granule's long numbers incomplete instead of rendering the
  // text, which takes most of what indexing the value would cost. False,
  // having added nothing, for any other double.
  bool AddDoubleWithLongFraction(double v);

  Signal signal_;
  DistinctValues distinct_maps_;
  std::vector<bool> seen_codes_;  // of a map column in dictionary form, in the current granule
  RecentValues recent_attribute_values_;
  // One per attribute map (resp. text column) of IndexedTextOf; they point
  // back at this builder, which is therefore neither copied nor moved.
  std::vector<AttributeValueSink> attribute_values_;
  std::vector<TextValueSink> text_values_;
  int trace_id_column_;  // -1 when the signal has none
  TokenFilterBuilder tokens_{kTokenFilterResultBits};
  TokenFilterBuilder long_numbers_{kLongNumberFilterResultBits};
  // False once a long number of the granule was left out of long_numbers_
  // (AddDoubleWithLongFraction): the granule then gets no filter of long
  // numbers, which holds them all.
  bool long_numbers_complete_ = true;
  TokenFilterBuilder trace_ids_{kTraceIdFilterResultBits};
  std::string scratch_;
};

// The skip indexes of one open part. `file` is the whole part file (the
// reader's mapping), which must outlive this object.
class SkipIndex {
 public:
  // The location sections of one kind of filter: a part has a current one, an
  // earlier one (all Bloom filters), or neither (no index).
  struct Sections {
    std::optional<std::string_view> current;  // kTokenFilterSection or kTraceIdFilterSection
    std::optional<std::string_view> bloom;    // kTokenBloomSection or kTraceIdBloomSection
  };
  // Parses the location sections present. Fails on a malformed section or a
  // filter outside [0, body_end).
  Status Parse(std::string_view file, uint64_t body_end, Sections tokens, Sections trace_ids, size_t granules);

  // False only when granule g certainly holds no value with this token.
  bool MayContainToken(size_t g, tokens::TokenKey token) const { return tokens_.MayContain(file_, g, token); }
  bool MayContainTraceId(size_t g, uint64_t trace_id_hash) const {
    return trace_ids_.MayContain(file_, g, {trace_id_hash, false});
  }

  // Granule g's stored filter: its format, bytes and the checksum recorded
  // for it, unverified (merges copy them as they are, so damage stays
  // detectable); an empty filter when the part has none for g.
  struct StoredFilter {
    FilterFormat format = FilterFormat::kRibbon;
    std::string_view bytes;
    uint64_t checksum = 0;
  };
  StoredFilter StoredTokenFilter(size_t g) const { return tokens_.Stored(file_, g); }
  StoredFilter StoredTraceIdFilter(size_t g) const { return trace_ids_.Stored(file_, g); }

 private:
  // One kind of filter for every granule, each verified on first use.
  class Filters {
   public:
    Status Parse(Sections sections, uint64_t body_end, size_t granules, const char* what);
    bool MayContain(std::string_view file, size_t g, tokens::TokenKey key) const;
    StoredFilter Stored(std::string_view file, size_t g) const;

   private:
    std::vector<FilterLocation> locations_;  // empty: no index
    // Per granule: 0 unchecked, 1 checksum ok, 2 damaged (prunes nothing).
    std::unique_ptr<std::atomic<uint8_t>[]> verified_;
  };

  std::string_view file_;
  Filters tokens_;
  Filters trace_ids_;
};

}  // namespace otelstack
