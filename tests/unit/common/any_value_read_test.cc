// ReadScalar, ReadValue's inline path for values that are not lists: the same
// value and the same bytes consumed as ReadValue for every scalar kind, and
// nothing consumed when it declines (lists, unknown tags, truncation), so
// that the caller can fall back on ReadValue.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/any_value.h"

namespace otelstack {
namespace {

std::vector<std::string> Scalars() {
  std::vector<std::string> out(7);
  anyvalue::AppendEmpty(&out[0]);
  anyvalue::AppendString(&out[1], "GET /api/v1/orders");
  anyvalue::AppendString(&out[2], std::string(300, 's'));  // two-byte length
  anyvalue::AppendBytes(&out[3], std::string("\x00\xff", 2));
  anyvalue::AppendBool(&out[4], true);
  anyvalue::AppendInt(&out[5], -1234567890123);
  anyvalue::AppendDouble(&out[6], 12.5);
  return out;
}

TEST(AnyValueReadTest, ScalarsReadAsReadValueReadsThem) {
  for (const std::string& encoded : Scalars()) {
    const std::string bytes = encoded + "next";
    std::string_view fast = bytes, slow = bytes;
    anyvalue::Value a, b;
    ASSERT_TRUE(anyvalue::ReadScalar(&fast, &a)) << encoded.size();
    ASSERT_TRUE(anyvalue::ReadValue(&slow, &b).ok());
    EXPECT_EQ(fast, "next");
    EXPECT_EQ(slow, "next");
    EXPECT_EQ(a.tag, b.tag);
    EXPECT_EQ(a.str, b.str);
    EXPECT_EQ(a.b, b.b);
    EXPECT_EQ(a.i, b.i);
    EXPECT_EQ(a.d, b.d);
  }
}

TEST(AnyValueReadTest, DeclinesListsUnknownTagsAndTruncationWithoutConsuming) {
  std::string list;
  const size_t h = anyvalue::BeginArray(&list);
  anyvalue::AppendInt(&list, 1);
  anyvalue::EndList(&list, h, 1);
  std::vector<std::string> declined = {list, "", std::string(1, '\x7f')};
  for (const std::string& encoded : Scalars()) {
    if (encoded.size() > 1) declined.push_back(encoded.substr(0, encoded.size() - 1));  // truncated
  }
  for (const std::string& bytes : declined) {
    std::string_view in = bytes;
    anyvalue::Value v;
    EXPECT_FALSE(anyvalue::ReadScalar(&in, &v)) << bytes.size();
    EXPECT_EQ(in.size(), bytes.size());
  }
  std::string_view in = list;
  anyvalue::Value v;
  ASSERT_TRUE(anyvalue::ReadValue(&in, &v).ok());  // the fallback reads the list
  EXPECT_EQ(v.count, 1u);
  EXPECT_TRUE(in.empty());
}

}  // namespace
}  // namespace otelstack
