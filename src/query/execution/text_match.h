// Free-text and LIKE matching.
//
// TextPattern implements the search language's word rules on top of the
// tokenizer (store/skip_index/tokenizer.h): the pattern text must occur in
// the value case-insensitively, and, depending on the mode, start and/or end
// at a token boundary:
//   kToken, kPhrase : both ends        (`error`, `"connection refused"`)
//   kPrefix         : the start        (`err*`)
//   kSuffix         : the end          (`*rror`)
//   kSubstring      : neither          (`*rro*`)
// A boundary is the value's start/end, a separator byte next to the match, or
// a separator at that end of the pattern itself. An empty pattern matches
// every value.
//
// LikePattern implements SQL LIKE: '%' any run of bytes, '_' one byte, '\'
// escapes the next byte; optionally case-insensitive (ASCII folding).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "query/parser/ast.h"

namespace otelstack::query {

class TextPattern {
 public:
  // REQUIRES: `folded` is already case-folded (tokens::FoldCase).
  TextPattern(std::string folded, ast::TextMode mode);
  // `scratch` is reused across calls to avoid allocations.
  bool Matches(std::string_view value, std::string* scratch) const;
  // Hashes of the tokens every matching value must contain whole (for the
  // token skip index): the pattern's tokens minus a partial first/last one.
  std::vector<uint64_t> RequiredTokenHashes() const;

 private:
  std::string text_;
  ast::TextMode mode_;
  bool need_start_boundary_;
  bool need_end_boundary_;
};

class LikePattern {
 public:
  LikePattern(std::string_view pattern, bool case_insensitive);
  bool Matches(std::string_view value) const;

 private:
  struct Element {
    enum Kind : uint8_t { kByte, kAnyByte, kAnyRun } kind;
    char byte;
  };
  std::vector<Element> elements_;
  bool case_insensitive_;
};

}  // namespace otelstack::query
