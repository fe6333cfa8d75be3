#include "store/column_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "bytes_column.h"
#include "common/any_value.h"
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

// Encodes `values` (after `prefix`), sets *chosen to the encoding used and
// checks the round trip.
void RoundTripBytesAs(const std::vector<std::string>& values, const std::vector<std::string>& prefix,
                      ColumnEncoding* chosen) {
  test::BytesColumn col(values, prefix);
  std::string block;
  ColumnEncoding e = EncodeBytesColumn(col.view(), &block);
  *chosen = e;
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

  // Dictionary form: exactly for dictionary and constant blocks, the
  // entries plus a code per row that names the row's value.
  std::vector<uint32_t> codes = {7}, entry_ends;
  std::string entries;
  ASSERT_TRUE(DecodeBytesColumn(e, block, values.size(), &entry_ends, &entries, &codes).ok());
  bool dictionary =
      e == ColumnEncoding::kBytesDict || e == ColumnEncoding::kBytesDictCoded || e == ColumnEncoding::kBytesConstant;
  ASSERT_EQ(codes.size(), dictionary ? values.size() : 0u);
  for (size_t i = 0; i < codes.size(); ++i) {
    ASSERT_LT(codes[i], entry_ends.size());
    uint32_t begin = codes[i] == 0 ? 0 : entry_ends[codes[i] - 1];
    ASSERT_EQ(std::string_view(entries.data() + begin, entry_ends[codes[i]] - begin), values[i]) << "row " << i;
  }
}

void RoundTripBytes(const std::vector<std::string>& values, ColumnEncoding expected,
                    const std::vector<std::string>& prefix = {}) {
  ColumnEncoding chosen;
  RoundTripBytesAs(values, prefix, &chosen);
  EXPECT_EQ(ColumnEncodingName(chosen), ColumnEncodingName(expected));
}

// For attribute maps whose shredded layout depends on the block's size.
void RoundTripShredded(const std::vector<std::string>& values, const std::vector<std::string>& prefix = {}) {
  ColumnEncoding chosen;
  RoundTripBytesAs(values, prefix, &chosen);
  EXPECT_TRUE(IsShreddedEncoding(chosen)) << ColumnEncodingName(chosen);
}

TEST(ColumnCodecTest, FixedConstant) {
  RoundTripFixed({7}, ColumnEncoding::kFixedConstant);
  RoundTripFixed(std::vector<uint64_t>(1000, UINT64_MAX), ColumnEncoding::kFixedConstant);
  std::string block;
  EncodeFixedColumn(std::vector<uint64_t>(8192, 5), &block);
  EXPECT_EQ(block.size(), 8u);  // one value, whatever the row count
}

TEST(ColumnCodecTest, FixedRiceForSortedNoisyTimestamps) {
  std::vector<uint64_t> ts;
  uint64_t t = 1'700'000'000'000'000'000ull;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 8192; ++i) ts.push_back(t += rng() % 2'000'000);
  RoundTripFixed(ts, ColumnEncoding::kFixedRice);
  std::string block;
  EncodeFixedColumn(ts, &block);
  // Gaps of 21 random bits: 21 bits of remainder plus about 1.5 of quotient.
  EXPECT_LT(block.size(), ts.size() * 23 / 8);
}

TEST(ColumnCodecTest, FixedRiceOffsetsForUnsortedWideValues) {
  // Durations in ns: unsorted, log-normal, their low bits noise.
  std::vector<uint64_t> v;
  std::mt19937_64 rng(4);
  std::lognormal_distribution<double> ms(std::log(18.0), 1.0);
  for (int i = 0; i < 8192; ++i) v.push_back(static_cast<uint64_t>(ms(rng) * 1e6));
  RoundTripFixed(v, ColumnEncoding::kFixedRice);
  EXPECT_TRUE(EncodingCompressesItself(ColumnEncoding::kFixedRice));
}

// Residuals spread over orders of magnitude (durations) or uniform over a
// range (delays) take the bucketed modes: within a few hundredths of a bit
// of their entropy, where Rice codes pay up to two bits more.
TEST(ColumnCodecTest, FixedRiceBucketsDurationsAndUniformDelays) {
  std::mt19937_64 rng(41);
  std::lognormal_distribution<double> ms(std::log(5.0), 1.5);
  std::vector<uint64_t> durations, delays, extremes;
  for (int i = 0; i < 8192; ++i) {
    durations.push_back(static_cast<uint64_t>(ms(rng) * 1e6));
    delays.push_back(100'000 + rng() % 4'900'000);
    extremes.push_back(i % 2 ? rng() % 16 : rng() >> (rng() % 64));  // every bucket, 0 and 64-bit values
  }
  extremes.push_back(UINT64_MAX);
  for (const auto* values : {&durations, &delays, &extremes}) {
    RoundTripFixed(*values, ColumnEncoding::kFixedRice);
    std::string block;
    ASSERT_EQ(EncodeFixedColumn(*values, &block), ColumnEncoding::kFixedRice);
    EXPECT_EQ(block[0], 3) << "offsets from the minimum, bucketed";
    // Damage is an error (ASan: never out of bounds).
    std::vector<uint64_t> out;
    for (size_t len : {size_t{1}, size_t{5}, block.size() / 2, block.size() - 1}) {
      EXPECT_FALSE(
          DecodeFixedColumn(ColumnEncoding::kFixedRice, std::string_view(block).substr(0, len), values->size(), &out)
              .ok())
          << len;
    }
  }
  std::string block;
  EncodeFixedColumn(delays, &block);
  // log2(4.9M) = 22.22 bits per value, plus the bucket table.
  EXPECT_LT(block.size(), delays.size() * 22.3 / 8 + 200);
  std::printf("uniform delays: %.2f bits per value\n", block.size() * 8.0 / delays.size());
}

TEST(ColumnCodecTest, FixedRepeatingOrNarrowValuesAreNotRiceCoded) {
  // Metrics scrapes: bursts of equal timestamps 15 s apart. The gaps are
  // wide, but they repeat (mostly 0), and zstd over deltas codes that in
  // almost nothing.
  std::vector<uint64_t> bursts;
  for (int scrape = 0; scrape < 80; ++scrape) {
    for (int series = 0; series < 100; ++series)
      bursts.push_back(1'700'000'000'000'000'000ull + scrape * 15'000'000'000ull);
  }
  RoundTripFixed(bursts, ColumnEncoding::kFixedDelta);
  // Exactly regular intervals.
  std::vector<uint64_t> regular;
  for (int i = 0; i < 8192; ++i) regular.push_back(1'700'000'000'000'000'000ull + i * 1'000'000ull);
  RoundTripFixed(regular, ColumnEncoding::kFixedDelta);
  // A narrow range of random values (severity numbers): a byte each, which
  // zstd's entropy stage then codes.
  std::vector<uint64_t> narrow;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 8192; ++i) narrow.push_back(1 + rng() % 24);
  RoundTripFixed(narrow, ColumnEncoding::kFixedDelta);
}

// Encodes `values` relative to `time`, checks the encoding and the round
// trip (which needs the time column), and returns the block.
std::string RoundTripRelative(const std::vector<uint64_t>& values, const std::vector<uint64_t>& time,
                              ColumnEncoding expected) {
  std::string block;
  const ColumnEncoding e = EncodeFixedColumn(values, &block, time);
  EXPECT_EQ(ColumnEncodingName(e), ColumnEncodingName(expected));
  std::vector<uint64_t> out = {42};
  EXPECT_TRUE(DecodeFixedColumn(e, block, values.size(), &out, time).ok());
  EXPECT_EQ(std::vector<uint64_t>(out.begin() + 1, out.end()), values);
  return block;
}

TEST(ColumnCodecTest, FixedRelativeToTheTimeColumn) {
  std::mt19937_64 rng(6);
  std::vector<uint64_t> time, observed;
  uint64_t t = 1'700'000'000'000'000'000ull;
  for (int i = 0; i < 8192; ++i) {
    time.push_back(t += rng() % 17'000'000);
    observed.push_back(time.back() + 100'000 + rng() % 4'900'000);  // observed a few ms later
  }
  // Offsets of 0.1-5 ms: Rice codes of about 23 bits, inside the relative
  // block; cheaper than the absolute times' gaps of up to 22 ms.
  std::string block = RoundTripRelative(observed, time, ColumnEncoding::kFixedRelative);
  EXPECT_EQ(static_cast<ColumnEncoding>(block[0]), ColumnEncoding::kFixedRice);
  EXPECT_TRUE(BlockCompressesItself(ColumnEncoding::kFixedRelative, block));
  std::string absolute;
  EXPECT_NE(EncodeFixedColumn(observed, &absolute), ColumnEncoding::kFixedRelative);
  EXPECT_LT(block.size(), absolute.size());

  // Observed equal to the time: a constant offset of 0, nine bytes.
  block = RoundTripRelative(time, time, ColumnEncoding::kFixedRelative);
  EXPECT_EQ(block.size(), 9u);
  EXPECT_FALSE(BlockCompressesItself(ColumnEncoding::kFixedRelative, block));

  // Unrelated to the time (a constant start time): stays absolute.
  RoundTripRelative(std::vector<uint64_t>(time.size(), 5), time, ColumnEncoding::kFixedConstant);
  std::vector<uint64_t> unrelated;
  for (size_t i = 0; i < time.size(); ++i) unrelated.push_back(1 + rng() % 24);
  RoundTripRelative(unrelated, time, ColumnEncoding::kFixedDelta);
}

TEST(ColumnCodecTest, FixedRelativeBlocksNeedTheTimeColumnAndOneLevel) {
  std::vector<uint64_t> time = {100, 200, 300}, values = {105, 201, 333}, out;
  std::string block;
  ASSERT_EQ(EncodeFixedColumn(values, &block, time), ColumnEncoding::kFixedRelative);
  EXPECT_TRUE(FixedEncodingNeedsTime(ColumnEncoding::kFixedRelative));
  EXPECT_FALSE(FixedEncodingNeedsTime(ColumnEncoding::kFixedRice));
  EXPECT_EQ(DecodeFixedColumn(ColumnEncoding::kFixedRelative, block, 3, &out).code(), Status::Code::kCorruption);
  EXPECT_EQ(DecodeFixedColumn(ColumnEncoding::kFixedRelative, block, 3, &out, std::span(time).first(2)).code(),
            Status::Code::kCorruption);
  std::string nested = std::string(1, static_cast<char>(ColumnEncoding::kFixedRelative)) + block;
  EXPECT_EQ(DecodeFixedColumn(ColumnEncoding::kFixedRelative, nested, 3, &out, time).code(), Status::Code::kCorruption);
  EXPECT_EQ(DecodeFixedColumn(ColumnEncoding::kFixedRelative, "", 3, &out, time).code(), Status::Code::kCorruption);
  EXPECT_TRUE(out.empty());
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
  test::BytesColumn col(std::vector<std::string>(100, ""));
  std::string block;
  EncodeBytesColumn(col.view(), &block);
  EXPECT_TRUE(block.empty());
}

TEST(ColumnCodecTest, BytesDictionaryForRepeatedValues) {
  std::vector<std::string> values;
  const char* services[] = {"frontend", "checkout", "", "payment-service-with-a-long-name"};
  for (int i = 0; i < 3000; ++i) values.push_back(services[(i * 7) % 4]);
  RoundTripBytes(values, ColumnEncoding::kBytesDict, {"prefix"});
  test::BytesColumn col(values);
  std::string block;
  EncodeBytesColumn(col.view(), &block);
  EXPECT_LT(block.size(), 3000u + 100);  // ~1 byte per row plus the dictionary
}

TEST(ColumnCodecTest, BytesPlainForUniqueValuesAndEmptyStrings) {
  std::vector<std::string> values;
  for (int i = 0; i < 2000; ++i) values.push_back(i % 5 == 0 ? "" : "body number " + std::to_string(i));
  // 400 repeats of "" are not enough for a dictionary to pay off against
  // 1600 unique values... but it may; accept whichever is smaller.
  test::BytesColumn col(values);
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
  // Exactly the maximum number of entries still uses a dictionary (values
  // repeat early, so the distinct-sample check keeps trying; they repeat 256
  // rows apart, beyond the recent-value coding's reach).
  values.clear();
  for (size_t i = 0; i < 4 * kMaxDictEntries; ++i) {
    values.push_back("value-" + std::to_string(i / 1024 * 256 + i % 256));
  }
  RoundTripBytes(values, ColumnEncoding::kBytesDict);
}

TEST(ColumnCodecTest, MostlyDistinctValuesSkipTheDictionary) {
  // 1000 distinct values, each repeated 8 times but far apart: a dictionary
  // would be smaller, but the first 512 rows look unique, so plain is chosen.
  std::vector<std::string> values;
  for (size_t i = 0; i < 8000; ++i) values.push_back("body number " + std::to_string(i % 1000));
  RoundTripBytes(values, ColumnEncoding::kBytesPlain);
}

TEST(ColumnCodecTest, BinaryBytesRoundTrip) {
  std::vector<std::string> values;
  std::mt19937_64 rng(4);
  for (int i = 0; i < 300; ++i) {
    std::string id(16, '\0');
    for (char& c : id) c = static_cast<char>(rng());
    values.push_back(i % 3 == 0 ? std::string() : id);
  }
  test::BytesColumn col(values);
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
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedRice, "", 1));
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedRice, Lit("\x02\x05\x08"), 1));      // mode 2
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedRice, Lit("\x00\x05"), 2));          // no parameter
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedRice, Lit("\x00\x05\x39\x00"), 2));  // k 57
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kFixedRice, Lit("\x01\x05\x08\x00"), 3));  // codes cut short
  EXPECT_TRUE(corrupt_fixed(ColumnEncoding::kBytesPlain, std::string(8, 'x'), 1));     // not a fixed encoding
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

// ---- Shredded attribute maps ----------------------------------------------

namespace av = anyvalue;

// Appends one random value of `tag`; nested lists are kept small.
void AppendRandomValue(std::mt19937_64& rng, av::Tag tag, int depth, std::string* out) {
  switch (tag) {
    case av::Tag::kEmpty:
      av::AppendEmpty(out);
      break;
    case av::Tag::kString:
      av::AppendString(out, std::string(rng() % 3 == 0 ? 0 : rng() % 200, static_cast<char>('a' + rng() % 26)));
      break;
    case av::Tag::kBool:
      av::AppendBool(out, rng() % 2);
      break;
    case av::Tag::kInt: {
      const int64_t specials[] = {0, -1, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
      av::AppendInt(out, rng() % 4 == 0 ? specials[rng() % 4] : static_cast<int64_t>(rng()) >> (rng() % 64));
      break;
    }
    case av::Tag::kDouble: {
      uint64_t bits = rng();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      av::AppendDouble(out, rng() % 2 ? d : static_cast<double>(rng() % 1000) / 7);
      break;
    }
    case av::Tag::kBytes:
      av::AppendBytes(out, std::string(rng() % 20, static_cast<char>(rng())));
      break;
    case av::Tag::kArray:
    case av::Tag::kKvList: {
      size_t h = tag == av::Tag::kArray ? av::BeginArray(out) : av::BeginKvList(out);
      uint32_t count = depth > 1 ? 0 : static_cast<uint32_t>(rng() % 4);
      for (uint32_t i = 0; i < count; ++i) {
        if (tag == av::Tag::kKvList) av::AppendKey(out, "n" + std::to_string(rng() % 3));
        AppendRandomValue(rng, static_cast<av::Tag>(rng() % 8), depth + 1, out);
      }
      av::EndList(out, h, count);
      break;
    }
  }
}

// Attribute maps drawn from a few shapes (as real producers do), plus some
// random ones: mixed types, nested values, duplicate and empty keys, empty
// maps.
std::vector<std::string> RandomAttributeMaps(size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> keys = {"", "a", "service.name", "http.status_code", "dup", "x.y.z", "nested"};
  std::vector<std::vector<std::pair<int, av::Tag>>> shapes(12);
  for (auto& shape : shapes) {
    size_t n = rng() % 6;
    for (size_t i = 0; i < n; ++i)
      shape.push_back({static_cast<int>(rng() % keys.size()), static_cast<av::Tag>(rng() % 8)});
  }
  shapes[0].clear();                                                            // empty map
  shapes[1] = {{4, av::Tag::kInt}, {4, av::Tag::kInt}, {4, av::Tag::kString}};  // duplicate keys
  std::vector<std::string> out;
  for (size_t r = 0; r < rows; ++r) {
    std::vector<std::pair<int, av::Tag>> shape = shapes[rng() % shapes.size()];
    if (rng() % 50 == 0) {  // a one-off shape
      shape.resize(rng() % 4);
      for (auto& slot : shape) slot = {static_cast<int>(rng() % keys.size()), static_cast<av::Tag>(rng() % 8)};
    }
    std::string row;
    size_t h = av::BeginKvList(&row);
    for (const auto& [k, tag] : shape) {
      av::AppendKey(&row, keys[k]);
      AppendRandomValue(rng, tag, 0, &row);
    }
    av::EndList(&row, h, static_cast<uint32_t>(shape.size()));
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::string> RealisticLogAttributes(size_t rows);

TEST(ColumnCodecTest, KvShreddedRoundTripsRandomAttributeMaps) {
  for (size_t rows : {2, 3, 100, 8192}) {
    SCOPED_TRACE(rows);
    std::vector<std::string> values = RandomAttributeMaps(rows, rows);
    values[0] = std::string(av::EmptyKvList());
    if (rows >= 100) {
      RoundTripShredded(values, /*prefix=*/{"not", "a kvlist"});
      continue;
    }
    // A few rows may be smaller plain or as a dictionary; shredded
    // explicitly, they must round-trip too.
    test::BytesColumn col(values);
    std::string block;
    ColumnEncoding encoding;
    ASSERT_TRUE(EncodeKvShreddedColumn(col.view(), &block, &encoding));
    std::vector<uint32_t> ends;
    std::string data;
    ASSERT_TRUE(DecodeBytesColumn(encoding, block, rows, &ends, &data).ok());
    std::string expected;
    for (const std::string& v : values) expected += v;
    EXPECT_EQ(data, expected);
  }
  // One row is constant for EncodeBytesColumn; shredded explicitly, it must
  // still round-trip (also a lone empty map).
  RoundTripBytes(RandomAttributeMaps(1, 9), ColumnEncoding::kBytesConstant);
  for (const std::string& row :
       {RandomAttributeMaps(1, 9)[0], RealisticLogAttributes(1)[0], std::string(av::EmptyKvList())}) {
    test::BytesColumn col({row});
    std::string block;
    ColumnEncoding encoding;
    ASSERT_TRUE(EncodeKvShreddedColumn(col.view(), &block, &encoding));
    std::vector<uint32_t> ends;
    std::string data;
    ASSERT_TRUE(DecodeBytesColumn(encoding, block, 1, &ends, &data).ok());
    EXPECT_EQ(data, row);
    EXPECT_EQ(ends, std::vector<uint32_t>{static_cast<uint32_t>(row.size())});
  }
  test::BytesColumn not_kv({std::string(av::EmptyKvList()), ""});
  std::string block = "stale";
  ColumnEncoding encoding;
  EXPECT_FALSE(EncodeKvShreddedColumn(not_kv.view(), &block, &encoding));
  EXPECT_TRUE(block.empty());
}

TEST(ColumnCodecTest, KvShreddedKeepsRawBoolBytesAndExtremeInts) {
  std::vector<std::string> values;
  const int64_t ints[] = {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), 0, -1, 1};
  for (int i = 0; i < 40; ++i) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "flag");
    av::AppendBool(&row, true);
    row.back() = static_cast<char>(i);  // any byte reads as a bool
    av::AppendKey(&row, "n");
    av::AppendInt(&row, ints[i % 5]);
    av::AppendKey(&row, "d");
    av::AppendDouble(&row, std::numeric_limits<double>::quiet_NaN());
    av::EndList(&row, h, 3);
    values.push_back(row);
  }
  RoundTripShredded(values);
}

// Realistic log attributes: low-cardinality strings, status codes, ids,
// durations.
std::vector<std::string> RealisticLogAttributes(size_t rows) {
  std::mt19937_64 rng(7);
  const char* routes[] = {"/api/cart", "/api/checkout", "/api/products/{id}", "/api/recommendations", "/health"};
  const int64_t codes[] = {200, 200, 200, 200, 200, 200, 201, 404, 500};
  std::vector<std::string> out;
  for (size_t r = 0; r < rows; ++r) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "http.method");
    av::AppendString(&row, rng() % 4 ? "GET" : "POST");
    av::AppendKey(&row, "http.status_code");
    av::AppendInt(&row, codes[rng() % 9]);
    av::AppendKey(&row, "http.route");
    av::AppendString(&row, routes[rng() % 5]);
    av::AppendKey(&row, "user.id");
    av::AppendString(&row, "u-" + std::to_string(rng() % 100000));
    av::AppendKey(&row, "duration_ms");
    av::AppendDouble(&row, static_cast<double>(rng() % 100000) / 100.0 + 0.5);
    uint32_t count = 5;
    if (rng() % 10 == 0) {
      av::AppendKey(&row, "exception.type");
      av::AppendString(&row, "java.io.IOException");
      ++count;
    }
    av::EndList(&row, h, count);
    out.push_back(std::move(row));
  }
  return out;
}

size_t CompressedSize(const std::string& raw) {
  std::string stored;
  BlockCompression c;
  EXPECT_TRUE(CompressBlock(raw, 3, &stored, &c).ok());
  return stored.size();
}

// Severities drawn independently (70 % INFO): the indexes are entropy-coded
// near their entropy, where zstd over index varints pays about a bit per row
// for INFO alone. The same values in a cycle keep the varints, which zstd's
// matches code in almost nothing.
TEST(ColumnCodecTest, BytesDictionaryIndexesEntropyCodedWhenIndependent) {
  const std::vector<std::string> names = {"INFO", "DEBUG", "WARN", "ERROR", "TRACE", "FATAL"};
  std::mt19937_64 rng(31);
  std::discrete_distribution<int> severity({70, 14, 10, 4.5, 1, 0.5});
  std::vector<std::string> drawn, cycled;
  std::vector<double> counts(names.size());
  for (int i = 0; i < 8192; ++i) {
    const int s = severity(rng);
    ++counts[s];
    drawn.push_back(names[s]);
    cycled.push_back(names[i % 5]);
  }
  double entropy_bits = 0;
  for (double c : counts) entropy_bits -= c == 0 ? 0 : c * std::log2(c / drawn.size());
  RoundTripBytes(drawn, ColumnEncoding::kBytesDictCoded);
  RoundTripBytes(cycled, ColumnEncoding::kBytesDict);
  test::BytesColumn col(drawn);
  std::string block;
  ASSERT_EQ(EncodeBytesColumn(col.view(), &block), ColumnEncoding::kBytesDictCoded);
  EXPECT_LT(static_cast<double>(CompressedSize(block)), entropy_bits / 8 * 1.02 + 64);
  // Damage is an error, not other rows.
  std::vector<uint32_t> ends;
  std::string data;
  EXPECT_FALSE(DecodeBytesColumn(ColumnEncoding::kBytesDictCoded, std::string_view(block).substr(0, block.size() - 1),
                                 drawn.size(), &ends, &data)
                   .ok());
  EXPECT_FALSE(DecodeBytesColumn(ColumnEncoding::kBytesDictCoded, block, drawn.size() + 1, &ends, &data).ok());
}

// Rows of an int attribute "http.status_code" from a few codes, then
// optionally a distinct int "seq" (so that the rows are not a dictionary's).
std::vector<std::string> StatusCodeMaps(size_t rows, uint64_t seed, bool with_sequence = false) {
  const int64_t codes[] = {200, 200, 200, 200, 200, 200, 201, 204, 304, 404, 500};
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  for (size_t r = 0; r < rows; ++r) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "http.status_code");
    av::AppendInt(&row, codes[rng() % std::size(codes)]);
    if (with_sequence) {
      av::AppendKey(&row, "seq");
      av::AppendInt(&row, static_cast<int64_t>(r * 7 + rng() % 5));
    }
    av::EndList(&row, h, with_sequence ? 2 : 1);
    out.push_back(std::move(row));
  }
  return out;
}

// The int values of such maps as a version-4 int stream's body: varints of
// zigzag(value - previous value).
std::string IntDeltas(const std::vector<std::string>& maps) {
  std::string deltas;
  int64_t previous = 0;
  for (const std::string& row : maps) {
    av::Value map;
    EXPECT_TRUE(av::ParseListHead(row, &map).ok());
    av::ListReader items(map);
    std::string_view key;
    av::Value value;
    EXPECT_TRUE(items.Next(&key, &value));
    PutVarint64(&deltas, ZigZagEncode(value.i - previous));
    previous = value.i;
  }
  return deltas;
}

TEST(ColumnCodecTest, KvShreddedCategoricalIntsAreStoredAsIndexes) {
  for (size_t rows : {5, 40, 8192}) {
    SCOPED_TRACE(rows);
    RoundTripShredded(StatusCodeMaps(rows, rows, /*with_sequence=*/true));
  }
  // The whole block is smaller than the values' deltas alone, compressed:
  // the deltas between codes carry more entropy than the codes.
  const size_t rows = 8192;
  const std::vector<std::string> maps = StatusCodeMaps(rows, 3);
  test::BytesColumn col(maps);
  std::string block;
  ColumnEncoding encoding;
  ASSERT_TRUE(EncodeKvShreddedColumn(col.view(), &block, &encoding));
  EXPECT_EQ(encoding, ColumnEncoding::kBytesKvShreddedPacked);
  const std::string deltas = IntDeltas(maps);
  EXPECT_LT(block.size(), CompressedSize(deltas));
  std::printf("status codes, %zu rows: %.2f bits per row (deltas alone: %.2f)\n", rows, block.size() * 8.0 / rows,
              CompressedSize(deltas) * 8.0 / rows);
}

// Maps of a string "http.method" and an int "http.status_code", each drawn
// independently from a skewed distribution; `sorted` orders the rows by
// method (as rows clustered by a value would be).
std::vector<std::string> MethodAndStatusMaps(size_t rows, bool sorted, double* entropy_bytes) {
  const char* methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};
  const int64_t codes[] = {200, 201, 204, 304, 404, 500};
  std::mt19937_64 rng(17);
  std::discrete_distribution<int> method_of({15, 9, 1, 1, 1}), code_of({60, 10, 5, 10, 10, 5});
  std::vector<std::pair<int, int>> draws(rows);
  std::vector<double> method_count(std::size(methods)), code_count(std::size(codes));
  for (auto& [m, c] : draws) {
    m = method_of(rng);
    c = code_of(rng);
    ++method_count[m];
    ++code_count[c];
  }
  if (sorted) std::stable_sort(draws.begin(), draws.end(), [](auto a, auto b) { return a.first < b.first; });
  double bits = 0;
  for (const auto* counts : {&method_count, &code_count}) {
    for (double n : *counts) bits -= n == 0 ? 0 : n * std::log2(n / rows);
  }
  *entropy_bytes = bits / 8;
  std::vector<std::string> out;
  for (auto [m, c] : draws) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "http.method");
    av::AppendString(&row, methods[m]);
    av::AppendKey(&row, "http.status_code");
    av::AppendInt(&row, codes[c]);
    av::EndList(&row, h, 2);
    out.push_back(std::move(row));
  }
  return out;
}

// The shredded block of `maps`, checked to decode back to them.
std::string ShreddedRoundTrip(const std::vector<std::string>& maps) {
  test::BytesColumn col(maps);
  std::string block;
  ColumnEncoding encoding;
  EXPECT_TRUE(EncodeKvShreddedColumn(col.view(), &block, &encoding));
  std::vector<uint32_t> ends;
  std::string data;
  EXPECT_TRUE(DecodeBytesColumn(encoding, block, maps.size(), &ends, &data).ok());
  EXPECT_EQ(ends.size(), maps.size());
  for (size_t i = 0; i < maps.size() && i < ends.size(); ++i) {
    const uint32_t begin = i == 0 ? 0 : ends[i - 1];
    EXPECT_EQ(std::string_view(data).substr(begin, ends[i] - begin), maps[i]) << "row " << i;
  }
  return block;
}

// A flag true in 95 % of the rows: its values are entropy-coded, 0.29 bits
// each (its entropy), where zstd over the bytes takes half again as much.
TEST(ColumnCodecTest, KvShreddedSkewedBoolsAreEntropyCoded) {
  std::mt19937_64 rng(43);
  std::vector<std::string> maps, without;
  for (int r = 0; r < 8192; ++r) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "n");
    av::AppendInt(&row, r);  // the same in both: a field of its own
    without.push_back(row + "");
    av::EndList(&without.back(), h, 1);
    av::AppendKey(&row, "cache.hit");
    av::AppendBool(&row, rng() % 20 != 0);
    av::EndList(&row, h, 2);
    maps.push_back(std::move(row));
  }
  const size_t with_flag = ShreddedRoundTrip(maps).size();
  const size_t base = ShreddedRoundTrip(without).size();
  EXPECT_LT(with_flag, base + 8192 * 0.29 / 8 + 40) << with_flag << " vs " << base;
}

TEST(ColumnCodecTest, KvShreddedIndependentIndexesCostTheirEntropy) {
  const size_t rows = 8192;
  double entropy = 0;
  // Entropy-coded indexes: the two fields' entropy plus their dictionaries,
  // frequency tables and the stream headers. zstd over index varints took
  // about 30 % more than the entropy here.
  std::string block = ShreddedRoundTrip(MethodAndStatusMaps(rows, /*sorted=*/false, &entropy));
  EXPECT_LT(block.size(), entropy * 1.02 + 150) << "entropy " << entropy;
  std::printf("methods and status codes, %zu rows: %zu bytes, entropy %.0f\n", rows, block.size(), entropy);

  // Rows clustered by method keep zstd over the indexes: its matches code
  // the runs, far below what an order-0 coder could reach.
  block = ShreddedRoundTrip(MethodAndStatusMaps(rows, /*sorted=*/true, &entropy));
  EXPECT_LT(block.size(), entropy * 0.75) << "entropy " << entropy;
}

TEST(ColumnCodecTest, KvShreddedFullPrecisionDoublesStoreTheirNoiseAsIs) {
  // Measured durations: log-normal, every mantissa bit noise. Every 50th
  // value is special (negative, zero, subnormal, infinite, NaN).
  std::mt19937_64 rng(29);
  std::lognormal_distribution<double> duration(std::log(18.0), 1.0);
  const double specials[] = {
      -1.5, 0.0, -0.0, 4.9e-324, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()};
  std::vector<std::string> maps;
  for (size_t r = 0; r < 8192; ++r) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "duration_ms");
    av::AppendDouble(&row, r % 50 == 49 ? specials[r / 50 % std::size(specials)] : duration(rng));
    av::EndList(&row, h, 1);
    maps.push_back(std::move(row));
  }
  const std::string block = ShreddedRoundTrip(maps);
  // 48 bits of noise per value, plus the entropy of its top 16 bits (about 7
  // bits here) and the tables; byte-transposed zstd took 7.06 bytes.
  const double per_value = static_cast<double>(block.size()) / maps.size();
  EXPECT_LT(per_value, 6.98);
  std::printf("full-precision doubles: %.3f bytes per value\n", per_value);
  // Damage in the tops' stream or a cut in the low bytes is an error.
  for (size_t cut : {block.size() - 1, block.size() / 2, size_t{20}}) {
    std::vector<uint32_t> ends;
    std::string data;
    EXPECT_FALSE(DecodeBytesColumn(ColumnEncoding::kBytesKvShreddedPacked, std::string_view(block).substr(0, cut),
                                   maps.size(), &ends, &data)
                     .ok())
        << cut;
  }
}

// Doubles whose top 16 bits take more distinct values than a rANS alphabet
// holds (random bit patterns) are stored byte-transposed instead, and the
// split mode's table of tops is left clean for the next field encoded.
TEST(ColumnCodecTest, KvShreddedDoublesWithTooManyTopsAreTransposed) {
  std::mt19937_64 rng(31);
  std::lognormal_distribution<double> duration(std::log(18.0), 1.0);
  std::vector<std::string> wide, narrow;
  for (size_t r = 0; r < 8192; ++r) {
    for (bool is_wide : {true, false}) {
      std::string row;
      size_t h = av::BeginKvList(&row);
      av::AppendKey(&row, "x");
      av::AppendDouble(&row, is_wide ? std::bit_cast<double>(rng()) : duration(rng));
      av::EndList(&row, h, 1);
      (is_wide ? wide : narrow).push_back(std::move(row));
    }
  }
  // Eight bytes of noise per value: nothing below them but transposition.
  EXPECT_GT(static_cast<double>(ShreddedRoundTrip(wide).size()) / wide.size(), 7.9);
  // Then split mode again, on the same thread's table.
  EXPECT_LT(static_cast<double>(ShreddedRoundTrip(narrow).size()) / narrow.size(), 6.98);
}

// Maps where the method follows from the route (two routes take two methods)
// and a string "outcome" follows from an int status code; `with_method`
// false leaves the method out.
std::vector<std::string> RouteMethodMaps(size_t rows, bool with_method) {
  std::mt19937_64 rng(37);
  std::vector<std::string> out;
  for (size_t r = 0; r < rows; ++r) {
    const int route = static_cast<int>(rng() % 27);
    const char* method = route % 3 == 0 ? "POST" : "GET";
    if (route < 2) method = rng() % 2 ? "PUT" : "DELETE";
    const int64_t status = rng() % 10 == 0 ? 500 : rng() % 5 == 0 ? 404 : 200;
    std::string row;
    size_t h = av::BeginKvList(&row);
    uint32_t n = 0;
    if (with_method) {
      av::AppendKey(&row, "http.method");
      av::AppendString(&row, method);
      ++n;
    }
    av::AppendKey(&row, "http.route");
    av::AppendString(&row, "/api/v1/resource" + std::to_string(route) + "/{id}");
    av::AppendKey(&row, "http.status_code");
    av::AppendInt(&row, status);
    av::AppendKey(&row, "outcome");
    av::AppendString(&row, status == 200 ? "ok" : status == 404 ? "missing" : "failed");
    n += 3;
    if (rng() % 4 == 0) {  // a row without a route: its method's context is "absent"
      row.clear();
      h = av::BeginKvList(&row);
      av::AppendKey(&row, "http.method");
      av::AppendString(&row, "OPTIONS");
      n = 1;
    }
    av::EndList(&row, h, n);
    out.push_back(std::move(row));
  }
  return out;
}

TEST(ColumnCodecTest, KvShreddedFieldsCodedGivenAnotherCostAlmostNothing) {
  const size_t rows = 8192;
  const std::vector<std::string> maps = RouteMethodMaps(rows, true);
  const std::string with_method = ShreddedRoundTrip(maps);
  const std::string without_method = ShreddedRoundTrip(RouteMethodMaps(rows, false));
  // Independent, the method would take about 1.7 bits per row (1.7 KB);
  // given the route, the choice in the two routes with two methods (a 14th
  // of the rows: 60 bytes), plus the lists, the method's dictionary and its
  // stream's framing. "outcome" follows from the status code in either block.
  EXPECT_LT(with_method.size(), without_method.size() + 400) << with_method.size() << " vs " << without_method.size();

  // Decoding a few keys or fields reads the context fields they need:
  // KvShreddedKeysDecodeOnlyTheirEntries and KvShreddedFieldsHoldEveryRowsValues
  // run on these maps too.

  // Damage anywhere is an error, never a crash (ASan) or other rows.
  for (size_t len = 0; len < with_method.size(); len += 1 + len / 16) {
    std::vector<uint32_t> ends;
    std::string data;
    EXPECT_FALSE(DecodeBytesColumn(ColumnEncoding::kBytesKvShreddedPacked, std::string_view(with_method).substr(0, len),
                                   rows, &ends, &data)
                     .ok());
  }
}

// Hosts given their region: each region's list of hosts holds up to 32
// entries, the most a context's list may hold, so positions reach every one
// of the 32 slots a list is searched in. With 33 hosts in a region the host
// is coded on its own (its lists would be too long): 7 bits a row instead of
// 5. Regions come in runs of rows, which zstd codes better than an entropy
// coder: the region is then a context, never coded given the host.
std::vector<std::string> RegionHostMaps(size_t rows, int hosts_in_last_region) {
  std::mt19937_64 rng(41);
  std::vector<std::string> out;
  for (size_t r = 0; r < rows; ++r) {
    const int region = static_cast<int>(r / 64 % 4);
    const int hosts = region == 3 ? hosts_in_last_region : 32;
    const int host = static_cast<int>(rng() % hosts);
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "region");
    av::AppendString(&row, "region-" + std::to_string(region));
    av::AppendKey(&row, "host");
    av::AppendString(&row, "host-" + std::to_string(region) + "-" + std::to_string(host));
    av::EndList(&row, h, 2);
    out.push_back(std::move(row));
  }
  return out;
}

TEST(ColumnCodecTest, KvShreddedFieldsGivenAnotherUseListsOfUpTo32Entries) {
  const size_t rows = 8192;
  const std::string full_lists = ShreddedRoundTrip(RegionHostMaps(rows, 32));
  const std::string too_long = ShreddedRoundTrip(RegionHostMaps(rows, 33));
  EXPECT_LT(full_lists.size() + 1000, too_long.size()) << full_lists.size() << " vs " << too_long.size();
}

// Blocks of format version 4, whose int fields hold deltas without a mode
// byte, written here by hand after the layout in column_codec.h.
TEST(ColumnCodecTest, KvShreddedReadsVersion4DeltaInts) {
  const std::vector<std::string> rows = StatusCodeMaps(6, 1);
  std::string header;
  PutVarint64(&header, 1);  // one field: key length, key, tag
  PutVarint64(&header, std::string_view("http.status_code").size());
  header += "http.status_code";
  header.push_back(static_cast<char>(av::Tag::kInt));
  PutVarint64(&header, 1);  // one shape of one slot: field 0
  PutVarint64(&header, 1);
  PutVarint64(&header, 0);
  for (size_t r = 0; r < rows.size(); ++r) PutVarint64(&header, 0);  // row shape ids
  const std::string deltas = IntDeltas(rows);
  std::string int_stream;
  PutVarint64(&int_stream, deltas.size());
  int_stream += deltas;
  std::string joined = header + int_stream;
  std::string packed;
  ASSERT_TRUE(PutPackedStream(header, /*compress=*/false, {}, &packed).ok());
  ASSERT_TRUE(PutPackedStream(int_stream, /*compress=*/false, {}, &packed).ok());
  std::string expected;
  for (const std::string& row : rows) expected += row;
  for (auto [encoding, block] : {std::pair{ColumnEncoding::kBytesKvShreddedDeltaInts, joined},
                                 std::pair{ColumnEncoding::kBytesKvShreddedPackedDeltaInts, packed}}) {
    SCOPED_TRACE(ColumnEncodingName(encoding));
    std::vector<uint32_t> ends;
    std::string data;
    ASSERT_TRUE(DecodeBytesColumn(encoding, block, rows.size(), &ends, &data).ok());
    EXPECT_EQ(data, expected);
    // The same bytes do not parse as the current layout (no mode byte).
    ends.clear();
    data.clear();
    const ColumnEncoding current = encoding == ColumnEncoding::kBytesKvShreddedDeltaInts
                                       ? ColumnEncoding::kBytesKvShredded
                                       : ColumnEncoding::kBytesKvShreddedPacked;
    Status s = DecodeBytesColumn(current, block, rows.size(), &ends, &data);
    EXPECT_TRUE(!s.ok() || data != expected);
  }
}

TEST(ColumnCodecTest, KvShreddedIsSmallerOnRealisticAttributes) {
  const size_t rows = 8192;
  std::vector<std::string> values = RealisticLogAttributes(rows);
  RoundTripBytes(values, ColumnEncoding::kBytesKvShreddedPacked);

  test::BytesColumn col(values);
  std::string shredded;
  ASSERT_EQ(EncodeBytesColumn(col.view(), &shredded), ColumnEncoding::kBytesKvShreddedPacked);
  // What the encoder chooses without shredding: the same rows with one row
  // that is not a kvlist (values are unique, so plain).
  std::vector<std::string> with_plain_row = values;
  with_plain_row.push_back("");
  test::BytesColumn plain_col(with_plain_row);
  std::string plain;
  ASSERT_EQ(EncodeBytesColumn(plain_col.view(), &plain), ColumnEncoding::kBytesPlain);
  // A packed shredded block is stored as it is (its streams are compressed).
  const size_t shredded_z = shredded.size(), plain_z = CompressedSize(plain);
  std::printf(
      "realistic attributes, %zu rows: plain %zu raw / %zu zstd (%.2f B/row); shredded %zu stored (%.2f B/row)\n", rows,
      plain.size(), plain_z, static_cast<double>(plain_z) / rows, shredded_z, static_cast<double>(shredded_z) / rows);
  EXPECT_LT(shredded_z * 4, plain_z * 3);  // at least 25% smaller
}

// Low-cardinality maps (160 distinct, like PartTest's logs): the dictionary
// is smaller before compression, so it stays; print both for reference.
TEST(ColumnCodecTest, KvShreddedVersusDictionaryOnLowCardinalityMaps) {
  std::mt19937_64 rng(1);
  const char* paths[] = {"/api/cart", "/api/checkout", "/api/products", "/api/recommendations", "/health"};
  std::vector<std::string> values;
  for (int i = 0; i < 8192; ++i) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "http.method");
    av::AppendString(&row, rng() % 4 ? "GET" : "POST");
    av::AppendKey(&row, "thread.name");
    av::AppendString(&row, "worker-" + std::to_string(rng() % 16));
    av::AppendKey(&row, "code.function");
    av::AppendString(&row, paths[rng() % 5]);
    av::EndList(&row, h, 3);
    values.push_back(std::move(row));
  }
  test::BytesColumn col(values);
  std::string chosen;
  // Rows drawn independently: the dictionary's indexes are entropy-coded.
  ASSERT_EQ(EncodeBytesColumn(col.view(), &chosen), ColumnEncoding::kBytesDictCoded);
  RoundTripBytes(values, ColumnEncoding::kBytesDictCoded);
  std::string shredded;
  ColumnEncoding encoding;
  ASSERT_TRUE(EncodeKvShreddedColumn(col.view(), &shredded, &encoding));
  std::printf("low-cardinality maps, 8192 rows: dict %zu raw / %zu zstd; shredded (%s) %zu stored\n", chosen.size(),
              CompressedSize(chosen), std::string(ColumnEncodingName(encoding)).c_str(),
              EncodingCompressesItself(encoding) ? shredded.size() : CompressedSize(shredded));
}

TEST(ColumnCodecTest, KvShreddedFallsBackWhenSomeRowIsNotAWholeKvList) {
  std::vector<std::string> base = RealisticLogAttributes(300);
  auto chosen = [](const std::vector<std::string>& values) {
    test::BytesColumn col(values);
    std::string block;
    return EncodeBytesColumn(col.view(), &block);
  };
  ASSERT_TRUE(IsShreddedEncoding(chosen(base)));

  std::string string_value;
  av::AppendString(&string_value, "plain string");
  std::string non_minimal_int;  // kvlist {"n": 1} with the int as 2-byte varint
  size_t h = av::BeginKvList(&non_minimal_int);
  av::AppendKey(&non_minimal_int, "n");
  non_minimal_int += Lit("\x03\x82\x00");
  av::EndList(&non_minimal_int, h, 1);
  std::string non_minimal_len(Lit("\x06\x01\x00\x00\x00\x80\x00\x00"));  // key length 0 as 2 bytes, empty value
  av::Value parsed;
  ASSERT_TRUE(av::ParseWhole(non_minimal_len, &parsed).ok());
  ASSERT_TRUE(av::ParseWhole(non_minimal_int, &parsed).ok());
  for (const std::string& bad :
       {std::string(), string_value, base[5] + "x", base[7].substr(0, 10), non_minimal_int, non_minimal_len}) {
    std::vector<std::string> values = base;
    values[values.size() / 2] = bad;
    EXPECT_FALSE(IsShreddedEncoding(chosen(values)));
    RoundTripBytes(values, chosen(values));
  }
}

TEST(ColumnCodecTest, KvShreddedDecimalDoublesWithExceptions) {
  std::mt19937_64 rng(3);
  const double odd[] = {-0.0,
                        std::numeric_limits<double>::quiet_NaN(),
                        std::numeric_limits<double>::infinity(),
                        1e300,
                        5e-324,
                        0.1 + 0.2,
                        12345678901234567.0};
  std::vector<std::string> values;
  for (int i = 0; i < 500; ++i) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "ms");
    double v = static_cast<double>(static_cast<int64_t>(rng() % 2000000) - 1000000) / 1000.0;
    if (i % 50 == 7) v = odd[(i / 50) % 7];
    av::AppendDouble(&row, v);
    av::AppendKey(&row, "whole");
    av::AppendDouble(&row, static_cast<double>(rng() % 100));
    av::EndList(&row, h, 2);
    values.push_back(row);
  }
  RoundTripShredded(values);
  // Decimal mode: far fewer than 8 bytes per double.
  test::BytesColumn col(values);
  std::string block;
  EncodeBytesColumn(col.view(), &block);
  EXPECT_LT(block.size(), values.size() * 8);
}

// Both layouts: a small block (joined) and a large one (packed streams).
TEST(ColumnCodecTest, KvShreddedRejectsTruncatedAndDamagedBlocks) {
  std::vector<std::string> mixed = RandomAttributeMaps(200, 3);
  std::vector<std::string> realistic = RealisticLogAttributes(100);  // decimal doubles
  mixed.insert(mixed.end(), realistic.begin(), realistic.end());
  std::vector<ColumnEncoding> layouts;
  for (const std::vector<std::string>& values : {mixed, RealisticLogAttributes(1500)}) {
    test::BytesColumn col(values);
    std::string block;
    const ColumnEncoding e = EncodeBytesColumn(col.view(), &block);
    ASSERT_TRUE(IsShreddedEncoding(e));
    layouts.push_back(e);
    std::vector<uint32_t> ends = {1};
    std::string data = "z";
    for (size_t len = 0; len < block.size(); ++len) {
      Status s = DecodeBytesColumn(e, std::string_view(block).substr(0, len), values.size(), &ends, &data);
      ASSERT_EQ(s.code(), Status::Code::kCorruption) << "length " << len;
      ASSERT_EQ(ends.size(), 1u);
      ASSERT_EQ(data, "z");
    }
    // Wrong row counts.
    EXPECT_FALSE(DecodeBytesColumn(e, block, values.size() - 1, &ends, &data).ok());
    EXPECT_FALSE(DecodeBytesColumn(e, block, values.size() + 1, &ends, &data).ok());
    EXPECT_EQ(ends.size(), 1u);
    // Damaged bytes: any status, but no crash or sanitizer report, and on
    // failure nothing is appended.
    std::mt19937_64 rng(11);
    for (int trial = 0; trial < 3000; ++trial) {
      std::string damaged = block;
      for (int k = 0; k < 1 + trial % 3; ++k) damaged[rng() % damaged.size()] ^= static_cast<char>(1 + rng() % 255);
      Status s = DecodeBytesColumn(e, damaged, values.size(), &ends, &data);
      if (s.ok()) {
        ASSERT_EQ(ends.size(), values.size() + 1);
        ASSERT_EQ(ends.back(), data.size());
      }
      ends.resize(1);
      data.resize(1);
    }
  }
  EXPECT_EQ(layouts,
            (std::vector<ColumnEncoding>{ColumnEncoding::kBytesKvShredded, ColumnEncoding::kBytesKvShreddedPacked}));
}

// ---- Decoding only some rows ------------------------------------------------

// Log bodies as AnyValue strings, most of them message templates with numbers
// and ids (stored as text templates).
std::vector<std::string> TemplatedBodies(size_t rows) {
  std::mt19937_64 rng(17);
  std::vector<std::string> values;
  for (size_t i = 0; i < rows; ++i) {
    std::string text =
        i % 3 == 0 ? "GET /api/orders/" + std::to_string(rng() % 100000) + " 200 " + std::to_string(rng() % 900) + "ms"
                   : "Payment txn_" + std::to_string(rng() % 1000000) + " declined: card expired";
    std::string row;
    av::AppendString(&row, text);
    values.push_back(std::move(row));
  }
  return values;
}

TEST(ColumnCodecTest, SelectedRowsDecodeAsInTheWholeBlock) {
  struct Case {
    std::vector<std::string> values;
    BytesEncodeOptions options;
    ColumnEncoding expected;
  };
  BytesEncodeOptions templates;
  templates.try_text_templates = true;
  std::vector<Case> cases = {
      {RandomAttributeMaps(3000, 7), {}, ColumnEncoding::kBytesKvShreddedPacked},
      {RealisticLogAttributes(3000), {}, ColumnEncoding::kBytesKvShreddedPacked},
      {RealisticLogAttributes(100), {}, ColumnEncoding::kBytesKvShredded},
      {TemplatedBodies(3000), templates, ColumnEncoding::kBytesTextTemplate},
      {StatusCodeMaps(500, 3), {}, ColumnEncoding::kBytesDictCoded},
  };
  std::mt19937_64 rng(23);
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(ColumnEncodingName(c.expected)));
    test::BytesColumn col(c.values);
    std::string block;
    ASSERT_EQ(EncodeBytesColumn(col.view(), &block, c.options), c.expected);
    const auto rows = static_cast<uint32_t>(c.values.size());
    std::vector<std::vector<uint32_t>> selections = {{}, {0}, {rows - 1}, {0, 1, 2}};
    std::vector<uint32_t> every_7th, random, all;
    for (uint32_t r = 0; r < rows; ++r) {
      if (r % 7 == 3) every_7th.push_back(r);
      if (rng() % 50 == 0) random.push_back(r);
      all.push_back(r);
    }
    selections.insert(selections.end(), {every_7th, random, all});
    for (const std::vector<uint32_t>& selected : selections) {
      std::vector<uint32_t> ends = {2};  // after existing content
      std::string data = "xy";
      ASSERT_TRUE(DecodeBytesColumnRows(c.expected, block, rows, selected, &ends, &data).ok());
      ASSERT_EQ(ends.size(), selected.size() + 1);
      EXPECT_EQ(ends.back(), data.size());
      EXPECT_EQ(data.substr(0, 2), "xy");
      for (size_t k = 0; k < selected.size(); ++k) {
        ASSERT_EQ(std::string_view(data).substr(ends[k], ends[k + 1] - ends[k]), c.values[selected[k]])
            << "selected row " << selected[k];
      }
    }
    // Not a row selection: out of order, repeated, out of range.
    for (const std::vector<uint32_t>& bad : std::vector<std::vector<uint32_t>>{{2, 1}, {1, 1}, {rows}}) {
      std::vector<uint32_t> ends;
      std::string data;
      EXPECT_EQ(DecodeBytesColumnRows(c.expected, block, rows, bad, &ends, &data).code(),
                Status::Code::kInvalidArgument);
    }
    // A damaged block fails as it does for a whole decode, whatever rows are
    // selected (the others' values are still read and checked).
    for (size_t len = 0; len < block.size(); len += 1 + len / 4) {
      std::vector<uint32_t> ends;
      std::string data;
      const std::vector<uint32_t> first = {0};
      EXPECT_FALSE(
          DecodeBytesColumnRows(c.expected, std::string_view(block).substr(0, len), rows, first, &ends, &data).ok());
    }
  }
}

// ---- Decoding only some keys of shredded maps -------------------------------

// The reference projection: the row's entries with one of `keys`, in order,
// byte for byte.
std::string ProjectRow(std::string_view row, const std::vector<std::string_view>& keys) {
  av::Value list;
  EXPECT_TRUE(av::ParseWhole(row, &list).ok());
  std::string out;
  size_t h = av::BeginKvList(&out);
  uint32_t kept = 0;
  std::string_view rest = list.body;
  for (uint32_t i = 0; i < list.count; ++i) {
    const std::string_view item = rest;
    uint64_t len = 0;
    EXPECT_TRUE(GetVarint64(&rest, &len));
    const std::string_view key = rest.substr(0, len);
    rest.remove_prefix(len);
    av::Value v;
    EXPECT_TRUE(av::ReadValue(&rest, &v).ok());
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) continue;
    out.append(item.substr(0, item.size() - rest.size()));
    ++kept;
  }
  av::EndList(&out, h, kept);
  return out;
}

TEST(ColumnCodecTest, KvShreddedKeysDecodeOnlyTheirEntries) {
  std::vector<std::vector<std::string>> columns = {RandomAttributeMaps(3000, 7), RealisticLogAttributes(3000),
                                                   RealisticLogAttributes(200), RouteMethodMaps(3000, true)};
  const std::vector<std::vector<std::string_view>> key_sets = {
      {"http.status_code"},       {"dup"},     {"a", "x.y.z", "nested"}, {""}, {"no.such.key"}, {},
      {"http.method", "user.id"}, {"outcome"}, {"http.method"}};
  std::set<ColumnEncoding> layouts;
  for (const auto& values : columns) {
    test::BytesColumn col(values);
    std::string block;
    ColumnEncoding e;
    ASSERT_TRUE(EncodeKvShreddedColumn(col.view(), &block, &e));
    layouts.insert(e);
    for (const auto& keys : key_sets) {
      SCOPED_TRACE(keys.empty() ? "(none)" : std::string(keys[0]));
      std::vector<uint32_t> ends = {2};  // after existing content
      std::string data = "xy";
      ASSERT_TRUE(DecodeBytesColumnKeys(e, block, values.size(), keys, &ends, &data).ok());
      ASSERT_EQ(ends.size(), values.size() + 1);
      EXPECT_EQ(ends.back(), data.size());
      for (size_t r = 0; r < values.size(); ++r) {
        std::string_view got(data.data() + ends[r], ends[r + 1] - ends[r]);
        ASSERT_EQ(got, ProjectRow(values[r], keys)) << "row " << r;
        for (std::string_view key : keys) {  // lookups agree with the whole row
          av::Value want, have;
          bool found = av::FindKey(values[r], key, &want);
          ASSERT_EQ(av::FindKey(got, key, &have), found);
          if (found) {
            EXPECT_EQ(have.tag, want.tag);
          }
        }
      }
    }
    // Damaged blocks fail instead of reading out of bounds.
    for (size_t len = 0; len < block.size(); len += 1 + len / 8) {
      std::vector<uint32_t> ends;
      std::string data;
      const std::string_view keys[] = {"http.status_code", "dup"};
      EXPECT_FALSE(
          DecodeBytesColumnKeys(e, std::string_view(block).substr(0, len), values.size(), keys, &ends, &data).ok());
    }
  }
  EXPECT_EQ(layouts.size(), 2u) << "both layouts covered";
}

// Round-trips `values`, attribute maps that the encoder must store as
// kBytesKvShreddedPacked, and returns their block.
std::string PackedShreddedBlock(const std::vector<std::string>& values) {
  RoundTripBytes(values, ColumnEncoding::kBytesKvShreddedPacked);
  test::BytesColumn col(values);
  std::string block;
  EXPECT_EQ(EncodeBytesColumn(col.view(), &block), ColumnEncoding::kBytesKvShreddedPacked);
  return block;
}

// Each row's entries as "key, encoded value" strings, sorted: what a map holds
// regardless of the order of its entries.
std::vector<std::vector<std::string>> EntriesByRow(const std::vector<std::string>& maps) {
  std::vector<std::vector<std::string>> out(maps.size());
  for (size_t r = 0; r < maps.size(); ++r) {
    av::Value map;
    if (!av::ParseListHead(maps[r], &map).ok() || map.tag != av::Tag::kKvList) continue;
    av::ListReader items(map);
    std::string_view key;
    av::Value item;
    while (items.Next(&key, &item)) out[r].push_back(std::string(key) + '\0' + std::string(items.value_bytes()));
    std::sort(out[r].begin(), out[r].end());
  }
  return out;
}

TEST(ColumnCodecTest, KvShreddedFieldsHoldEveryRowsValues) {
  // The last maps hold strings coded given another field, one of them given
  // an int (read even when numbers are not kept).
  std::vector<std::vector<std::string>> columns = {RandomAttributeMaps(3000, 11), RealisticLogAttributes(3000),
                                                   RealisticLogAttributes(200), RouteMethodMaps(3000, true)};
  bool saw_codes = false;
  for (const auto& values : columns) {
    test::BytesColumn col(values);
    std::string block;
    ColumnEncoding e;
    ASSERT_TRUE(EncodeKvShreddedColumn(col.view(), &block, &e));
    for (bool numbers : {true, false}) {
      SCOPED_TRACE(numbers ? "all fields" : "without numbers");
      auto keep = [numbers](av::Tag t) { return numbers || (t != av::Tag::kInt && t != av::Tag::kDouble); };
      MapFields fields;
      ASSERT_TRUE(DecodeKvShreddedFields(e, block, values.size(), keep, &fields).ok());
      // Put each field's values back into their rows, encoded as in a row.
      std::vector<std::vector<std::string>> got(values.size());
      for (const MapField& f : fields.fields) {
        ASSERT_TRUE(keep(f.tag));
        ASSERT_TRUE(f.codes.empty() || f.codes.size() == f.rows.size());
        ASSERT_TRUE(f.codes.size() == f.rows.size() || f.values.size() == f.rows.size());
        saw_codes |= !f.codes.empty();
        ASSERT_TRUE(std::is_sorted(f.rows.begin(), f.rows.end()));
        for (size_t k = 0; k < f.rows.size(); ++k) {
          ASSERT_LT(f.rows[k], values.size());
          const std::string_view value = f.codes.empty() ? f.values[k] : f.values.at(f.codes[k]);
          av::Value v;
          ASSERT_TRUE(f.ValueOf(value, &v).ok()) << f.key;
          ASSERT_EQ(v.tag, f.tag);
          std::string encoded(1, static_cast<char>(f.tag));
          if (f.tag == av::Tag::kString || f.tag == av::Tag::kBytes) PutVarint64(&encoded, value.size());
          encoded.append(value);
          got[f.rows[k]].push_back(std::string(f.key) + '\0' + encoded);
        }
      }
      std::vector<std::vector<std::string>> want = EntriesByRow(values);
      for (size_t r = 0; r < values.size(); ++r) {
        std::sort(got[r].begin(), got[r].end());
        std::erase_if(want[r], [&](const std::string& entry) {
          return !keep(static_cast<av::Tag>(entry[entry.find('\0') + 1]));
        });
        ASSERT_EQ(got[r], want[r]) << "row " << r;
      }
    }
    // Damaged blocks fail instead of reading out of bounds.
    for (size_t len = 0; len < block.size(); len += 1 + len / 8) {
      MapFields fields;
      EXPECT_FALSE(DecodeKvShreddedFields(
                       e, std::string_view(block).substr(0, len), values.size(), [](av::Tag) { return true; }, &fields)
                       .ok());
    }
  }
  EXPECT_TRUE(saw_codes) << "fields stored with a dictionary covered";
  MapFields fields;
  EXPECT_FALSE(DecodeKvShreddedFields(
                   ColumnEncoding::kBytesPlain, "", 0, [](av::Tag) { return true; }, &fields)
                   .ok());
}

// Paths with ids in half of them: a dictionary (half its entries distinct)
// is smaller than the values before compression, templates are smaller
// after it; the shredded block keeps the templates.
TEST(ColumnCodecTest, KvShreddedPathsWithIdsAreTemplatedNotADictionary) {
  std::mt19937_64 rng(8);
  const std::vector<std::string> fixed = {"/api/v1/checkout", "/api/v1/auth/login", "/healthz", "/internal/events"};
  std::vector<std::string> values;
  for (int i = 0; i < 8192; ++i) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "url.path");
    av::AppendString(&row, rng() % 2 ? fixed[rng() % fixed.size()]
                                     : "/api/v1/orders/" + std::to_string(1000 + rng() % 999000) + "/status");
    av::EndList(&row, h, 1);
    values.push_back(std::move(row));
  }
  const std::string block = PackedShreddedBlock(values);
  MapFields fields;
  ASSERT_TRUE(DecodeKvShreddedFields(
                  ColumnEncoding::kBytesKvShreddedPacked, block, values.size(), [](av::Tag) { return true; }, &fields)
                  .ok());
  ASSERT_EQ(fields.fields.size(), 1u);
  EXPECT_TRUE(fields.fields[0].codes.empty()) << "stored as a dictionary";
  // About 10 bits of id and 2 of path per row; the dictionary took 3.5 bytes.
  EXPECT_LT(block.size(), values.size() * 2) << block.size();
}

// String attributes that are templates filled with numbers or hex ids are
// stored as text templates inside the shredded block (mode 3).
TEST(ColumnCodecTest, KvShreddedTemplatedStrings) {
  std::mt19937_64 rng(5);
  std::vector<std::string> values;
  for (int i = 0; i < 2000; ++i) {
    std::string row;
    size_t h = av::BeginKvList(&row);
    av::AppendKey(&row, "user.id");
    av::AppendString(&row, i % 97 == 0 ? std::string("holds \x11 a marker") : "user-" + std::to_string(rng() % 100000));
    av::AppendKey(&row, "request.id");
    std::string id;
    for (int k = 0; k < 32; ++k) id.push_back("0123456789abcdef"[rng() % 16]);
    av::AppendString(&row, id);
    av::AppendKey(&row, "n");
    av::AppendInt(&row, i);
    av::EndList(&row, h, 3);
    values.push_back(std::move(row));
  }
  const std::string block = PackedShreddedBlock(values);
  size_t prefixes = 0;
  for (size_t at = block.find("user-"); at != std::string::npos; at = block.find("user-", at + 1)) ++prefixes;
  EXPECT_LT(prefixes, 10u) << "user ids are not templated";

  // A key projection decodes the templated field it keeps and skips the other.
  for (std::string_view key : {"user.id", "n"}) {
    std::vector<uint32_t> ends;
    std::string data;
    const std::vector<std::string_view> keys = {key};
    ASSERT_TRUE(
        DecodeBytesColumnKeys(ColumnEncoding::kBytesKvShreddedPacked, block, values.size(), keys, &ends, &data).ok());
    for (size_t r = 0; r < values.size(); ++r) {
      ASSERT_EQ(std::string_view(data.data() + (r == 0 ? 0 : ends[r - 1]), ends[r] - (r == 0 ? 0 : ends[r - 1])),
                ProjectRow(values[r], keys))
          << "row " << r;
    }
  }
}

// Each field's streams are a packed stream of their own: a key projection
// skips the others without decompressing them, so damage there (a zstd frame
// that no longer is one) fails only the decodes that read that field.
TEST(ColumnCodecTest, KvShreddedPackedKeysSkipOtherFieldsUndecompressed) {
  const std::vector<std::string> values = RealisticLogAttributes(4000);
  test::BytesColumn col(values);
  std::string block;
  ASSERT_EQ(EncodeBytesColumn(col.view(), &block), ColumnEncoding::kBytesKvShreddedPacked);
  // Streams: the header, then http.method, http.status_code, http.route,
  // user.id, duration_ms, exception.type (fields in order of appearance).
  std::string_view in = block;
  size_t duration_frame = 0;
  for (int stream = 0; stream <= 5; ++stream) {
    uint64_t raw_size = 0, stored_size = 0;
    ASSERT_TRUE(GetVarint64(&in, &raw_size) && GetVarint64(&in, &stored_size));
    if (stream == 5) {
      ASSERT_LT(stored_size, raw_size) << "duration_ms is compressed";
      duration_frame = block.size() - in.size();
    }
    in.remove_prefix(stored_size);
  }
  std::string damaged = block;
  damaged[duration_frame] ^= 0x5a;  // the frame's magic number

  std::vector<uint32_t> ends;
  std::string data;
  const std::vector<std::string_view> kept = {"http.method", "user.id"};
  ASSERT_TRUE(
      DecodeBytesColumnKeys(ColumnEncoding::kBytesKvShreddedPacked, damaged, values.size(), kept, &ends, &data).ok());
  for (size_t r = 0; r < values.size(); ++r) {
    ASSERT_EQ(std::string_view(data.data() + (r == 0 ? 0 : ends[r - 1]), ends[r] - (r == 0 ? 0 : ends[r - 1])),
              ProjectRow(values[r], kept))
        << "row " << r;
  }
  ends.clear();
  data.clear();
  const std::vector<std::string_view> duration = {"duration_ms"};
  EXPECT_EQ(
      DecodeBytesColumnKeys(ColumnEncoding::kBytesKvShreddedPacked, damaged, values.size(), duration, &ends, &data)
          .code(),
      Status::Code::kCorruption);
  EXPECT_EQ(DecodeBytesColumn(ColumnEncoding::kBytesKvShreddedPacked, damaged, values.size(), &ends, &data).code(),
            Status::Code::kCorruption);
  EXPECT_TRUE(ends.empty());
}

TEST(ColumnCodecTest, KeysOfOtherEncodingsDecodeWholeRows) {
  std::vector<std::string> values = {"a", "bb", "a", "", "a"};
  test::BytesColumn col(values);
  std::string block;
  BytesEncodeOptions options;
  options.try_shredding = false;
  ColumnEncoding e = EncodeBytesColumn(col.view(), &block, options);
  std::vector<uint32_t> ends;
  std::string data;
  const std::string_view keys[] = {"k"};
  ASSERT_TRUE(DecodeBytesColumnKeys(e, block, values.size(), keys, &ends, &data).ok());
  ASSERT_EQ(ends.size(), values.size());
  EXPECT_EQ(data, "abbaa");
}

}  // namespace
}  // namespace otelstack
