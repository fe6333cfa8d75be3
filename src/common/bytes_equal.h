// BytesEqual: equality of two byte strings, compiled inline.
//
// The store compares many short strings in its hot loops (a dictionary's key
// against the value that hashed to it, an attribute's key bytes against the
// field predicted for it). std::string_view's operator== calls memcmp, which
// costs a call through the PLT and a dispatch on the length, more than
// comparing a 10-byte key itself. Here strings of up to 16 bytes take two
// overlapping loads per side and no loop.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace otelstack {

namespace internal {
inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
}  // namespace internal

inline bool BytesEqual(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    // Whole words, then the last 8 bytes (which may overlap the words read).
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (internal::Load64(p + i) != internal::Load64(q + i)) return false;
    }
    return internal::Load64(p + n - 8) == internal::Load64(q + n - 8);
  }
  if (n >= 4) {
    return ((internal::Load32(p) ^ internal::Load32(q)) |
            (internal::Load32(p + n - 4) ^ internal::Load32(q + n - 4))) == 0;
  }
  if (n == 0) return true;
  // 1 to 3 bytes: the first, middle and last cover them all.
  return p[0] == q[0] && p[n / 2] == q[n / 2] && p[n - 1] == q[n - 1];
}

}  // namespace otelstack
