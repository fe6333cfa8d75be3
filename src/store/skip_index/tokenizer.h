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

#include "common/hash.h"

namespace otelstack::tokens {

namespace internal {
// kFolded[c]: c case-folded when c is a token byte, 0 when it separates tokens.
struct FoldTable {
  unsigned char folded[256];
  constexpr FoldTable() : folded() {
    for (int c = 0; c < 256; ++c) {
      bool token = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
      folded[c] = !token ? 0 : (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + ('a' - 'A')) : c;
    }
  }
};
inline constexpr FoldTable kFoldTable;
}  // namespace internal

inline bool IsTokenByte(unsigned char c) { return internal::kFoldTable.folded[c] != 0; }

// Whether c is a token byte that folding leaves as it is: a maximal run of
// such bytes is one token in folded form.
constexpr bool IsFoldedTokenByte(unsigned char c) { return c != 0 && internal::kFoldTable.folded[c] == c; }

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

// Long numbers: tokens of at least kLongNumberMinDigits ASCII digits and
// nothing else, such as the fraction digits of a full-precision double
// ("18.234567891234567": 18, 234567891234567), epoch milliseconds or card
// numbers. The token filter keeps them apart at a lower precision
// (token_filter.h): a double attribute's fraction is nearly a token of its
// own per value, and searches for one are rare.
inline constexpr size_t kLongNumberMinDigits = 10;
inline bool IsLongNumber(std::string_view token) {
  if (token.size() < kLongNumberMinDigits) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A token as the token filter looks it up.
struct TokenKey {
  uint64_t hash = 0;
  bool long_number = false;
  bool operator==(const TokenKey&) const = default;
};
inline TokenKey KeyOf(std::string_view token) { return {TokenHash(token), IsLongNumber(token)}; }
// KeyOf for a token already in folded form (made of IsFoldedTokenByte
// bytes), without folding it again: the same key.
inline TokenKey KeyOfFolded(std::string_view token) { return {HashBytes(token), IsLongNumber(token)}; }

namespace internal {
inline constexpr size_t kFoldBufferBytes = 128;
}  // namespace internal

// Calls f(TokenHash(token), IsLongNumber(token)) for each token of `text`,
// in order: the same as ForEachToken followed by KeyOf, in one pass. It is
// the indexing hot loop, so it is a template: `f` is inlined into it.
template <typename F>
void ForEachTokenHash(std::string_view text, F&& f) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const unsigned char* table = internal::kFoldTable.folded;
  char folded[internal::kFoldBufferBytes];
  size_t i = 0;
  while (i < n) {
    while (i < n && table[p[i]] == 0) ++i;
    size_t start = i, len = 0;
    bool digits = true;
    while (i < n && table[p[i]] != 0) {
      if (len < sizeof folded) folded[len] = static_cast<char>(table[p[i]]);
      digits &= static_cast<unsigned char>(p[i] - '0') < 10;
      ++len;
      ++i;
    }
    if (len == 0) break;
    // Long tokens (rare: ids, base64) are hashed the slow way.
    f(len <= sizeof folded ? HashBytes(std::string_view(folded, len)) : TokenHash(text.substr(start, len)),
      digits && len >= kLongNumberMinDigits);
  }
}

}  // namespace otelstack::tokens
