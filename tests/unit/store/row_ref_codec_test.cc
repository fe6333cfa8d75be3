#include "store/row_ref_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "bytes_column.h"
#include "common/varint.h"

namespace otelstack {
namespace {

std::string RandomId(std::mt19937_64* rng) {
  std::string id(8, '\0');
  for (char& c : id) c = static_cast<char>((*rng)());
  return id;
}

// Spans of traces of 2-6 spans, interleaved; each non-root span's parent is
// an earlier span of its trace, or (clock skew) a later one.
struct Spans {
  test::BytesColumn span_ids, parent_ids;
};

Spans MakeSpans(size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Spans s;
  for (size_t i = 0; i < rows; ++i) s.span_ids.Add(RandomId(&rng));
  for (size_t i = 0; i < rows; ++i) {
    switch (rng() % 8) {
      case 0:
        s.parent_ids.Add("");  // a root
        break;
      case 1:
        s.parent_ids.Add(RandomId(&rng));  // a parent outside the granule
        break;
      case 2:
        s.parent_ids.Add(s.span_ids.at(std::min(rows - 1, i + 1 + rng() % 3)));  // a later row
        break;
      case 3:
        s.parent_ids.Add(s.span_ids.at(i));  // the row's own value: a literal, never a self-reference
        break;
      default:
        s.parent_ids.Add(s.span_ids.at(i - std::min<size_t>(i, rng() % 20)));
    }
  }
  return s;
}

TEST(RowRefCodecTest, RoundTripsReferencesBothWaysLiteralsAndEmptyValues) {
  for (size_t rows : {size_t{1}, size_t{2}, size_t{100}, size_t{8192}}) {
    SCOPED_TRACE("rows " + std::to_string(rows));
    Spans s = MakeSpans(rows, rows);
    std::string block;
    ASSERT_TRUE(EncodeRowRefColumn(s.parent_ids.view(), s.span_ids.view(), 2, SIZE_MAX, &block));
    uint32_t reference_column = 0;
    ASSERT_TRUE(ReferencedStoredColumn(block, &reference_column).ok());
    EXPECT_EQ(reference_column, 2u);
    std::vector<uint32_t> ends = {3};  // appended after an existing value
    std::string data = "abc";
    ASSERT_TRUE(DecodeRowRefColumn(block, rows, s.span_ids.view(), &ends, &data).ok());
    ASSERT_EQ(ends.size(), rows + 1);
    EXPECT_EQ(data.substr(0, 3), "abc");
    for (size_t i = 0; i < rows; ++i) {
      ASSERT_EQ(std::string_view(data).substr(ends[i], ends[i + 1] - ends[i]), s.parent_ids.at(i)) << "row " << i;
    }
    // 5/8 of the rows are references of a byte or two instead of 8 bytes.
    if (rows == 8192) {
      EXPECT_LT(block.size(), s.parent_ids.data.size() * 2 / 3);
    }
  }
}

TEST(RowRefCodecTest, GivesUpAtTheBound) {
  Spans s = MakeSpans(1000, 3);
  std::string block;
  ASSERT_TRUE(EncodeRowRefColumn(s.parent_ids.view(), s.span_ids.view(), 2, SIZE_MAX, &block));
  const size_t size = block.size();
  EXPECT_TRUE(EncodeRowRefColumn(s.parent_ids.view(), s.span_ids.view(), 2, size + 1, &block));
  EXPECT_FALSE(EncodeRowRefColumn(s.parent_ids.view(), s.span_ids.view(), 2, size, &block));
  // A reference column of another length is never referenced.
  test::BytesColumn shorter;
  shorter.Add("x");
  EXPECT_FALSE(EncodeRowRefColumn(s.parent_ids.view(), shorter.view(), 2, SIZE_MAX, &block));
}

TEST(RowRefCodecTest, RejectsMalformedBlocks) {
  test::BytesColumn ref;
  for (const char* v : {"aaaaaaaa", "bbbbbbbb", "cccccccc"}) ref.Add(v);
  auto decode = [&](const std::string& block, size_t rows) {
    std::vector<uint32_t> ends;
    std::string data;
    test::BytesColumn r;
    for (size_t i = 0; i < rows; ++i) r.Add(ref.at(i % 3));
    Status s = DecodeRowRefColumn(block, rows, r.view(), &ends, &data);
    EXPECT_TRUE(s.ok() || ends.empty()) << "output left behind on error";
    return s;
  };
  auto block_of = [](std::initializer_list<uint64_t> codes, std::string tail) {
    std::string b;
    PutVarint64(&b, 1);  // reference column
    for (uint64_t c : codes) PutVarint64(&b, c);
    return b + tail;
  };
  // Valid: row 1 = row 0's value, row 2 = literal "zz", row 0 = row 2's value.
  ASSERT_TRUE(decode(block_of({ZigZagEncode(-2), ZigZagEncode(1), 0}, "\x02zz"), 3).ok());
  EXPECT_EQ(decode(block_of({ZigZagEncode(1)}, ""), 1).code(), Status::Code::kCorruption);   // before row 0
  EXPECT_EQ(decode(block_of({ZigZagEncode(-1)}, ""), 1).code(), Status::Code::kCorruption);  // past the end
  EXPECT_EQ(decode(block_of({0}, ""), 1).code(), Status::Code::kCorruption);                 // no literal length
  EXPECT_EQ(decode(block_of({0}, "\x03zz"), 1).code(), Status::Code::kCorruption);           // literal cut short
  EXPECT_EQ(decode(block_of({0}, "\x01zz"), 1).code(), Status::Code::kCorruption);           // trailing bytes
  EXPECT_EQ(decode(block_of({ZigZagEncode(-1)}, ""), 2).code(), Status::Code::kCorruption);  // codes cut short
  EXPECT_EQ(decode("", 1).code(), Status::Code::kCorruption);
  std::vector<uint32_t> ends;
  std::string data;
  EXPECT_EQ(DecodeRowRefColumn(block_of({0}, "\x01z"), 1, ref.view(), &ends, &data).code(),
            Status::Code::kCorruption);  // a reference column of another row count
  EXPECT_EQ(DecodeBytesColumn(ColumnEncoding::kBytesRowRef, block_of({0}, "\x01z"), 1, &ends, &data).code(),
            Status::Code::kCorruption);  // needs its reference column
}

}  // namespace
}  // namespace otelstack
