#include "store/rice_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace otelstack {
namespace {

std::vector<uint64_t> Decode(const std::string& stream, int k, size_t count, bool* ok) {
  std::vector<uint64_t> out(count, 12345);
  *ok = RiceDecode(stream, k, out);
  return out;
}

TEST(RiceCodecTest, RoundTripsEveryParameterWithEscapesAndExtremes) {
  std::mt19937_64 rng(7);
  for (int k : {0, 1, 7, 8, 13, 31, 32, 55, kMaxRiceParameter}) {
    std::vector<uint64_t> values;
    for (int i = 0; i < 3000; ++i) {
      const uint64_t scale = k == 0 ? 1 : (uint64_t{1} << k);
      values.push_back(rng() % (scale * 4));  // mostly short quotients
    }
    // Outliers take the escape: quotients of exactly the limit and beyond.
    values.push_back(kRiceEscapeQuotient << k);
    values.push_back(((kRiceEscapeQuotient - 1) << k) | 1);  // the longest unary code
    values.push_back(UINT64_MAX);
    values.push_back(0);
    std::string stream;
    RiceEncode(values, k, &stream);
    EXPECT_EQ(stream.size(), (RiceCodedBits(values, k) + 7) / 8) << "k=" << k;
    bool ok;
    EXPECT_EQ(Decode(stream, k, values.size(), &ok), values) << "k=" << k;
    EXPECT_TRUE(ok) << "k=" << k;
  }
}

TEST(RiceCodecTest, EmptyInputIsAnEmptyStream) {
  std::string stream;
  RiceEncode({}, 9, &stream);
  EXPECT_TRUE(stream.empty());
  bool ok;
  Decode(stream, 9, 0, &ok);
  EXPECT_TRUE(ok);
}

TEST(RiceCodecTest, BestParameterIsTheSmallestOfAll) {
  std::mt19937_64 rng(11);
  for (double mean : {3.0, 300.0, 8.6e6, 1e12}) {
    std::geometric_distribution<uint64_t> gaps(1.0 / mean);
    std::vector<uint64_t> values;
    for (int i = 0; i < 8191; ++i) values.push_back(gaps(rng));
    uint64_t bits;
    const int k = BestRiceParameter(values, &bits);
    EXPECT_EQ(bits, RiceCodedBits(values, k));
    for (int other = 0; other <= kMaxRiceParameter; ++other) {
      EXPECT_LE(bits, RiceCodedBits(values, other)) << "mean " << mean << " k " << k << " other " << other;
    }
  }
}

TEST(RiceCodecTest, RejectsTruncatedLongAndBadlyPaddedStreams) {
  std::vector<uint64_t> values;
  for (uint64_t v = 0; v < 500; ++v) values.push_back(v * 977 % 5000);
  const int k = 10;
  std::string stream;
  RiceEncode(values, k, &stream);
  bool ok;
  Decode(stream.substr(0, stream.size() - 1), k, values.size(), &ok);
  EXPECT_FALSE(ok) << "truncated";
  Decode(stream + std::string(1, '\0'), k, values.size(), &ok);
  EXPECT_FALSE(ok) << "a byte too long";
  Decode(stream, k, values.size() - 20, &ok);
  EXPECT_FALSE(ok) << "fewer values than coded";
  Decode(stream, k, values.size() + 1, &ok);
  EXPECT_FALSE(ok) << "more values than coded";
  Decode(stream, kMaxRiceParameter + 1, values.size(), &ok);
  EXPECT_FALSE(ok) << "parameter out of range";
  // 500 codes of 10 + q + 1 bits: find the padding and set a bit in it.
  const uint64_t used = RiceCodedBits(values, k);
  ASSERT_NE(used % 8, 0u) << "this input has no padding to damage";
  std::string bad = stream;
  bad.back() = static_cast<char>(bad.back() | 0x80);
  Decode(bad, k, values.size(), &ok);
  EXPECT_FALSE(ok) << "non-zero padding";
}

TEST(RiceCodecTest, AllOnesIsAnEscapeThatRunsPastTheEnd) {
  // A stream of one-bits only: an escape whose 64-bit value is cut off.
  bool ok;
  Decode(std::string(6, '\xff'), 3, 1, &ok);
  EXPECT_FALSE(ok);
}

}  // namespace
}  // namespace otelstack
