#include "store/skip_index/tokenizer.h"

// Inlined: token hashing is the indexing hot loop, and tokens are short.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <string>

namespace otelstack::tokens {

uint64_t TokenHash(std::string_view token) {
  // Fold into a stack buffer; long tokens (rare: ids, base64) take the heap.
  char stack[128];
  std::string heap;
  char* folded = stack;
  if (token.size() > sizeof stack) {
    heap.resize(token.size());
    folded = heap.data();
  }
  for (size_t i = 0; i < token.size(); ++i)
    folded[i] = static_cast<char>(FoldCase(static_cast<unsigned char>(token[i])));
  return XXH3_64bits(folded, token.size());
}

void ForEachTokenHash(std::string_view text, void (*f)(void* context, uint64_t hash), void* context) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const unsigned char* table = internal::kFoldTable.folded;
  char folded[128];
  size_t i = 0;
  while (i < n) {
    while (i < n && table[p[i]] == 0) ++i;
    size_t start = i, len = 0;
    while (i < n && table[p[i]] != 0) {
      if (len < sizeof folded) folded[len] = static_cast<char>(table[p[i]]);
      ++len;
      ++i;
    }
    if (len == 0) break;
    // Long tokens (rare: ids, base64) are hashed the slow way.
    f(context, len <= sizeof folded ? XXH3_64bits(folded, len) : TokenHash(text.substr(start, len)));
  }
}

}  // namespace otelstack::tokens
