// The invariant both parser fuzz targets check: a parse either succeeds with
// a tree ast::ToString can render, or fails with InvalidArgument whose
// message starts "at position N: " with 1 <= N <= size + 1. Anything else
// aborts, which libFuzzer reports as a crash with a reproducer.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/status.h"
#include "query/parser/ast.h"

namespace otelstack::query::fuzz {

[[noreturn]] inline void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz invariant violated: %s: %s\n", what, detail.c_str());
  std::abort();
}

inline void CheckParse(std::string_view input, const Status& st, const ast::NodePtr& node) {
  if (st.ok()) {
    if (node) (void)ast::ToString(*node);
    return;
  }
  if (node) Fail("error with a tree", st.message());
  if (st.code() != Status::Code::kInvalidArgument) Fail("error code is not InvalidArgument", st.message());
  const std::string& msg = st.message();
  constexpr std::string_view kPrefix = "at position ";
  if (msg.compare(0, kPrefix.size(), kPrefix) != 0) Fail("message does not start with a position", msg);
  size_t i = kPrefix.size();
  size_t position = 0;
  size_t digits = 0;
  while (i < msg.size() && msg[i] >= '0' && msg[i] <= '9' && digits < 12) {
    position = position * 10 + static_cast<size_t>(msg[i] - '0');
    ++i, ++digits;
  }
  if (digits == 0 || msg.compare(i, 2, ": ") != 0) Fail("malformed position", msg);
  if (position < 1 || position > input.size() + 1) Fail("position out of range", msg);
}

}  // namespace otelstack::query::fuzz
