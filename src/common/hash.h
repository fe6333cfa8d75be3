// HashBytes: the 64-bit XXH3 hash of a byte string, compiled inline.
//
// The store hashes many short strings in its hot loops (dictionary keys,
// attribute values, trace ids, message templates). Through libxxhash each
// costs a call through the PLT and a dispatch on the length, which is about
// as much as hashing a short string itself; inlined, the compiler also keeps
// the hash in registers. The values are XXH3_64bits's, so hashes that files
// store or that must match across builds are unchanged.
#pragma once

#include <cstdint>
#include <string_view>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#define OTELSTACK_UNDEF_XXH_INLINE_ALL
#endif
#include <xxhash.h>
#ifdef OTELSTACK_UNDEF_XXH_INLINE_ALL
#undef XXH_INLINE_ALL
#undef OTELSTACK_UNDEF_XXH_INLINE_ALL
#endif

namespace otelstack {

inline uint64_t HashBytes(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

}  // namespace otelstack
