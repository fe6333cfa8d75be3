// Free-text and LIKE matching.
//
// TextPattern implements the search language's word rules on top of the
// tokenizer (store/skip_index/tokenizer.h), case-insensitively:
//   kToken, kPhrase : the pattern's tokens appear as consecutive tokens of
//                     the value (`error`, `"connection refused"`, and
//                     `"alice example com"` matches alice@example.com)
//   kPrefix         : as above, the last token only starting a value token
//                     (`err*`, `api/v1/ord*`)
//   kSuffix         : the first token only ending a value token (`*rror`)
//   kSubstring      : the pattern text anywhere in the value (`*rro*`)
// A pattern without tokens (only separators) matches as a substring. An
// empty pattern matches every value.
//
// LikePattern implements SQL LIKE: '%' any run of bytes, '_' one byte, '\'
// escapes the next byte; optionally case-insensitive (ASCII folding).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "query/parser/ast.h"
#include "store/skip_index/tokenizer.h"

namespace otelstack::query {

class TextPattern {
 public:
  // REQUIRES: `folded` is already case-folded (tokens::FoldCase).
  TextPattern(std::string folded, ast::TextMode mode);
  // `scratch` is reused across calls to avoid allocations.
  bool Matches(std::string_view value, std::vector<std::string_view>* scratch) const;
  // The tokens every matching value must contain whole (for the
  // token skip index): the pattern's tokens minus a partial first/last one.
  std::vector<tokens::TokenKey> RequiredTokenKeys() const;
  // False when no number's text form (digits, sign, '.', exponent, NaN,
  // Infinity) can match, so numeric values need not be rendered.
  bool CanMatchNumbers() const { return can_match_numbers_; }

 private:
  bool MatchesTokens(std::string_view value, std::vector<std::string_view>* scratch) const;
  bool FirstMatches(std::string_view value_token) const;
  bool LastMatches(std::string_view value_token) const;

  std::string text_;  // case-folded
  ast::TextMode mode_;
  std::vector<std::string> tokens_;  // case-folded tokens of text_
  std::string longest_token_;
  bool can_match_numbers_ = true;
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
