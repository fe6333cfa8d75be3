#include "common/bytes_copy.h"

#include <gtest/gtest.h>

#include <string>

namespace otelstack {
namespace {

// Every length up to past two words, from and to every offset within a word:
// the length classes copy overlapping words, so a byte that no store covers,
// or a store past the end, would show for some lengths and offsets only.
TEST(BytesCopyTest, CopiesExactlyTheBytesForEveryLengthAndOffset) {
  constexpr size_t kGuard = 16;
  for (size_t n = 0; n <= 40; ++n) {
    for (size_t from = 0; from < 8; ++from) {
      for (size_t to = 0; to < 8; ++to) {
        std::string src(from + n, '\0');
        for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<char>('a' + i % 26);
        std::string dst(kGuard + to + n + kGuard, '#');
        CopyBytes(dst.data() + kGuard + to, src.data() + from, n);
        const std::string expected = std::string(kGuard + to, '#') + src.substr(from, n) + std::string(kGuard, '#');
        ASSERT_EQ(dst, expected) << "length " << n << ", from offset " << from << ", to offset " << to;
      }
    }
  }
}

}  // namespace
}  // namespace otelstack
