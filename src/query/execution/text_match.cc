#include "query/execution/text_match.h"

#include <cstring>

#include "store/skip_index/tokenizer.h"

namespace otelstack::query {

namespace {
bool IsToken(char c) { return tokens::IsTokenByte(static_cast<unsigned char>(c)); }
char Fold(char c) { return static_cast<char>(tokens::FoldCase(static_cast<unsigned char>(c))); }

// True when `raw` case-folded equals `folded`.
bool EqualsFolded(std::string_view raw, std::string_view folded) {
  if (raw.size() != folded.size()) return false;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (Fold(raw[i]) != folded[i]) return false;
  }
  return true;
}

// Case-insensitive substring search. Candidates for the first byte are found
// with memchr (vectorized) for both its cases, so values without it cost one
// or two fast scans.
bool ContainsFolded(std::string_view raw, std::string_view folded) {
  if (folded.empty()) return true;
  if (raw.size() < folded.size()) return false;
  const char lower = folded[0];
  const char upper = (lower >= 'a' && lower <= 'z') ? static_cast<char>(lower - ('a' - 'A')) : lower;
  const char* begin = raw.data();
  const char* last = raw.data() + (raw.size() - folded.size());  // last possible start
  auto find = [&](const char* from, char c) -> const char* {
    if (from > last) return nullptr;
    return static_cast<const char*>(std::memchr(from, c, static_cast<size_t>(last - from) + 1));
  };
  const char* next_lower = find(begin, lower);
  const char* next_upper = upper == lower ? nullptr : find(begin, upper);
  while (next_lower != nullptr || next_upper != nullptr) {
    const char* at;
    if (next_upper == nullptr || (next_lower != nullptr && next_lower < next_upper)) {
      at = next_lower;
      next_lower = find(at + 1, lower);
    } else {
      at = next_upper;
      next_upper = find(at + 1, upper);
    }
    if (EqualsFolded(std::string_view(at, folded.size()), folded)) return true;
  }
  return false;
}

}  // namespace

TextPattern::TextPattern(std::string folded, ast::TextMode mode) : text_(std::move(folded)), mode_(mode) {
  tokens::ForEachToken(text_, [&](std::string_view t) {
    tokens_.emplace_back(t);
    if (t.size() > longest_token_.size()) longest_token_ = std::string(t);
  });
  can_match_numbers_ = text_.find_first_not_of("0123456789+-.eEinfatyINFATY") == std::string::npos;
}

bool TextPattern::FirstMatches(std::string_view v) const {
  const std::string& p = tokens_.front();
  if (mode_ == ast::TextMode::kSuffix) return v.size() >= p.size() && EqualsFolded(v.substr(v.size() - p.size()), p);
  if (mode_ == ast::TextMode::kPrefix && tokens_.size() == 1)
    return v.size() >= p.size() && EqualsFolded(v.substr(0, p.size()), p);
  return EqualsFolded(v, p);
}

bool TextPattern::LastMatches(std::string_view v) const {
  const std::string& p = tokens_.back();
  if (mode_ == ast::TextMode::kPrefix) return v.size() >= p.size() && EqualsFolded(v.substr(0, p.size()), p);
  return EqualsFolded(v, p);
}

bool TextPattern::MatchesTokens(std::string_view value, std::vector<std::string_view>* scratch) const {
  // Every pattern token (even a partial first or last one) occurs in a
  // matching value as a substring: a cheap test that rejects most values
  // before they are tokenized.
  if (!ContainsFolded(value, longest_token_)) return false;
  const size_t m = tokens_.size();
  if (m == 1) {  // the common case: no token list needed
    bool found = false;
    tokens::ForEachToken(value, [&](std::string_view t) { found = found || FirstMatches(t); });
    return found;
  }
  scratch->clear();
  tokens::ForEachToken(value, [&](std::string_view t) { scratch->push_back(t); });
  const auto& v = *scratch;
  for (size_t i = 0; i + m <= v.size(); ++i) {
    if (!FirstMatches(v[i])) continue;
    size_t j = 1;
    while (j + 1 < m && EqualsFolded(v[i + j], tokens_[j])) ++j;
    if (j + 1 == m && LastMatches(v[i + j])) return true;
  }
  return false;
}

bool TextPattern::Matches(std::string_view value, std::vector<std::string_view>* scratch) const {
  if (text_.empty()) return true;
  if (mode_ == ast::TextMode::kSubstring || tokens_.empty()) return ContainsFolded(value, text_);
  return MatchesTokens(value, scratch);
}

std::vector<tokens::TokenKey> TextPattern::RequiredTokenKeys() const {
  if (mode_ == ast::TextMode::kSubstring) {
    // Only tokens strictly inside the pattern are whole tokens of a match.
    std::vector<tokens::TokenKey> out;
    bool first_partial = IsToken(text_.front());
    bool last_partial = IsToken(text_.back());
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if ((i == 0 && first_partial) || (i + 1 == tokens_.size() && last_partial)) continue;
      out.push_back(tokens::KeyOf(tokens_[i]));
    }
    return out;
  }
  std::vector<tokens::TokenKey> out;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (i == 0 && mode_ == ast::TextMode::kSuffix) continue;
    if (i + 1 == tokens_.size() && mode_ == ast::TextMode::kPrefix) continue;
    out.push_back(tokens::KeyOf(tokens_[i]));
  }
  return out;
}

LikePattern::LikePattern(std::string_view pattern, bool case_insensitive) : case_insensitive_(case_insensitive) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      char next = pattern[++i];
      elements_.push_back({Element::kByte, case_insensitive ? Fold(next) : next});
    } else if (c == '%') {
      if (elements_.empty() || elements_.back().kind != Element::kAnyRun) elements_.push_back({Element::kAnyRun, 0});
    } else if (c == '_') {
      elements_.push_back({Element::kAnyByte, 0});
    } else {
      elements_.push_back({Element::kByte, case_insensitive ? Fold(c) : c});
    }
  }
}

bool LikePattern::Matches(std::string_view value) const {
  // Greedy matching with backtracking to the last '%' (linear in practice,
  // O(n*m) in the worst case, never exponential).
  size_t v = 0, p = 0;
  size_t star_p = std::string_view::npos, star_v = 0;
  while (v < value.size()) {
    if (p < elements_.size()) {
      const Element& e = elements_[p];
      if (e.kind == Element::kAnyRun) {
        star_p = p++;
        star_v = v;
        continue;
      }
      char c = case_insensitive_ ? Fold(value[v]) : value[v];
      if (e.kind == Element::kAnyByte || e.byte == c) {
        ++p;
        ++v;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    v = ++star_v;
  }
  while (p < elements_.size() && elements_[p].kind == Element::kAnyRun) ++p;
  return p == elements_.size();
}

}  // namespace otelstack::query
