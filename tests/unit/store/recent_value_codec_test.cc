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
#include "store/dependent_codec.h"
#include "store/part_format.h"

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
// 1-8 records; 40% of rows have no id (empty). *source (optional) gets each
// row's source.
std::vector<std::string> IdColumn(size_t rows, int instances, uint64_t seed,
                                  std::vector<std::string>* source = nullptr) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> current(instances);
  std::vector<int> left(instances, 0);
  uint64_t next_id = 1;
  std::vector<std::string> out;
  for (size_t i = 0; i < rows; ++i) {
    const int s = static_cast<int>(rng() % instances);
    if (source != nullptr) source->push_back("instance-" + std::to_string(s));
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

// Every truncation of a real block is rejected, and every single-byte change
// either decodes or is rejected, without reading out of bounds (ASan
// checks). decode(block, &ends, &data) decodes one block.
template <typename Decode>
void ExpectDamagedBlocksNeverReadOutOfBounds(const std::string& block, Decode decode) {
  std::vector<uint32_t> ends;
  std::string data;
  for (size_t len = 0; len < block.size(); ++len) {
    Status s = decode(std::string_view(block).substr(0, len), &ends, &data);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << "length " << len;
  }
  for (size_t i = 0; i < block.size(); i += 3) {
    for (int x : {1, 0x40, 0x80, 0xFF}) {
      std::string bad = block;
      bad[i] = static_cast<char>(bad[i] ^ x);
      ends.clear();
      data.clear();
      Status s = decode(bad, &ends, &data);
      EXPECT_TRUE(s.ok() || s.code() == Status::Code::kCorruption) << s.ToString();
    }
  }
}

TEST(RecentValueCodec, MutatedBlocksNeverReadOutOfBounds) {
  const std::vector<std::string> values = IdColumn(300, 8, 4);
  ExpectDamagedBlocksNeverReadOutOfBounds(Encode(values),
                                          [&](std::string_view block, std::vector<uint32_t>* ends, std::string* data) {
                                            return DecodeRecentValues(block, values.size(), ends, data);
                                          });
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
  EXPECT_EQ(ColumnEncodingName(EncodeAndCheck(services)), "bytes-dict-coded");  // independent draws
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

// ---- kBytesRecentByClass ---------------------------------------------------

constexpr uint32_t kClassColumn = 7;

RowClasses ClassesOf(const std::vector<std::string>& class_values) {
  RowClasses classes;
  ClassifyByValues(test::BytesColumn(class_values).view(), &classes);
  return classes;
}

// The by-class format spelled out naively: a deque per class and a shared
// one.
std::string ReferenceEncodeByClass(const std::vector<std::string>& values, const RowClasses& classes) {
  std::vector<std::deque<std::string>> lists(classes.count());
  std::deque<std::string> shared;
  std::string codes, lengths, literals;
  PutVarint64(&codes, kClassColumn);
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string& v = values[i];
    std::deque<std::string>& list = lists[classes.of_row[i]];
    auto in_list = std::find(list.begin(), list.end(), v);
    if (in_list != list.end()) {
      codes.push_back(static_cast<char>(in_list - list.begin() + 1));
      list.erase(in_list);
    } else {
      auto in_shared = std::find(shared.begin(), shared.end(), v);
      if (in_shared == shared.end()) {
        codes.push_back(0);
        PutVarint64(&lengths, v.size());
        literals += v;
        if (shared.size() == kRecentListSize) shared.pop_back();
      } else {
        codes.push_back(static_cast<char>(kClassListSize + (in_shared - shared.begin()) + 1));
        shared.erase(in_shared);
      }
      shared.push_front(v);
      if (list.size() == kClassListSize) list.pop_back();
    }
    list.push_front(v);
  }
  return codes + lengths + literals;
}

// Encodes, checks the block against the reference, decodes after existing
// content and checks every row. Returns the block.
std::string RoundTripByClass(const std::vector<std::string>& values, const std::vector<std::string>& class_values) {
  const RowClasses classes = ClassesOf(class_values);
  test::BytesColumn col(values);
  std::string block, by_ids;
  EXPECT_TRUE(EncodeRecentValuesByClass(col.view(), {}, classes, kClassColumn, kNoLimit, &block));
  EXPECT_EQ(block, ReferenceEncodeByClass(values, classes));
  // The values' own classes as value ids give the same block.
  EXPECT_TRUE(
      EncodeRecentValuesByClass(col.view(), ClassesOf(values).of_row, classes, kClassColumn, kNoLimit, &by_ids));
  EXPECT_EQ(by_ids, block);
  uint32_t column;
  EXPECT_TRUE(ReferencedStoredColumn(block, &column).ok());
  EXPECT_EQ(column, kClassColumn);
  std::vector<uint32_t> ends = {3};
  std::string data = "abc";
  Status s = DecodeRecentValuesByClass(block, classes, &ends, &data);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ends.size(), values.size() + 1);
  for (size_t i = 0; i < values.size() && i + 1 < ends.size(); ++i) {
    EXPECT_EQ(std::string_view(data).substr(ends[i], ends[i + 1] - ends[i]), values[i]) << "row " << i;
  }
  EXPECT_EQ(ends.back(), data.size());
  return block;
}

TEST(RecentValuesByClass, CodesFromTheClassListThenTheSharedList) {
  // Class a: x, then y; class b: y (shared list position 0), x (position 1).
  // Back in a: x is at position 1 of a's list (y at 0).
  const std::string block = RoundTripByClass({"x", "y", "y", "x", "x", "y"}, {"a", "a", "b", "b", "a", "b"});
  const std::string codes = block.substr(1, 6);
  EXPECT_EQ(codes[0], 0);
  EXPECT_EQ(codes[1], 0);
  EXPECT_EQ(static_cast<size_t>(codes[2]), kClassListSize + 1);  // y: front of the shared list
  EXPECT_EQ(static_cast<size_t>(codes[3]), kClassListSize + 2);  // x: behind y, which a class hit did not move
  EXPECT_EQ(codes[4], 2);                                        // x: behind y in a's list
  EXPECT_EQ(codes[5], 2);                                        // y: behind x in b's list
}

TEST(RecentValuesByClass, ClassListKeepsItsLatestValues) {
  std::vector<std::string> values, classes;
  for (size_t i = 0; i <= kClassListSize; ++i) {  // Id(0) leaves the class list
    values.push_back(Id(i));
    classes.push_back("a");
  }
  values.push_back(Id(1));  // the last of the class list
  values.push_back(Id(0));  // only in the shared list now
  classes.insert(classes.end(), 2, "a");
  const std::string block = RoundTripByClass(values, classes);
  EXPECT_EQ(static_cast<size_t>(block[1 + kClassListSize + 1]), kClassListSize);
  EXPECT_EQ(static_cast<size_t>(block[1 + kClassListSize + 2]), kClassListSize + kClassListSize + 1);
}

TEST(RecentValuesByClass, InterleavedInstances) {
  std::vector<std::string> sources;
  const std::vector<std::string> ids = IdColumn(8192, 20, 8, &sources);
  RoundTripByClass(ids, sources);
  RoundTripByClass({""}, {"a"});
  // One class: the shared list is only reached by values the class list lost.
  RoundTripByClass(ids, std::vector<std::string>(ids.size(), "all"));
  // A class per row: every repeat comes from the shared list.
  std::vector<std::string> unique;
  for (size_t i = 0; i < ids.size(); ++i) unique.push_back(std::to_string(i));
  RoundTripByClass(ids, unique);
}

// What the encoding is for: when a source's rows repeat its own latest value,
// coding among the source's values stores less than coding among all.
TEST(RecentValuesByClass, SmallerThanOneListWhenTheClassPredictsTheValue) {
  std::vector<std::string> sources;
  const std::vector<std::string> ids = IdColumn(8192, 20, 9, &sources);
  test::BytesColumn col(ids);
  std::string by_class, one_list, stored_by_class, stored_one_list;
  ASSERT_TRUE(EncodeRecentValuesByClass(col.view(), {}, ClassesOf(sources), kClassColumn, kNoLimit, &by_class));
  ASSERT_TRUE(EncodeRecentValues(col.view(), {}, kNoLimit, &one_list));
  part_format::BlockCompression compression;
  ASSERT_TRUE(CompressBlock(by_class, 3, &stored_by_class, &compression).ok());
  ASSERT_TRUE(CompressBlock(one_list, 3, &stored_one_list, &compression).ok());
  EXPECT_LT(stored_by_class.size() * 10, stored_one_list.size() * 9)
      << stored_by_class.size() << " vs " << stored_one_list.size();
}

TEST(RecentValuesByClass, GivesUpLikeTheOneListCoding) {
  std::vector<std::string> values, classes;
  for (int i = 0; i < 2000; ++i) {
    values.push_back("message " + std::to_string(i));
    classes.push_back(i % 2 ? "a" : "b");
  }
  test::BytesColumn col(values);
  std::string block;
  EXPECT_FALSE(EncodeRecentValuesByClass(col.view(), {}, ClassesOf(classes), kClassColumn, kNoLimit, &block));
  std::vector<std::string> sources;
  const std::vector<std::string> ids = IdColumn(4000, 20, 10, &sources);
  test::BytesColumn id_col(ids);
  const RowClasses id_classes = ClassesOf(sources);
  ASSERT_TRUE(EncodeRecentValuesByClass(id_col.view(), {}, id_classes, kClassColumn, kNoLimit, &block));
  const size_t size = block.size();
  EXPECT_TRUE(EncodeRecentValuesByClass(id_col.view(), {}, id_classes, kClassColumn, size + 1, &block));
  EXPECT_FALSE(EncodeRecentValuesByClass(id_col.view(), {}, id_classes, kClassColumn, size, &block));
}

TEST(RecentValuesByClass, RejectsMalformedBlocks) {
  const RowClasses classes = ClassesOf({"a", "a", "b"});
  auto expect_corrupt = [&](std::string_view block, const std::string& why) {
    std::vector<uint32_t> ends = {1};
    std::string data = "q";
    Status s = DecodeRecentValuesByClass(block, classes, &ends, &data);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << why << ": " << s.ToString();
    EXPECT_EQ(ends, std::vector<uint32_t>{1}) << why;
    EXPECT_EQ(data, "q") << why;
  };
  // Valid: "ab" (a), "ab" (a: class position 0), "c" (b) = column 7, codes
  // 0 1 0, lengths 2 1, "abc".
  const std::string good(
      "\x07\x00\x01\x00\x02\x01"
      "abc",
      9);
  std::vector<uint32_t> ends;
  std::string data;
  ASSERT_TRUE(DecodeRecentValuesByClass(good, classes, &ends, &data).ok());
  ASSERT_EQ(data, "ababc");
  expect_corrupt(std::string_view(), "no header");
  expect_corrupt("\x80", "truncated column varint");
  expect_corrupt(good.substr(0, 3), "truncated codes");
  std::string bad = good;
  bad[2] = 2;  // a's list holds one value
  expect_corrupt(bad, "code beyond the class list");
  bad = good;
  bad[3] = 1;  // b's list is empty
  expect_corrupt(bad, "code 1 in an empty class");
  bad = good;
  bad[3] = static_cast<char>(kClassListSize + 2);  // the shared list holds one value
  expect_corrupt(bad, "code beyond the shared list");
  bad[3] = static_cast<char>(kClassListSize + 1);  // "ab" from the shared list: one literal fewer
  expect_corrupt(bad, "literal count one short of the lengths");
  bad = good;
  bad[3] = static_cast<char>(0x80);
  expect_corrupt(bad, "code with a continuation bit");
  expect_corrupt(good.substr(0, 7), "truncated literal bytes");
  expect_corrupt(good + "x", "trailing bytes");
  // A granule whose class column has another row count.
  expect_corrupt(good.substr(0, 8), "truncated for the rows");
}

TEST(RecentValuesByClass, MutatedBlocksNeverReadOutOfBounds) {
  std::vector<std::string> sources;
  const std::vector<std::string> values = IdColumn(300, 8, 11, &sources);
  const RowClasses classes = ClassesOf(sources);
  ExpectDamagedBlocksNeverReadOutOfBounds(RoundTripByClass(values, sources),
                                          [&](std::string_view block, std::vector<uint32_t>* ends, std::string* data) {
                                            return DecodeRecentValuesByClass(block, classes, ends, data);
                                          });
}

}  // namespace
}  // namespace otelstack
