#include "store/skip_index/token_filter.h"

#include <algorithm>

#include "store/skip_index/token_bloom.h"

namespace otelstack {

bool FilterMayContain(FilterFormat format, std::string_view encoded, uint64_t hash) {
  if (encoded.empty()) return true;
  switch (format) {
    case FilterFormat::kBloom:
      return TokenBloomView(encoded).MayContain(hash);
    case FilterFormat::kRibbon: {
      RibbonFilterView view;
      view.Parse(encoded);  // one that does not parse holds everything
      return view.MayContain(hash);
    }
  }
  return true;
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
  hashes_.Clear();
  ResetRecent();
}

void TokenFilterBuilder::ResetRecent() {
  for (size_t i = 0; i < kRecentSlots; ++i) recent_[i] = i ^ 1;
}

}  // namespace otelstack
