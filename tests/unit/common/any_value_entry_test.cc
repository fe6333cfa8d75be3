// AppendStringEntry, AppendBoolEntry, AppendIntEntry and AppendDoubleEntry,
// the decoders' one-append forms of AppendKey + AppendString (resp.
// AppendBool, AppendInt, AppendDouble): the same bytes for every length, on
// both sides of the one-byte length limit.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "common/any_value.h"

namespace otelstack {
namespace {

TEST(AnyValueEntryTest, StringEntryIsKeyThenStringValue) {
  for (size_t key_len : {0, 1, 13, 127, 128, 300}) {
    for (size_t value_len : {0, 1, 40, 127, 128, 5000}) {
      const std::string key(key_len, 'k'), value(value_len, 'v');
      std::string expected = "prefix", actual = "prefix";
      anyvalue::AppendKey(&expected, key);
      anyvalue::AppendString(&expected, value);
      anyvalue::AppendStringEntry(&actual, key, value);
      EXPECT_EQ(actual, expected) << "key " << key_len << ", value " << value_len;
    }
  }
}

TEST(AnyValueEntryTest, ScalarEntryIsKeyThenScalarValue) {
  for (size_t key_len : {0, 1, 13, 127, 128, 300}) {
    const std::string key(key_len, 'k');
    for (bool b : {false, true}) {
      std::string expected = "prefix", actual = "prefix";
      anyvalue::AppendKey(&expected, key);
      anyvalue::AppendBool(&expected, b);
      anyvalue::AppendBoolEntry(&actual, key, b);
      EXPECT_EQ(actual, expected) << "key " << key_len << ", bool " << b;
    }
    for (int64_t i : {int64_t{0}, int64_t{-1}, int64_t{63}, int64_t{-64}, int64_t{300},
                      std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
      std::string expected = "prefix", actual = "prefix";
      anyvalue::AppendKey(&expected, key);
      anyvalue::AppendInt(&expected, i);
      anyvalue::AppendIntEntry(&actual, key, i);
      EXPECT_EQ(actual, expected) << "key " << key_len << ", int " << i;
    }
    for (double d : {0.0, -2.5, 1e300, std::numeric_limits<double>::quiet_NaN()}) {
      std::string expected = "prefix", actual = "prefix";
      anyvalue::AppendKey(&expected, key);
      anyvalue::AppendDouble(&expected, d);
      anyvalue::AppendDoubleEntry(&actual, key, d);
      EXPECT_EQ(actual, expected) << "key " << key_len << ", double " << d;
    }
  }
}

// Entries read back as a kvlist's items.
TEST(AnyValueEntryTest, StringEntriesReadBackAsAMap) {
  std::string map;
  const size_t h = anyvalue::BeginKvList(&map);
  anyvalue::AppendStringEntry(&map, "http.method", "GET");
  anyvalue::AppendStringEntry(&map, "user.id", std::string(200, 'u'));
  anyvalue::EndList(&map, h, 2);
  anyvalue::Value v;
  ASSERT_TRUE(anyvalue::FindKey(map, "http.method", &v));
  EXPECT_EQ(v.tag, anyvalue::Tag::kString);
  EXPECT_EQ(v.str, "GET");
  ASSERT_TRUE(anyvalue::FindKey(map, "user.id", &v));
  EXPECT_EQ(v.str, std::string(200, 'u'));
}

}  // namespace
}  // namespace otelstack
