#include "store/skip_index/skip_index.h"

#include <xxhash.h>

#include <bit>

#include "common/any_value.h"
#include "common/any_value_json.h"
#include "common/varint.h"
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

void AppendEntry(std::string* section, TokenBloomBuilder* builder) {
  std::string bloom;
  builder->FinishTo(&bloom);
  PutVarint64(section, bloom.size());
  section->append(bloom);
}

Status ParseSection(const std::string* section, size_t granules, const char* what, std::vector<TokenBloomView>* out) {
  out->clear();
  if (section == nullptr) return Status::OK();
  std::string_view in(*section);
  uint64_t count = 0;
  if (!GetVarint64(&in, &count) || count != granules) {
    return Status::Corruption(std::string(what) + " index: granule count does not match the part");
  }
  out->reserve(granules);
  for (uint64_t g = 0; g < count; ++g) {
    uint64_t len = 0;
    if (!GetVarint64(&in, &len) || len > in.size() || (len != 0 && (len % 8 != 0 || !std::has_single_bit(len)))) {
      return Status::Corruption(std::string(what) + " index: bad filter of granule " + std::to_string(g));
    }
    out->emplace_back(in.substr(0, len));
    in.remove_prefix(len);
  }
  if (!in.empty()) return Status::Corruption(std::string(what) + " index: trailing bytes");
  return Status::OK();
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

uint64_t TraceIdHash(std::string_view raw_trace_id) { return XXH3_64bits(raw_trace_id.data(), raw_trace_id.size()); }

SkipIndexBuilder::SkipIndexBuilder(Signal signal) : signal_(signal), trace_id_column_(ColumnIndex(signal, "TraceId")) {}

void SkipIndexBuilder::AddTextTokens(std::string_view text) {
  tokens::ForEachToken(text, [&](std::string_view t) { tokens_.Add(tokens::TokenHash(t)); });
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

void SkipIndexBuilder::AddAttributeValues(std::string_view encoded_map) {
  Status s = anyvalue::ForEachMapValueText(encoded_map, &scratch_, [&](std::string_view text) {
    AddTextTokens(text);
    return false;  // visit every value
  });
  if (!s.ok()) AddTextTokens(encoded_map);
}

Status SkipIndexBuilder::AddGranule(const RowBatch& batch, size_t first, size_t rows) {
  const IndexedText& indexed = IndexedTextOf(signal_);
  auto schema = SchemaOf(signal_);
  for (size_t col : indexed.text_columns) {
    for (size_t r = first; r < first + rows; ++r) {
      std::string_view value = batch.Bytes(col, r);
      if (schema[col].type == ColumnType::kAny) {
        AddAnyText(value);
      } else {
        AddTextTokens(value);
      }
    }
  }
  for (size_t col : indexed.attribute_maps) {
    for (size_t r = first; r < first + rows; ++r) AddAttributeValues(batch.Bytes(col, r));
  }
  AppendEntry(&token_blooms_, &tokens_);
  if (trace_id_column_ >= 0) {
    for (size_t r = first; r < first + rows; ++r) {
      std::string_view id = batch.Bytes(trace_id_column_, r);
      if (!id.empty()) trace_ids_.Add(TraceIdHash(id));
    }
    AppendEntry(&trace_id_blooms_, &trace_ids_);
  }
  ++granules_;
  return Status::OK();
}

std::vector<part_format::Section> SkipIndexBuilder::TakeSections() {
  std::vector<part_format::Section> out;
  auto add = [&](uint32_t kind, std::string* body) {
    std::string bytes;
    PutVarint64(&bytes, granules_);
    bytes.append(*body);
    out.push_back({kind, std::move(bytes)});
    body->clear();
  };
  add(kTokenBloomSection, &token_blooms_);
  if (trace_id_column_ >= 0) add(kTraceIdBloomSection, &trace_id_blooms_);
  return out;
}

Status SkipIndex::Parse(const std::string* token_section, const std::string* trace_id_section, size_t granules,
                        SkipIndex* out) {
  OTELSTACK_RETURN_IF_ERROR(ParseSection(token_section, granules, "token", &out->tokens_));
  return ParseSection(trace_id_section, granules, "trace id", &out->trace_ids_);
}

}  // namespace otelstack
