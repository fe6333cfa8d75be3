// AppendAnyText renders numbers without a JSON writer (it runs for every
// attribute value the token index sees). Its text must stay exactly what the
// JSON rendering gives: parts written before the fast path were indexed with
// that text, and searches compare against it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "common/any_value.h"
#include "common/any_value_json.h"

namespace otelstack::anyvalue {
namespace {

std::string Text(const Value& v) {
  std::string out;
  EXPECT_TRUE(AppendAnyText(v, &out).ok());
  return out;
}

// The text the JSON writer gives for `v`, without the quotes it puts around
// NaN and Infinity.
std::string JsonText(const Value& v) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  EXPECT_TRUE(WriteAnyJson(w, v).ok());
  std::string json(buffer.GetString(), buffer.GetSize());
  if (json.size() >= 2 && json.front() == '"') json = json.substr(1, json.size() - 2);
  return json;
}

Value DoubleValue(double d) {
  Value v;
  v.tag = Tag::kDouble;
  v.d = d;
  return v;
}

Value IntValue(int64_t i) {
  Value v;
  v.tag = Tag::kInt;
  v.i = i;
  return v;
}

TEST(AnyValueText, DoublesMatchTheJsonRendering) {
  const double edge[] = {0.0,
                         -0.0,
                         1.0,
                         -1.5,
                         0.1,
                         123.456,
                         1e21,
                         1e-7,
                         5e-324,
                         std::numeric_limits<double>::max(),
                         std::numeric_limits<double>::lowest(),
                         std::numeric_limits<double>::min(),
                         std::nan(""),
                         std::numeric_limits<double>::infinity(),
                         -std::numeric_limits<double>::infinity()};
  for (double d : edge) EXPECT_EQ(Text(DoubleValue(d)), JsonText(DoubleValue(d))) << d;
  EXPECT_EQ(Text(DoubleValue(2.5)), "2.5");
  EXPECT_EQ(Text(DoubleValue(3.0)), "3.0");
  EXPECT_EQ(Text(DoubleValue(-std::numeric_limits<double>::infinity())), "-Infinity");

  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> durations(3.0, 1.0);
  for (int i = 0; i < 20000; ++i) {
    uint64_t bits = rng();  // any bit pattern, including NaNs and subnormals
    double d;
    std::memcpy(&d, &bits, sizeof d);
    ASSERT_EQ(Text(DoubleValue(d)), JsonText(DoubleValue(d))) << "bits " << bits;
    double ms = durations(rng);
    ASSERT_EQ(Text(DoubleValue(ms)), JsonText(DoubleValue(ms))) << ms;
  }
}

TEST(AnyValueText, IntegersAreDecimal) {
  const int64_t values[] = {
      0, 1, -1, 200, -404, std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};
  for (int64_t i : values) EXPECT_EQ(Text(IntValue(i)), std::to_string(i));
}

}  // namespace
}  // namespace otelstack::anyvalue
