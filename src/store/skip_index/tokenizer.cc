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

namespace internal {
uint64_t HashFolded(const char* folded, size_t folded_len) { return XXH3_64bits(folded, folded_len); }
}  // namespace internal

}  // namespace otelstack::tokens
