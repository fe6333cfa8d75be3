#include "query/execution/text_match.h"

#include "store/skip_index/tokenizer.h"

namespace otelstack::query {

namespace {
bool IsToken(char c) { return tokens::IsTokenByte(static_cast<unsigned char>(c)); }
char Fold(char c) { return static_cast<char>(tokens::FoldCase(static_cast<unsigned char>(c))); }
}  // namespace

TextPattern::TextPattern(std::string folded, ast::TextMode mode) : text_(std::move(folded)), mode_(mode) {
  bool start = mode == ast::TextMode::kToken || mode == ast::TextMode::kPhrase || mode == ast::TextMode::kPrefix;
  bool end = mode == ast::TextMode::kToken || mode == ast::TextMode::kPhrase || mode == ast::TextMode::kSuffix;
  // A pattern that itself begins (ends) with a separator is at a boundary.
  need_start_boundary_ = start && !text_.empty() && IsToken(text_.front());
  need_end_boundary_ = end && !text_.empty() && IsToken(text_.back());
}

bool TextPattern::Matches(std::string_view value, std::string* scratch) const {
  if (text_.empty()) return true;
  if (value.size() < text_.size()) return false;
  scratch->assign(value);
  for (char& c : *scratch) c = Fold(c);
  std::string_view folded(*scratch);
  for (size_t at = folded.find(text_); at != std::string_view::npos; at = folded.find(text_, at + 1)) {
    size_t end = at + text_.size();
    if (need_start_boundary_ && at > 0 && IsToken(folded[at - 1])) continue;
    if (need_end_boundary_ && end < folded.size() && IsToken(folded[end])) continue;
    return true;
  }
  return false;
}

std::vector<uint64_t> TextPattern::RequiredTokenHashes() const {
  std::vector<std::string_view> parts;
  tokens::ForEachToken(text_, [&](std::string_view t) { parts.push_back(t); });
  if (parts.empty()) return {};
  // A token touching an end of the pattern where no boundary is required may
  // be only part of a stored token.
  bool first_partial = !need_start_boundary_ && IsToken(text_.front());
  bool last_partial = !need_end_boundary_ && IsToken(text_.back());
  std::vector<uint64_t> out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if ((i == 0 && first_partial) || (i + 1 == parts.size() && last_partial)) continue;
    out.push_back(tokens::TokenHash(parts[i]));
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
