// A bytes column in RowBatch layout for codec tests: values appended to one
// data string with their end offsets, viewed as the encoders take them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/column_codec.h"

namespace otelstack::test {

// Optionally preceded by `prefix` values that are not part of the view (so
// the view has a non-zero begin).
struct BytesColumn {
  std::vector<uint32_t> ends;
  std::string data;
  size_t skip = 0;

  BytesColumn() = default;
  explicit BytesColumn(const std::vector<std::string>& values, const std::vector<std::string>& prefix = {}) {
    for (const auto& v : prefix) Add(v);
    skip = prefix.size();
    for (const auto& v : values) Add(v);
  }
  void Add(std::string_view v) {
    data.append(v);
    ends.push_back(static_cast<uint32_t>(data.size()));
  }
  BytesColumnView view() const {
    return BytesColumnView{std::span<const uint32_t>(ends).subspan(skip), skip == 0 ? 0 : ends[skip - 1], data.data()};
  }
  // Value i of the view.
  std::string_view at(size_t i) const { return view().value(i); }
};

}  // namespace otelstack::test
