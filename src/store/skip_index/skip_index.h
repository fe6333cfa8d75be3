// Skip indexes of a part: per-granule summaries that let a query skip
// granules without reading their columns (after ClickHouse's data-skipping
// indexes). They live in footer sections of the part (part_format.h):
//
//   kTokenBloomSection   : per granule, a TokenBloom of the tokens of the
//                          signal's text columns and of every attribute value
//                          (IndexedText below)
//   kTraceIdBloomSection : per granule, a TokenBloom of the raw TraceIds
//                          (XXH3-64 of the 16 bytes), for trace lookups
//
//   section := granule_count:varint, granule_count x (len:varint, bloom bytes)
//
// A part without a section (older parts, or written without indexes) simply
// has no pruning: every granule may match.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/part_format.h"
#include "store/schema/row_batch.h"
#include "store/skip_index/token_bloom.h"

namespace otelstack {

inline constexpr uint32_t kTokenBloomSection = 1;
inline constexpr uint32_t kTraceIdBloomSection = 2;

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

// Builds the skip index sections of a part, granule by granule.
class SkipIndexBuilder {
 public:
  explicit SkipIndexBuilder(Signal signal);
  // Indexes rows [first, first + rows) of `batch` as the next granule.
  Status AddGranule(const RowBatch& batch, size_t first, size_t rows);
  // The finished sections (call once, after the last granule).
  std::vector<part_format::Section> TakeSections();

 private:
  void AddTextTokens(std::string_view text);
  void AddAnyText(std::string_view encoded);
  void AddAttributeValues(std::string_view encoded_map);

  Signal signal_;
  int trace_id_column_;  // -1 when the signal has none
  size_t granules_ = 0;
  std::string token_blooms_;  // concatenated (len, bytes) entries
  std::string trace_id_blooms_;
  TokenBloomBuilder tokens_;
  TokenBloomBuilder trace_ids_;
  std::string scratch_;
};

// The parsed skip indexes of one part.
class SkipIndex {
 public:
  // Parses the sections present; a missing section leaves that index empty
  // (no pruning). `granules` is the part's granule count.
  static Status Parse(const std::string* token_section, const std::string* trace_id_section, size_t granules,
                      SkipIndex* out);

  // False only when granule g certainly holds no value with this token hash.
  bool MayContainToken(size_t g, uint64_t token_hash) const {
    return tokens_.empty() || tokens_[g].MayContain(token_hash);
  }
  bool MayContainTraceId(size_t g, uint64_t trace_id_hash) const {
    return trace_ids_.empty() || trace_ids_[g].MayContain(trace_id_hash);
  }

 private:
  std::vector<TokenBloomView> tokens_;  // empty, or one per granule
  std::vector<TokenBloomView> trace_ids_;
};

}  // namespace otelstack
