#include "common/bytes_equal.h"

#include <gtest/gtest.h>

#include <string>

namespace otelstack {
namespace {

// Every length up to past two words, equal and differing at each position:
// the length classes read overlapping words, so a byte that no read covers
// would be missed only for some lengths and positions.
TEST(BytesEqualTest, AgreesWithOperatorEqualsForEveryLengthAndPosition) {
  for (size_t n = 0; n <= 40; ++n) {
    std::string a(n, 'x');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + i % 26);
    const std::string b = a;
    EXPECT_TRUE(BytesEqual(a, b)) << n;
    for (size_t i = 0; i < n; ++i) {
      std::string c = a;
      c[i] = static_cast<char>(c[i] ^ 0x80);
      EXPECT_FALSE(BytesEqual(a, c)) << "length " << n << ", byte " << i;
      EXPECT_FALSE(BytesEqual(c, a)) << "length " << n << ", byte " << i;
    }
  }
}

TEST(BytesEqualTest, DifferentLengthsAreNeverEqual) {
  const std::string s = "abcdefghijklmnopqrstuvwxyz";
  for (size_t n = 0; n < s.size(); ++n) {
    EXPECT_FALSE(BytesEqual(std::string_view(s).substr(0, n), std::string_view(s).substr(0, n + 1))) << n;
  }
  // Views into one buffer at other offsets compare their bytes, not where
  // they are.
  const std::string twice = "hello.hello";
  EXPECT_TRUE(BytesEqual(std::string_view(twice).substr(0, 5), std::string_view(twice).substr(6, 5)));
}

}  // namespace
}  // namespace otelstack
