#include "store/skip_index/token_filter.h"

#include <algorithm>

#include "common/varint.h"
#include "store/skip_index/token_bloom.h"

namespace otelstack {

namespace {

bool RibbonMayContain(std::string_view encoded, uint64_t hash) {
  if (encoded.empty()) return true;
  RibbonFilterView view;
  view.Parse(encoded);  // one that does not parse holds everything
  return view.MayContain(hash);
}

}  // namespace

bool SplitRibbonWithNumbers(std::string_view encoded, std::string_view* tokens, std::string_view* numbers) {
  uint64_t tokens_size;
  if (!GetVarint64(&encoded, &tokens_size) || tokens_size > encoded.size()) return false;
  *tokens = encoded.substr(0, tokens_size);
  *numbers = encoded.substr(tokens_size);
  return true;
}

bool FilterMayContain(FilterFormat format, std::string_view encoded, tokens::TokenKey key) {
  if (encoded.empty()) return true;
  switch (format) {
    case FilterFormat::kBloom:
      return TokenBloomView(encoded).MayContain(key.hash);
    case FilterFormat::kRibbon:
      return RibbonMayContain(encoded, key.hash);
    case FilterFormat::kRibbonWithNumbers: {
      std::string_view tokens, numbers;
      if (!SplitRibbonWithNumbers(encoded, &tokens, &numbers)) return true;
      return RibbonMayContain(key.long_number ? numbers : tokens, key.hash);
    }
  }
  return true;
}

void FinishRibbonWithNumbers(TokenFilterBuilder& tokens, TokenFilterBuilder& numbers, bool numbers_complete,
                             std::string* out) {
  std::string tokens_filter, numbers_filter;
  tokens.FinishTo(&tokens_filter);
  if (numbers_complete) {
    numbers.FinishTo(&numbers_filter);
  } else {
    numbers.Clear();  // an empty filter: it holds every long number
  }
  PutVarint64(out, tokens_filter.size());
  out->append(tokens_filter);
  out->append(numbers_filter);
}

void TokenFilterBuilder::InsertPending() {
  for (size_t i = 0; i < std::min(pending_count_, kPending); ++i) hashes_.Insert(pending_[i]);
  pending_count_ = 0;
}

void TokenFilterBuilder::FinishTo(std::string* out) {
  InsertPending();
  distinct_.clear();
  distinct_.reserve(hashes_.size());
  hashes_.ForEach([&](uint64_t h) { distinct_.push_back(h); });
  ribbon_.Build(distinct_, result_bits_, out);  // on failure out is unchanged: no filter
  Clear();
}

void TokenFilterBuilder::Clear() {
  pending_count_ = 0;
  hashes_.Clear();
  ResetRecent();
}

void TokenFilterBuilder::ResetRecent() {
  for (size_t i = 0; i < kRecentSlots; ++i) recent_[i] = i ^ 1;
}

}  // namespace otelstack
