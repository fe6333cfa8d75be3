#include "audit/redact.h"

#include <cstddef>

namespace otelstack::audit {
namespace {

constexpr size_t kMinHexSecret = 64;
constexpr size_t kMinPersonalKeyBody = 16;
constexpr std::string_view kPersonalKeyPrefix = "osk_";
constexpr std::string_view kBearer = "bearer";

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsToken68(char c) {
  return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

template <typename Pred>
size_t RunLength(std::string_view text, size_t from, Pred pred) {
  size_t end = from;
  while (end < text.size() && pred(text[end])) ++end;
  return end - from;
}

// Length of "Bearer <ws> <token>" starting at `i` (the word only, up to the
// token), or 0 when there is none. *token_len gets the token's length.
size_t BearerPrefix(std::string_view text, size_t i, size_t* token_len) {
  if (i > 0 && IsAlnum(text[i - 1])) return 0;
  if (text.size() - i < kBearer.size()) return 0;
  for (size_t k = 0; k < kBearer.size(); ++k) {
    if (Lower(text[i + k]) != kBearer[k]) return 0;
  }
  size_t spaces = RunLength(text, i + kBearer.size(), [](char c) { return c == ' ' || c == '\t'; });
  if (spaces == 0) return 0;
  size_t prefix = kBearer.size() + spaces;
  *token_len = RunLength(text, i + prefix, IsToken68);
  return *token_len == 0 ? 0 : prefix;
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t token_len = 0;
    if (size_t prefix = BearerPrefix(text, i, &token_len); prefix > 0) {
      out.append(text.substr(i, prefix));
      out.append(kRedacted);
      i += prefix + token_len;
      continue;
    }
    if (text.substr(i, kPersonalKeyPrefix.size()) == kPersonalKeyPrefix) {
      size_t body = RunLength(text, i + kPersonalKeyPrefix.size(), IsAlnum);
      if (body >= kMinPersonalKeyBody) {
        out.append(kRedacted);
        i += kPersonalKeyPrefix.size() + body;
        continue;
      }
    }
    // Only at the start of a hex run, so a long run is never split into a
    // kept head and a redacted tail.
    if (IsHex(text[i]) && (i == 0 || !IsHex(text[i - 1]))) {
      size_t run = RunLength(text, i, IsHex);
      if (run >= kMinHexSecret) {
        out.append(kRedacted);
        i += run;
        continue;
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

}  // namespace otelstack::audit
