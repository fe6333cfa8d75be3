#include "store/dependent_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bytes_column.h"
#include "common/varint.h"

namespace otelstack {
namespace {

RowClasses ClassesOf(const std::vector<std::string>& values) {
  RowClasses c;
  ClassifyByValues(test::BytesColumn(values).view(), &c);
  return c;
}

std::vector<std::string_view> ClassValues(const std::vector<std::string>& values, const RowClasses& c) {
  std::vector<std::string_view> out;
  for (uint32_t row : c.first_row) out.push_back(values[row]);
  return out;
}

TEST(DependentCodecTest, ClassesAreNumberedByFirstRowFromValuesOrCodes) {
  const RowClasses by_values = ClassesOf({"b", "a", "b", "c", "a"});
  EXPECT_EQ(by_values.of_row, (std::vector<uint32_t>{0, 1, 0, 2, 1}));
  EXPECT_EQ(by_values.first_row, (std::vector<uint32_t>{0, 1, 3}));
  RowClasses by_codes;
  ClassifyByCodes(std::vector<uint32_t>{7, 2, 7, 40, 2}, &by_codes);  // any codes of equal values
  EXPECT_EQ(by_codes.of_row, by_values.of_row);
  EXPECT_EQ(by_codes.first_row, by_values.first_row);
}

TEST(DependentCodecTest, BytesRoundTripPlainAndInDictionaryForm) {
  const std::vector<std::string> service = {"cart", "ad", "cart", "email", "ad", "cart"};
  const std::vector<std::string> scope = {"com.cart", "ad.app", "com.cart", "ad.app", "ad.app", "com.cart"};
  const RowClasses reference = ClassesOf(service), own = ClassesOf(scope);
  std::string block;
  ASSERT_TRUE(EncodeDependentBytesColumn(own, ClassValues(scope, own), reference, 7, &block));
  uint32_t column;
  ASSERT_TRUE(ReferencedStoredColumn(block, &column).ok());
  EXPECT_EQ(column, 7u);

  std::vector<uint32_t> ends = {1};
  std::string data = "x";
  ASSERT_TRUE(DecodeDependentBytesColumn(block, reference, &ends, &data).ok());
  ASSERT_EQ(ends.size(), scope.size() + 1);
  for (size_t i = 0; i < scope.size(); ++i) EXPECT_EQ(data.substr(ends[i], ends[i + 1] - ends[i]), scope[i]);

  ends.clear();
  data.clear();
  std::vector<uint32_t> codes;
  ASSERT_TRUE(DecodeDependentBytesColumn(block, reference, &ends, &data, &codes).ok());
  ASSERT_EQ(ends.size(), 2u);  // the two distinct values
  ASSERT_EQ(codes.size(), scope.size());
  for (size_t i = 0; i < scope.size(); ++i) {
    const uint32_t b = codes[i] == 0 ? 0 : ends[codes[i] - 1];
    EXPECT_EQ(data.substr(b, ends[codes[i]] - b), scope[i]);
  }
}

TEST(DependentCodecTest, NotAFunctionOfTheReferenceIsRefused) {
  const std::vector<std::string> service = {"cart", "cart", "ad"};
  const std::vector<std::string> scope = {"one", "two", "three"};  // cart has two scopes
  const RowClasses own = ClassesOf(scope);
  std::string block;
  EXPECT_FALSE(EncodeDependentBytesColumn(own, ClassValues(scope, own), ClassesOf(service), 1, &block));
  EXPECT_FALSE(EncodeDependentFixedColumn(std::vector<uint64_t>{9, 10, 9}, ClassesOf(service), 1, &block));
  // Another row count is never a function either.
  EXPECT_FALSE(EncodeDependentFixedColumn(std::vector<uint64_t>{9, 9}, ClassesOf(service), 1, &block));
}

TEST(DependentCodecTest, ConditionalRoundTripPlainAndInDictionaryForm) {
  // Two pods of cart, one of ad: not a function of the service, but few
  // values with each.
  const std::vector<std::string> service = {"cart", "ad", "cart", "cart", "ad", "cart"};
  const std::vector<std::string> pod = {"cart-1", "ad-1", "cart-2", "cart-1", "ad-1", "cart-2"};
  const RowClasses reference = ClassesOf(service), own = ClassesOf(pod);
  std::string block;
  ASSERT_FALSE(EncodeDependentBytesColumn(own, ClassValues(pod, own), reference, 7, &block));
  ASSERT_TRUE(EncodeConditionalBytesColumn(own, ClassValues(pod, own), reference, 7, &block));
  uint32_t column;
  ASSERT_TRUE(ReferencedStoredColumn(block, &column).ok());
  EXPECT_EQ(column, 7u);
  for (bool dictionary_form : {false, true}) {
    std::vector<uint32_t> ends, codes;
    std::string data;
    ASSERT_TRUE(DecodeConditionalBytesColumn(block, reference, &ends, &data, dictionary_form ? &codes : nullptr).ok());
    for (size_t i = 0; i < pod.size(); ++i) {
      const size_t k = dictionary_form ? codes[i] : i;
      const uint32_t b = k == 0 ? 0 : ends[k - 1];
      EXPECT_EQ(data.substr(b, ends[k] - b), pod[i]) << "row " << i;
    }
    if (dictionary_form) {  // the distinct pods
      EXPECT_EQ(ends.size(), 3u);
    }
  }
}

TEST(DependentCodecTest, ConditionalGivesUpOnManyValuesPerClass) {
  std::vector<std::string> service, request;
  for (size_t i = 0; i <= kMaxConditionalValues; ++i) {
    service.push_back("cart");
    request.push_back("request-" + std::to_string(i));
  }
  const RowClasses own = ClassesOf(request);
  std::string block;
  EXPECT_FALSE(EncodeConditionalBytesColumn(own, ClassValues(request, own), ClassesOf(service), 1, &block));
  request.pop_back();
  service.pop_back();
  const RowClasses fewer = ClassesOf(request);
  EXPECT_TRUE(EncodeConditionalBytesColumn(fewer, ClassValues(request, fewer), ClassesOf(service), 1, &block));
}

TEST(DependentCodecTest, FixedRoundTrip) {
  const std::vector<std::string> severity = {"INFO", "ERROR", "INFO", "WARN"};
  const std::vector<uint64_t> number = {9, 17, 9, static_cast<uint64_t>(-13)};
  const RowClasses reference = ClassesOf(severity);
  std::string block;
  ASSERT_TRUE(EncodeDependentFixedColumn(number, reference, 5, &block));
  std::vector<uint64_t> out = {1};
  ASSERT_TRUE(DecodeDependentFixedColumn(block, reference, &out).ok());
  EXPECT_EQ(out, (std::vector<uint64_t>{1, 9, 17, 9, static_cast<uint64_t>(-13)}));
}

TEST(DependentCodecTest, RejectsMalformedBlocks) {
  const RowClasses reference = ClassesOf({"a", "b", "a"});  // two classes
  auto bytes_block = [](uint64_t entries, std::string lengths_and_bytes, uint64_t classes,
                        std::vector<uint64_t> indexes) {
    std::string b;
    PutVarint64(&b, 3);
    PutVarint64(&b, entries);
    b += lengths_and_bytes;
    PutVarint64(&b, classes);
    for (uint64_t i : indexes) PutVarint64(&b, i);
    return b;
  };
  auto decode = [&](const std::string& block) {
    std::vector<uint32_t> ends;
    std::string data;
    return DecodeDependentBytesColumn(block, reference, &ends, &data).code();
  };
  // The lengths first, then the bytes: "\x01\x01xy".
  ASSERT_EQ(decode(bytes_block(2, std::string("\x01\x01xy"), 2, {1, 0})), Status::Code::kOk);
  EXPECT_EQ(decode(bytes_block(2, std::string("\x01\x01xy"), 3, {1, 0, 0})), Status::Code::kCorruption);  // classes
  EXPECT_EQ(decode(bytes_block(2, std::string("\x01\x01xy"), 2, {1, 2})), Status::Code::kCorruption);     // index
  EXPECT_EQ(decode(bytes_block(2, std::string("\x01\x05xy"), 2, {1, 0})), Status::Code::kCorruption);     // length
  EXPECT_EQ(decode(bytes_block(2, std::string("\x01\x01xy"), 2, {1, 0}) + "z"), Status::Code::kCorruption);
  EXPECT_EQ(decode(bytes_block(2, std::string("\x01\x01xy"), 2, {1})), Status::Code::kCorruption);  // truncated
  EXPECT_EQ(decode(""), Status::Code::kCorruption);

  // Conditional: entries "x", "y"; class 0 sees [1], class 1 sees [0, 1];
  // rows a, b, a pick local indexes 0, 1, 0.
  auto conditional = [&](std::string lists, std::vector<uint64_t> rows) {
    std::string b = bytes_block(2, std::string("\x01\x01xy"), 2, {});
    b += lists;
    for (uint64_t r : rows) PutVarint64(&b, r);
    std::vector<uint32_t> ends;
    std::string data;
    Status st = DecodeConditionalBytesColumn(b, reference, &ends, &data);
    if (st.ok()) {
      EXPECT_EQ(data, "yyy");
    }
    return st.code();
  };
  EXPECT_EQ(conditional(std::string("\x01\x01\x02\x00\x01", 5), {0, 1, 0}), Status::Code::kOk);
  EXPECT_EQ(conditional(std::string("\x01\x01\x02\x00\x01", 5), {1, 1, 0}), Status::Code::kCorruption);
  EXPECT_EQ(conditional(std::string("\x01\x02\x02\x00\x01", 5), {0, 1, 0}), Status::Code::kCorruption);
  EXPECT_EQ(conditional(std::string("\x01\x01\x02\x00\x01", 5), {0, 1}), Status::Code::kCorruption);
  EXPECT_EQ(conditional(std::string("\x01\x01\x02\x00\x01", 5), {0, 1, 0, 0}), Status::Code::kCorruption);

  std::vector<uint64_t> out;
  std::string fixed;
  PutVarint64(&fixed, 3);
  PutVarint64(&fixed, 2);
  PutVarint64(&fixed, 9);
  EXPECT_EQ(DecodeDependentFixedColumn(fixed, reference, &out).code(), Status::Code::kCorruption);  // one value
  PutVarint64(&fixed, 17);
  EXPECT_TRUE(DecodeDependentFixedColumn(fixed, reference, &out).ok());
  EXPECT_EQ(DecodeDependentFixedColumn(fixed + "\x01", reference, &out).code(), Status::Code::kCorruption);
  std::vector<uint32_t> ends;
  std::string data;
  EXPECT_EQ(DecodeBytesColumn(ColumnEncoding::kBytesDependent, fixed, 3, &ends, &data).code(),
            Status::Code::kCorruption);  // needs the column it refers to
  EXPECT_EQ(DecodeFixedColumn(ColumnEncoding::kFixedDependent, fixed, 3, &out).code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace otelstack
