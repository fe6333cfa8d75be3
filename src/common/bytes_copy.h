// CopyBytes: a copy of a short byte string, compiled inline.
//
// The OTLP decoder copies every attribute's key and string value (mostly
// under 32 bytes) into the entry it assembles. A std::memcpy of a length
// known only at run time is a call through the PLT and a dispatch on the
// length, which costs more than such a copy itself. Here the copy is made of
// overlapping word loads and stores, like BytesEqual's compares: it reads
// exactly [src, src + n) and writes exactly [dst, dst + n).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "common/bytes_equal.h"

namespace otelstack {

namespace internal {
inline void Store64(char* p, uint64_t v) { std::memcpy(p, &v, sizeof v); }
inline void Store32(char* p, uint32_t v) { std::memcpy(p, &v, sizeof v); }
}  // namespace internal

// REQUIRES: the two ranges do not overlap.
inline void CopyBytes(char* dst, const char* src, size_t n) {
  if (n >= 8) {
    // Whole words, then the last 8 bytes (which may overlap the words copied).
    for (size_t i = 0; i + 8 < n; i += 8) internal::Store64(dst + i, internal::Load64(src + i));
    internal::Store64(dst + n - 8, internal::Load64(src + n - 8));
    return;
  }
  if (n >= 4) {
    const uint32_t first = internal::Load32(src), last = internal::Load32(src + n - 4);
    internal::Store32(dst, first);
    internal::Store32(dst + n - 4, last);
    return;
  }
  if (n == 0) return;
  // 1 to 3 bytes: the first, middle and last cover them all.
  dst[0] = src[0];
  dst[n / 2] = src[n / 2];
  dst[n - 1] = src[n - 1];
}

}  // namespace otelstack
