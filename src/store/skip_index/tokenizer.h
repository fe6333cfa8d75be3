// Tokens: the unit of free-text search and of the token skip index.
//
// A token is a maximal run of ASCII letters, ASCII digits and bytes >= 0x80
// (so UTF-8 words stay whole); every other byte separates tokens. Tokens are
// compared case-insensitively by folding ASCII letters to lower case (bytes
// >= 0x80 are kept as they are). "GET /api/v1/orders?id=42" has the tokens
// get, api, v1, orders, id, 42.
//
// The query engine matches search text with these rules and the store indexes
// the same tokens, so a granule whose index lacks a token of the query cannot
// hold a match.
#pragma once

#include <cstdint>
#include <string_view>

namespace otelstack::tokens {

inline bool IsTokenByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

inline unsigned char FoldCase(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

// Calls f(token) for each token of `text`, in order; tokens are views into
// `text` (not case-folded).
template <typename F>
void ForEachToken(std::string_view text, F&& f) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    while (i < n && !IsTokenByte(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < n && IsTokenByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) f(text.substr(start, i - start));
  }
}

// A 64-bit hash of the case-folded token. Stable across versions: it is
// stored in part files.
uint64_t TokenHash(std::string_view token);

}  // namespace otelstack::tokens
