#include "store/column_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "common/varint.h"

namespace otelstack {
namespace {

using part_format::BlockCompression;

// Encodes, checks the chosen encoding, decodes (appending after a sentinel)
// and checks the round trip.
void RoundTripFixed(const std::vector<uint64_t>& values, ColumnEncoding expected) {
  std::string block;
  ColumnEncoding e = EncodeFixedColumn(values, &block);
  EXPECT_EQ(ColumnEncodingName(e), ColumnEncodingName(expected));
  std::vector<uint64_t> out = {42};
  ASSERT_TRUE(DecodeFixedColumn(e, block, values.size(), &out).ok());
  ASSERT_EQ(out.size(), values.size() + 1);
  EXPECT_EQ(out[0], 42u);
  EXPECT_TRUE(std::equal(values.begin(), values.end(), out.begin() + 1));
}

// A bytes column in RowBatch layout, optionally preceded by `prefix` values
// that are not part of the view (so the view has a non-zero begin).
struct BytesColumn {
  std::vector<uint32_t> ends;
  std::string data;
  size_t skip = 0;

  BytesColumn(const std::vector<std::string>& values, const std::vector<std::string>& prefix = {}) {
    for (const auto& v : prefix) Add(v);
    skip = prefix.size();
    for (const auto& v : values) Add(v);
  }
  void Add(const std::string& v) {
    data += v;
    ends.push_back(static_cast<uint32_t>(data.size()));
  }
  BytesColumnView view() const {
    BytesColumnView v;
    v.ends = std::span<const uint32_t>(ends).subspan(skip);
    v.begin = skip == 0 ? 0 : ends[skip - 1];
    v.data = data.data();
    return v;
  }
};

void RoundTripBytes(const std::vector<std::string>& values, ColumnEncoding expected,
                    const std::vector<std::string>& prefix = {}) {
  BytesColumn col(values, prefix);
  std::string block;
  ColumnEncoding e = EncodeBytesColumn(col.view(), &block);
  EXPECT_EQ(ColumnEncodingName(e), ColumnEncodingName(expected));
  // Decode after existing content: ends must continue from data.size().
  std::vector<uint32_t> ends = {3};
  std::string data = "abc";
  ASSERT_TRUE(DecodeBytesColumn(e, block, values.size(), &ends, &data).ok());
  ASSERT_EQ(ends.size(), values.size() + 1);
  for (size_t i = 0; i < values.size(); ++i) {
    std::string_view got(data.data() + ends[i], ends[i + 1] - ends[i]);
    ASSERT_EQ(got, values[i]) << "row " << i;
  }
  EXPECT_EQ(ends.back(), data.size());
}

TEST(ColumnCodecTest, FixedConstant) {
  RoundTripFixed({7}, ColumnEncoding::kFixedConstant);
  RoundTripFixed(std::vector<uint64_t>(1000, UINT64_MAX), ColumnEncoding::kFixedConstant);
  std::string block;
  EncodeFixedColumn(std::vector<uint64_t>(8192, 5), &block);
  EXPECT_EQ(block.size(), 8u);  // one value, whatever the row count
}

TEST(ColumnCodecTest, FixedDeltaForSortedTimestamps) {
  std::vector<uint64_t> ts;
  uint64_t t = 1'700'000'000'000'000'000ull;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 8192; ++i) ts.push_back(t += rng() % 2'000'000);
  RoundTripFixed(ts, ColumnEncoding::kFixedDelta);
  std::string block;
  EncodeFixedColumn(ts, &block);
  EXPECT_LT(block.size(), ts.size() * 4);
}

TEST(ColumnCodecTest, FixedFrameForSmallRange) {
  std::vector<uint64_t> v;
  std::mt19937_64 rng(2);
  for (int i = 0; i < 1000; ++i) v.push_back(1'000'000'000'000ull + rng() % 200);
  RoundTripFixed(v, ColumnEncoding::kFixedFrame);
  std::string block;
  EncodeFixedColumn(v, &block);
  EXPECT_LE(block.size(), 1000u + 10);
}

TEST(ColumnCodecTest, FixedPlainForRandomAndHugeValues) {
  std::vector<uint64_t> v;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 1000; ++i) v.push_back(rng() | (uint64_t{1} << 63));
  v[10] = UINT64_MAX;
  v[11] = 0;
  RoundTripFixed(v, ColumnEncoding::kFixedPlain);
  RoundTripFixed({0, UINT64_MAX}, ColumnEncoding::kFixedDelta);  // the wrapped delta is -1: one byte
}

TEST(ColumnCodecTest, FixedNegativeInt64AndExtremeDeltas) {
  std::vector<uint64_t> v;
  for (int64_t x : {int64_t{-1}, int64_t{-5}, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                    int64_t{0}, int64_t{-3}}) {
    v.push_back(static_cast<uint64_t>(x));
  }
  std::string block;
  ColumnEncoding e = EncodeFixedColumn(v, &block);
  std::vector<uint64_t> out;
  ASSERT_TRUE(DecodeFixedColumn(e, block, v.size(), &out).ok());
  EXPECT_EQ(out, v);
  // Small negative numbers delta-encode (zigzag) compactly.
  std::vector<uint64_t> small;
  for (int i = 0; i < 100; ++i) small.push_back(static_cast<uint64_t>(int64_t{-50} + (i % 7) - (i % 3) * 2));
  std::string small_block;
  ColumnEncoding small_encoding = EncodeFixedColumn(small, &small_block);
  EXPECT_LE(small_block.size(), small.size() + 16);
  out.clear();
  ASSERT_TRUE(DecodeFixedColumn(small_encoding, small_block, small.size(), &out).ok());
  EXPECT_EQ(out, small);
}

TEST(ColumnCodecTest, DeltaEncodingRoundTripsWrappingDifferences) {
  // Forces delta by construction: slowly increasing values far apart from 0,
  // with one wrap-around jump that exercises wrapping subtraction.
  std::vector<uint64_t> v;
  for (int i = 0; i < 200; ++i) v.push_back(UINT64_MAX - 400 + i);
  for (int i = 0; i < 200; ++i) v.push_back(static_cast<uint64_t>(i));
  std::string block;
  ColumnEncoding e = EncodeFixedColumn(v, &block);
  std::vector<uint64_t> out;
  ASSERT_TRUE(DecodeFixedColumn(e, block, v.size(), &out).ok());
  EXPECT_EQ(out, v);
  std::vector<uint64_t> delta_out;
  std::string delta_block;
  PutVarint64(&delta_block, v[0]);
  for (size_t i = 1; i < v.size(); ++i) PutVarint64(&delta_block, ZigZagEncode(static_cast<int64_t>(v[i] - v[i - 1])));
  ASSERT_TRUE(DecodeFixedColumn(ColumnEncoding::kFixedDelta, delta_block, v.size(), &delta_out).ok());
  EXPECT_EQ(delta_out, v);
}

TEST(ColumnCodecTest, FloatBitsIncludingNaNPayloadsArePreserved) {
  std::vector<uint64_t> v;
  v.push_back(0x7ff8000000000001ull);  // quiet NaN with payload
  v.push_back(0xfff0000000000123ull);  // signalling NaN, sign bit set
  v.push_back(std::bit_cast<uint64_t>(-0.0));
  v.push_back(std::bit_cast<uint64_t>(std::numeric_limits<double>::infinity()));
  v.push_back(std::bit_cast<uint64_t>(3.14159));
  std::string block;
  ColumnEncoding e = EncodeFixedColumn(v, &block);
  std::vector<uint64_t> out;
  ASSERT_TRUE(DecodeFixedColumn(e, block, v.size(), &out).ok());
  EXPECT_EQ(out, v);
}

TEST(ColumnCodecTest, BytesConstant) {
  RoundTripBytes({"checkout"}, ColumnEncoding::kBytesConstant);
  RoundTripBytes(std::vector<std::string>(500, "frontend"), ColumnEncoding::kBytesConstant, {"x", "yy"});
  RoundTripBytes(std::vector<std::string>(500, ""), ColumnEncoding::kBytesConstant);
  BytesColumn col(std::vector<std::string>(100, ""));
  std::string block;
  EncodeBytesColumn(col.view(), &block);
  EXPECT_TRUE(block.empty());
}

TEST(ColumnCodecTest, BytesDictionaryForRepeatedValues) {
  std::vector<std::string> values;
  const char* services[] = {"frontend", "checkout", "", "payment-service-with-a-long-name"};
  for (int i = 0; i < 3000; ++i) values.push_back(services[(i * 7) % 4]);
  RoundTripBytes(values, ColumnEncoding::kBytesDict, {"prefix"});
  BytesColumn col(values);
  std::string block;
  EncodeBytesColumn(col.view(), &block);
  EXPECT_LT(block.size(), 3000u + 100);  // ~1 byte per row plus the dictionary
}

TEST(ColumnCodecTest, BytesPlainForUniqueValuesAndEmptyStrings) {
  std::vector<std::string> values;
  for (int i = 0; i < 2000; ++i) values.push_back(i % 5 == 0 ? "" : "body number " + std::to_string(i));
  // 400 repeats of "" are not enough for a dictionary to pay off against
  // 1600 unique values... but it may; accept whichever is smaller.
  BytesColumn col(values);
  std::string block;
  ColumnEncoding e = EncodeBytesColumn(col.view(), &block);
  RoundTripBytes(values, e);
  std::vector<std::string> unique;
  for (int i = 0; i < 5000; ++i) unique.push_back("unique value " + std::to_string(i * 7919));
  RoundTripBytes(unique, ColumnEncoding::kBytesPlain, {"a", "", "bc"});
}

TEST(ColumnCodecTest, BytesDictionaryLimit) {
  // More distinct values than the dictionary may hold, each repeated: plain.
  std::vector<std::string> values;
  for (size_t i = 0; i < 3 * (kMaxDictEntries + 1); ++i)
    values.push_back("v" + std::to_string(i % (kMaxDictEntries + 1)));
  RoundTripBytes(values, ColumnEncoding::kBytesPlain);
  // Exactly the maximum number of entries still uses a dictionary.
  values.clear();
  for (size_t i = 0; i < 4 * kMaxDictEntries; ++i) values.push_back("value-" + std::to_string(i % kMaxDictEntries));
  RoundTripBytes(values, ColumnEncoding::kBytesDict);
}

TEST(ColumnCodecTest, BinaryBytesRoundTrip) {
  std::vector<std::string> values;
  std::mt19937_64 rng(4);
  for (int i = 0; i < 300; ++i) {
    std::string id(16, '\0');
    for (char& c : id) c = static_cast<char>(rng());
    values.push_back(i % 3 == 0 ? std::string() : id);
  }
  BytesColumn col(values);
  std::string block;
  RoundTripBytes(values, EncodeBytesColumn(col.view(), &block));
}

// A string literal that may contain NUL bytes.
template <size_t N>
std::string_view Lit(const char (&s)[N]) {
  return std::string_view(s, N - 1);
}

TEST(ColumnCodecTest, DecodersRejectMalformedBlocks) {
  std::vector<uint64_t> fixed;
  std::vector<uint32_t> ends;
  std::string data;
  auto corrupt_fixed = [&](ColumnEncoding e, std::string_view block, size_t rows) {
    return DecodeFixedColumn(e, block, rows, &fixed).code() == Status::Code::kCorruption;
  };
  auto corrupt_bytes = [&](ColumnEncoding e, std::string_view block, size_t rows) {
    return DecodeBytesColumn(e, block, rows, &ends, &data).code() == Status::Code::kCorruption;
  };
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedConstant, Lit("1234567"), 3));
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedPlain, std::string(15, 'x'), 2));
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedDelta, Lit("\x01\x02"), 3));                    // too few values
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedDelta, Lit("\x01\x02\x03"), 2));                // trailing bytes
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedDelta, Lit("\xff\xff"), 1));                    // truncated varint
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedFrame, std::string("\x00\x09", 2) + "xx", 2));  // width 9
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedFrame, std::string("\x00\x01", 2) + "xxx", 2));
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kBytesPlain, std::string(8, 'x'), 1));  // not a fixed encoding
  EXPECT_TRUE(fixed.empty());

  EXPECT_TRUE(corrupt_bytes(ColumnEncoding::kBytesPlain,
                            Lit("\x02"
                                "abc"),
                            1));  // length mismatch
  EXPECT_TRUE(corrupt_bytes(ColumnEncoding::kBytesPlain, Lit("\x05"), 2));
  EXPECT_TRUE(corrupt_bytes(ColumnEncoding::kBytesDict,
                            Lit("\x02\x01\x01"
                                "ab"
                                "\x00\x02"),
                            2));  // index 2 >= 2
  EXPECT_TRUE(corrupt_bytes(ColumnEncoding::kBytesDict,
                            Lit("\x02\x01\x05"
                                "ab"
                                "\x00\x01"),
                            2));                                                      // dict overruns
  EXPECT_TRUE(corrupt_bytes(ColumnEncoding::kBytesDict, std::string("\x00", 1), 0));  // empty dict
  EXPECT_TRUE(corrupt_bytes(ColumnEncoding::kBytesDict,
                            Lit("\x02\x01\x01"
                                "ab"
                                "\x00\x01\x01"),
                            2));  // trailing
  EXPECT_TRUE(corrupt_bytes(ColumnEncoding::kFixedPlain, Lit(""), 0));
  EXPECT_TRUE(ends.empty());
  EXPECT_TRUE(data.empty());

  // A valid dict block for contrast.
  ASSERT_TRUE(DecodeBytesColumn(ColumnEncoding::kBytesDict,
                                Lit("\x02\x01\x01"
                                    "ab"
                                    "\x00\x01\x01"),
                                3, &ends, &data)
                  .ok());
  EXPECT_EQ(data, "abb");
}

TEST(ColumnCodecTest, CompressionRoundTrip) {
  std::string raw;
  for (int i = 0; i < 1000; ++i) raw += "service.name=frontend ";
  std::string stored, scratch;
  BlockCompression c;
  ASSERT_TRUE(CompressBlock(raw, 3, &stored, &c).ok());
  EXPECT_EQ(c, BlockCompression::kZstd);
  EXPECT_LT(stored.size(), raw.size() / 10);
  std::string_view out;
  ASSERT_TRUE(DecompressBlock(c, stored, raw.size(), &scratch, &out).ok());
  EXPECT_EQ(out, raw);
  EXPECT_EQ(DecompressBlock(c, stored, raw.size() - 1, &scratch, &out).code(), Status::Code::kCorruption);
  EXPECT_EQ(DecompressBlock(c, stored.substr(0, stored.size() / 2), raw.size(), &scratch, &out).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(DecompressBlock(c, "garbage garbage garbage", raw.size(), &scratch, &out).code(),
            Status::Code::kCorruption);

  // Incompressible and tiny inputs are stored as they are.
  std::mt19937_64 rng(5);
  std::string noise(4096, '\0');
  for (char& ch : noise) ch = static_cast<char>(rng());
  ASSERT_TRUE(CompressBlock(noise, 3, &stored, &c).ok());
  EXPECT_EQ(c, BlockCompression::kNone);
  EXPECT_EQ(stored, noise);
  ASSERT_TRUE(CompressBlock("tiny", 3, &stored, &c).ok());
  EXPECT_EQ(c, BlockCompression::kNone);
  ASSERT_TRUE(DecompressBlock(c, stored, 4, &scratch, &out).ok());
  EXPECT_EQ(out, "tiny");
  EXPECT_EQ(DecompressBlock(c, stored, 5, &scratch, &out).code(), Status::Code::kCorruption);
  ASSERT_TRUE(CompressBlock("", 3, &stored, &c).ok());
  ASSERT_TRUE(DecompressBlock(c, stored, 0, &scratch, &out).ok());
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace otelstack
