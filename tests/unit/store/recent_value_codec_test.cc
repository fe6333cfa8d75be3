#include "store/recent_value_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bytes_column.h"
#include "common/varint.h"
#include "store/column_codec.h"

namespace otelstack {
namespace {

constexpr size_t kNoLimit = std::numeric_limits<size_t>::max();

// The format spelled out naively (a deque of strings), to check the encoder
// byte for byte.
std::string ReferenceEncode(const std::vector<std::string>& values) {
  std::deque<std::string> recent;
  std::string codes, lengths, literals;
  for (const auto& v : values) {
    auto it = std::find(recent.begin(), recent.end(), v);
    if (it == recent.end()) {
      codes.push_back(0);
      PutVarint64(&lengths, v.size());
      literals += v;
      if (recent.size() == kRecentListSize) recent.pop_back();
    } else {
      codes.push_back(static_cast<char>(it - recent.begin() + 1));
      recent.erase(it);
    }
    recent.push_front(v);
  }
  return codes + lengths + literals;
}

// Encodes by hashing values and, checking that it gives the same block, by
// value ids.
std::string Encode(const std::vector<std::string>& values) {
  test::BytesColumn col(values);
  std::string block, by_ids;
  EXPECT_TRUE(EncodeRecentValues(col.view(), {}, kNoLimit, &block));
  std::map<std::string, uint32_t> id_of;
  std::vector<uint32_t> ids;
  for (const auto& v : values) ids.push_back(id_of.emplace(v, static_cast<uint32_t>(id_of.size())).first->second);
  EXPECT_TRUE(EncodeRecentValues(col.view(), ids, kNoLimit, &by_ids));
  EXPECT_EQ(block, by_ids);
  return block;
}

// Encodes, checks the block against the reference, decodes after existing
// content and checks every row.
void RoundTrip(const std::vector<std::string>& values) {
  const std::string block = Encode(values);
  ASSERT_EQ(block, ReferenceEncode(values));
  std::vector<uint32_t> ends = {3};
  std::string data = "abc";
  ASSERT_TRUE(DecodeRecentValues(block, values.size(), &ends, &data).ok());
  ASSERT_EQ(ends.size(), values.size() + 1);
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(std::string_view(data).substr(ends[i], ends[i + 1] - ends[i]), values[i]) << "row " << i;
  }
  EXPECT_EQ(ends.back(), data.size());
}

std::string Id(uint64_t n, size_t length = 16) {
  std::string id(length, '\0');
  for (size_t b = 0; b < length; ++b) id[b] = static_cast<char>((n * 0x9E3779B97F4A7C15ull) >> (8 * (b % 8)) ^ b);
  return id;
}

// Trace-id-like rows: `instances` sources interleave, each keeping its id for
// 1-8 records; 40% of rows have no id (empty).
std::vector<std::string> IdColumn(size_t rows, int instances, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> current(instances);
  std::vector<int> left(instances, 0);
  uint64_t next_id = 1;
  std::vector<std::string> out;
  for (size_t i = 0; i < rows; ++i) {
    const int s = static_cast<int>(rng() % instances);
    if (rng() % 10 < 4) {
      out.emplace_back();
      continue;
    }
    if (left[s] == 0) {
      current[s] = Id(next_id++);
      left[s] = 1 + static_cast<int>(rng() % 8);
    }
    --left[s];
    out.push_back(current[s]);
  }
  return out;
}

TEST(RecentValueCodec, OneRow) {
  RoundTrip({"x"});
  RoundTrip({""});
}

TEST(RecentValueCodec, AllEqual) {
  RoundTrip(std::vector<std::string>(1000, Id(7)));
  RoundTrip(std::vector<std::string>(1000, ""));
  EXPECT_EQ(Encode({"a", "a", "a"}), std::string("\x00\x01\x01\x01"
                                                 "a",
                                                 5));
}

TEST(RecentValueCodec, EmptyValuesAreValues) {
  RoundTrip({"", "a", "", "", "b", "a", "", "ccc", ""});
  // "", "a", "" (position 1), "" (position 0)
  EXPECT_EQ(Encode({"", "a", "", ""}), std::string("\x00\x00\x02\x01\x00\x01"
                                                   "a",
                                                   7));
}

TEST(RecentValueCodec, AllDistinctFewRows) {
  std::vector<std::string> values;
  for (int i = 0; i < 300; ++i) values.push_back(Id(i));
  RoundTrip(values);
}

TEST(RecentValueCodec, DifferentLengths) {
  std::vector<std::string> values;
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) {
    const int k = static_cast<int>(rng() % 40);
    values.push_back(std::string(k * 13 % 300, static_cast<char>('a' + k % 26)) + std::to_string(k));
  }
  values.push_back(std::string(100000, 'z'));  // a length of three varint bytes
  values.push_back(std::string(100000, 'z'));
  RoundTrip(values);
}

TEST(RecentValueCodec, EveryDepthUpToTheBound) {
  std::vector<std::string> base;
  for (size_t i = 0; i < kRecentListSize; ++i) base.push_back(Id(i));
  // After `base` the list holds Id(kRecentListSize-1) at position 0 ... Id(0)
  // at position kRecentListSize-1.
  for (size_t depth = 0; depth < kRecentListSize; ++depth) {
    std::vector<std::string> values = base;
    values.push_back(Id(kRecentListSize - 1 - depth));
    const std::string block = Encode(values);
    EXPECT_EQ(static_cast<size_t>(block[kRecentListSize]), depth + 1) << "depth " << depth;
    RoundTrip(values);
  }
}

TEST(RecentValueCodec, ValuePastTheBoundIsALiteralAgain) {
  std::vector<std::string> values;
  for (size_t i = 0; i <= kRecentListSize; ++i) values.push_back(Id(i));  // Id(0) is dropped
  values.push_back(Id(0));
  values.push_back(Id(2));  // now the last one: position kRecentListSize-1
  const std::string block = Encode(values);
  EXPECT_EQ(block[kRecentListSize + 1], 0);
  EXPECT_EQ(static_cast<size_t>(block[kRecentListSize + 2]), kRecentListSize);
  RoundTrip(values);
}

TEST(RecentValueCodec, InterleavedIds) {
  RoundTrip(IdColumn(8192, 20, 1));
  RoundTrip(IdColumn(8192, 200, 2));  // ids often fall out of the list
}

TEST(RecentValueCodec, GivesUpOnValuesThatRarelyRepeat) {
  std::vector<std::string> values;
  for (int i = 0; i < 2000; ++i) values.push_back("message " + std::to_string(i));
  test::BytesColumn col(values);
  std::string block;
  EXPECT_FALSE(EncodeRecentValues(col.view(), {}, kNoLimit, &block));
}

TEST(RecentValueCodec, GivesUpAtTheByteLimit) {
  const std::vector<std::string> values = IdColumn(4000, 20, 3);
  test::BytesColumn col(values);
  std::string block;
  ASSERT_TRUE(EncodeRecentValues(col.view(), {}, kNoLimit, &block));
  const size_t size = block.size();
  EXPECT_TRUE(EncodeRecentValues(col.view(), {}, size + 1, &block));
  EXPECT_EQ(block.size(), size);
  EXPECT_FALSE(EncodeRecentValues(col.view(), {}, size, &block));
}

// Expects Corruption and the output buffers untouched.
void ExpectCorrupt(std::string_view block, size_t rows, const std::string& why) {
  std::vector<uint32_t> ends = {1};
  std::string data = "q";
  Status s = DecodeRecentValues(block, rows, &ends, &data);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << why << ": " << s.ToString();
  EXPECT_EQ(ends, std::vector<uint32_t>{1}) << why;
  EXPECT_EQ(data, "q") << why;
}

TEST(RecentValueCodec, RejectsMalformedBlocks) {
  // Valid: "ab", "ab", "c" = codes 0 1 0, lengths 2 1, "abc".
  const std::string good(
      "\x00\x01\x00\x02\x01"
      "abc",
      8);
  std::vector<uint32_t> ends;
  std::string data;
  ASSERT_TRUE(DecodeRecentValues(good, 3, &ends, &data).ok());
  ASSERT_EQ(data, "ababc");

  ExpectCorrupt(std::string_view(), 1, "no codes");
  ExpectCorrupt(good.substr(0, 2), 3, "truncated codes");
  ExpectCorrupt(std::string("\x01\x02\x00\x00"
                            "ab",
                            6),
                2, "code 1 with an empty list");
  ExpectCorrupt(std::string("\x00\x02\x00\x02\x01"
                            "abc",
                            8),
                3, "code 2 with one value listed");
  ExpectCorrupt(std::string("\x00\x81\x00\x02\x01"
                            "abc",
                            8),
                3, "code with a continuation bit");
  ExpectCorrupt(good.substr(0, 4), 3, "truncated lengths");
  ExpectCorrupt(std::string("\x00\x01\x00\x02\x81", 5), 3, "truncated length varint");
  ExpectCorrupt(good.substr(0, 7), 3, "truncated literal bytes");
  ExpectCorrupt(good + "x", 3, "trailing bytes");
  ExpectCorrupt(std::string("\x00\x01\x00\x02\x00"
                            "abc",
                            8),
                3, "lengths short of the bytes");
  ExpectCorrupt(std::string("\x00\x01\x00\x02\x09"
                            "abc",
                            8),
                3, "length beyond the block");
  std::string huge("\x00\x01\x00", 3);
  PutVarint64(&huge, 5);
  PutVarint64(&huge, std::numeric_limits<uint64_t>::max() - 2);  // wraps the sum to 2
  ExpectCorrupt(huge + "ab", 3, "lengths that overflow");
  // A code past the last position of a full list.
  std::string full(kRecentListSize, '\0');
  full.push_back(static_cast<char>(kRecentListSize + 1));
  for (size_t i = 0; i < kRecentListSize; ++i) full.push_back(0);
  ExpectCorrupt(full, kRecentListSize + 1, "code past the bound");
  full[kRecentListSize] = static_cast<char>(kRecentListSize);
  ASSERT_TRUE(DecodeRecentValues(full, kRecentListSize + 1, &ends, &data).ok());
}

// Every truncation and every single-byte change of a real block either
// decodes or is rejected, without reading out of bounds (ASan checks).
TEST(RecentValueCodec, MutatedBlocksNeverReadOutOfBounds) {
  const std::vector<std::string> values = IdColumn(300, 8, 4);
  const std::string block = Encode(values);
  std::vector<uint32_t> ends;
  std::string data;
  for (size_t len = 0; len < block.size(); ++len) {
    Status s = DecodeRecentValues(std::string_view(block).substr(0, len), values.size(), &ends, &data);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << "length " << len;
  }
  for (size_t i = 0; i < block.size(); i += 3) {
    for (int x : {1, 0x40, 0x80, 0xFF}) {
      std::string bad = block;
      bad[i] = static_cast<char>(bad[i] ^ x);
      ends.clear();
      data.clear();
      Status s = DecodeRecentValues(bad, values.size(), &ends, &data);
      EXPECT_TRUE(s.ok() || s.code() == Status::Code::kCorruption) << s.ToString();
    }
  }
}

// ---- Through the column codec --------------------------------------------

BytesEncodeOptions IdColumnOptions() {
  BytesEncodeOptions options;
  options.try_recent_values = true;
  return options;
}

ColumnEncoding EncodeAndCheck(const std::vector<std::string>& values) {
  test::BytesColumn col(values);
  std::string block;
  const ColumnEncoding e = EncodeBytesColumn(col.view(), &block, IdColumnOptions());
  std::vector<uint32_t> ends, codes = {9};
  std::string data;
  EXPECT_TRUE(DecodeBytesColumn(e, block, values.size(), &ends, &data, &codes).ok());
  if (e == ColumnEncoding::kBytesRecent) {
    EXPECT_TRUE(codes.empty());  // no dictionary form
  }
  if (codes.empty()) {
    EXPECT_EQ(ends.size(), values.size());
    for (size_t i = 0; i < values.size() && i < ends.size(); ++i) {
      EXPECT_EQ(std::string_view(data).substr(i == 0 ? 0 : ends[i - 1], ends[i] - (i == 0 ? 0 : ends[i - 1])),
                values[i]);
    }
  }
  return e;
}

TEST(RecentValueCodec, ColumnCodecPicksItForIds) {
  const std::vector<std::string> ids = IdColumn(8192, 20, 6);
  EXPECT_EQ(ColumnEncodingName(EncodeAndCheck(ids)), "bytes-recent");

  // Key lookups in a non-map column decode whole rows, as for the other
  // encodings.
  test::BytesColumn col(ids);
  std::string block;
  ASSERT_EQ(EncodeBytesColumn(col.view(), &block, IdColumnOptions()), ColumnEncoding::kBytesRecent);
  // Only id columns try it.
  EXPECT_NE(EncodeBytesColumn(col.view(), &block), ColumnEncoding::kBytesRecent);
  ASSERT_EQ(EncodeBytesColumn(col.view(), &block, IdColumnOptions()), ColumnEncoding::kBytesRecent);
  std::vector<uint32_t> ends;
  std::string data;
  const std::string_view keys[] = {"k"};
  ASSERT_TRUE(DecodeBytesColumnKeys(ColumnEncoding::kBytesRecent, block, ids.size(), keys, &ends, &data).ok());
  EXPECT_EQ(data, col.data);
  EXPECT_EQ(ends, col.ends);
}

TEST(RecentValueCodec, ColumnCodecKeepsSmallDictionaries) {
  // Service names of interleaved instances: the recent coding would be about
  // as small, but the dictionary serves queries.
  std::mt19937 rng(7);
  std::vector<std::string> services;
  for (int i = 0; i < 8192; ++i) services.push_back("service-" + std::to_string(rng() % 30));
  EXPECT_EQ(ColumnEncodingName(EncodeAndCheck(services)), "bytes-dict");
}

// More distinct ids than a dictionary is kept for, each recurring only after
// the recent list has forgotten it: the recent coding gives up, and the
// column codec must then finish the dictionary it stopped building.
TEST(RecentValueCodec, ColumnCodecFallsBackToALargeDictionary) {
  std::vector<std::string> ids;
  for (int i = 0; i < 8192; ++i) ids.push_back("id-" + std::to_string(100000 + (i % 300)));
  EXPECT_EQ(ColumnEncodingName(EncodeAndCheck(ids)), "bytes-dict");
}

TEST(RecentValueCodec, ColumnCodecKeepsPlainForUniqueValues) {
  std::vector<std::string> bodies;
  for (int i = 0; i < 3000; ++i) bodies.push_back("request " + std::to_string(i * 7919) + " done");
  EXPECT_EQ(ColumnEncodingName(EncodeAndCheck(bodies)), "bytes-plain");
}

}  // namespace
}  // namespace otelstack
