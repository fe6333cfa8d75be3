#include "otlp/proto_wire.h"

#include <gtest/gtest.h>

#include "otlp_test_util.h"

namespace otelstack::otlp::wire {
namespace {

using otlp::testing::Pb;

std::vector<Field> ReadAll(std::string_view msg, const char** error) {
  Reader reader(msg);
  std::vector<Field> fields;
  Field f;
  while (reader.Next(&f)) fields.push_back(f);
  *error = reader.error();
  return fields;
}

TEST(ProtoWireTest, ReadsEveryWireType) {
  Pb m;
  m.Varint(1, 300).Fixed64(2, 0x0102030405060708ull).Fixed32(3, 0xdeadbeef).Bytes(4, "abc").Sint(5, -7);
  const char* error;
  auto fields = ReadAll(m.str(), &error);
  EXPECT_EQ(error, nullptr);
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[0].number, 1u);
  EXPECT_EQ(fields[0].type, WireType::kVarint);
  EXPECT_EQ(fields[0].value, 300u);
  EXPECT_EQ(fields[1].type, WireType::kFixed64);
  EXPECT_EQ(fields[1].value, 0x0102030405060708ull);
  EXPECT_EQ(fields[2].type, WireType::kFixed32);
  EXPECT_EQ(fields[2].value, 0xdeadbeefu);
  EXPECT_EQ(fields[3].type, WireType::kLen);
  EXPECT_EQ(fields[3].bytes, "abc");
  EXPECT_EQ(Sint32Of(fields[4]), -7);
}

TEST(ProtoWireTest, GroupsAreYieldedWhole) {
  Pb m;
  m.Unknowns().Varint(7, 1);
  const char* error;
  auto fields = ReadAll(m.str(), &error);
  EXPECT_EQ(error, nullptr);
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields[4].type, WireType::kStartGroup);
  EXPECT_EQ(fields[4].number, 904u);
  EXPECT_EQ(fields[5].number, 7u);
}

TEST(ProtoWireTest, MalformedInputs) {
  struct Case {
    std::string bytes;
    const char* why;
  };
  const Case cases[] = {
      {"\x08", "truncated varint"},
      {std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12), "overlong varint"},
      {"\x09\x01\x02", "truncated fixed64"},
      {"\x0d\x01", "truncated fixed32"},
      {"\x0a\x05"
       "ab",
       "length past end"},
      {std::string("\x00\x01", 2), "field number 0"},
      {"\x0e", "wire type 6"},
      {"\x0f", "wire type 7"},
      {"\x0c", "stray end group"},
      {"\x0b\x08\x01", "unterminated group"},
      {"\x0b\x14", "mismatched end group"},
      {std::string("\x80\x80\x80\x80\x80\x01", 6), "tag over 32 bits"},
  };
  for (const Case& c : cases) {
    const char* error;
    ReadAll(c.bytes, &error);
    EXPECT_NE(error, nullptr) << c.why;
  }
}

TEST(ProtoWireTest, DeeplyNestedGroupsAreBounded) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "\x0b";  // field 1 start group
  for (int i = 0; i < 100; ++i) deep += "\x0c";
  const char* error;
  ReadAll(deep, &error);
  ASSERT_NE(error, nullptr);
  EXPECT_STREQ(error, "groups nested too deeply");
}

}  // namespace
}  // namespace otelstack::otlp::wire
