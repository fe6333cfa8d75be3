#include "common/varint.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace otelstack {
namespace {

std::string Encoded(uint64_t v) {
  std::string out;
  PutVarint64(&out, v);
  return out;
}

TEST(VarintTest, RoundTripsOneByteAndLongValues) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 300ull, 16383ull, 16384ull, (1ull << 35) + 7, ~0ull}) {
    std::string bytes = Encoded(v) + "rest";
    std::string_view in = bytes;
    uint64_t got = 0;
    ASSERT_TRUE(GetVarint64(&in, &got)) << v;
    EXPECT_EQ(got, v);
    EXPECT_EQ(in, "rest") << v;
    EXPECT_EQ(Encoded(v).size(), VarintLength(v)) << v;
  }
}

// The bytes themselves (protobuf's varints): seven bits at a time, least
// significant first, the continuation bit on all but the last. Two-byte
// values are written by a path of their own.
TEST(VarintTest, WritesProtobufBytes) {
  EXPECT_EQ(Encoded(127), "\x7f");
  EXPECT_EQ(Encoded(128), std::string("\x80\x01"));
  EXPECT_EQ(Encoded(300), std::string("\xac\x02"));
  EXPECT_EQ(Encoded(16383), std::string("\xff\x7f"));
  EXPECT_EQ(Encoded(16384), std::string("\x80\x80\x01"));
  EXPECT_EQ(Encoded(~0ull), std::string(9, '\xff') + '\x01');
  for (uint64_t v : {0ull, 127ull, 128ull, 16383ull, 16384ull, ~0ull}) {
    char buf[kMaxVarint64Bytes];
    EXPECT_EQ(std::string(buf, EncodeVarint64(buf, v)), Encoded(v)) << v;
  }
}

TEST(VarintTest, RejectsEmptyTruncatedAndOverlongInput) {
  uint64_t v = 0;
  std::string_view empty;
  EXPECT_FALSE(GetVarint64(&empty, &v));
  std::string truncated = Encoded(1ull << 40);
  truncated.pop_back();
  std::string_view in = truncated;
  EXPECT_FALSE(GetVarint64(&in, &v));
  // Eleven bytes: ten with the continuation bit, then a last one. No
  // uint64_t needs more than ten.
  std::string overlong = std::string(10, '\x80') + '\x01';
  in = overlong;
  EXPECT_FALSE(GetVarint64(&in, &v));
}

TEST(VarintTest, LengthPrefixedReadsShortAndLongLengths) {
  for (size_t len : {size_t{0}, size_t{1}, size_t{127}, size_t{128}, size_t{1000}}) {
    std::string payload(len, 'x');
    std::string bytes;
    PutLengthPrefixed(&bytes, payload);
    bytes += "tail";
    std::string_view in = bytes, out;
    ASSERT_TRUE(GetLengthPrefixed(&in, &out)) << len;
    EXPECT_EQ(out, payload);
    EXPECT_EQ(in, "tail");
  }
}

TEST(VarintTest, LengthPrefixedRejectsLengthsBeyondTheInput) {
  std::string_view out;
  for (size_t len : {size_t{5}, size_t{200}}) {
    std::string bytes;
    PutVarint64(&bytes, len);
    bytes.append(len - 1, 'x');  // one byte short
    std::string_view in = bytes;
    EXPECT_FALSE(GetLengthPrefixed(&in, &out)) << len;
  }
  std::string_view empty;
  EXPECT_FALSE(GetLengthPrefixed(&empty, &out));
  std::string only_length = Encoded(300);
  std::string_view in = only_length;
  EXPECT_FALSE(GetLengthPrefixed(&in, &out));
}

}  // namespace
}  // namespace otelstack
