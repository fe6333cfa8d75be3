#include "store/skip_index/tokenizer.h"

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
  return HashBytes(std::string_view(folded, token.size()));
}

}  // namespace otelstack::tokens
