// Short builders of stored AnyValue encodings (common/any_value.h) for tests
// that fill RowBatches by hand: S("x"), I(5), D(1.5), B(true), Empty(), and
// Map({{"k", S("v")}, ...}) for attribute maps (kvlists).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/any_value.h"

namespace otelstack::test {

inline std::string S(std::string_view s) {
  std::string out;
  anyvalue::AppendString(&out, s);
  return out;
}
inline std::string I(int64_t v) {
  std::string out;
  anyvalue::AppendInt(&out, v);
  return out;
}
inline std::string D(double v) {
  std::string out;
  anyvalue::AppendDouble(&out, v);
  return out;
}
inline std::string B(bool v) {
  std::string out;
  anyvalue::AppendBool(&out, v);
  return out;
}
inline std::string Empty() {
  std::string out;
  anyvalue::AppendEmpty(&out);
  return out;
}

// One map entry: a key and its already encoded value.
struct Kv {
  std::string key;
  std::string encoded;
};
inline std::string Map(const std::vector<Kv>& items) {
  std::string out;
  size_t h = anyvalue::BeginKvList(&out);
  for (const Kv& kv : items) {
    anyvalue::AppendKey(&out, kv.key);
    out += kv.encoded;
  }
  anyvalue::EndList(&out, h, static_cast<uint32_t>(items.size()));
  return out;
}

}  // namespace otelstack::test
