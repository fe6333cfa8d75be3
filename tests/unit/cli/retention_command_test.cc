#include "cli/retention_command.h"

#include <gtest/gtest.h>

namespace otelstack::cli {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseRetentionTest, AcceptsDurationsAndZero) {
  EXPECT_EQ(*ParseRetention("72h"), hours(72));
  EXPECT_EQ(*ParseRetention("3d"), hours(72));
  EXPECT_EQ(*ParseRetention("90m"), minutes(90));
  EXPECT_EQ(*ParseRetention("3600s"), hours(1));
  EXPECT_EQ(*ParseRetention("3600"), hours(1)) << "no unit: seconds";
  EXPECT_EQ(*ParseRetention("0"), seconds(0)) << "keep forever";
  EXPECT_EQ(*ParseRetention("0d"), seconds(0));
}

TEST(ParseRetentionTest, RejectsGarbageAndTinyValues) {
  for (const char* bad : {"", "abc", "-1h", "3w", "72 h", "1500ms", "30s", "59s"}) {
    auto r = ParseRetention(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << bad;
    }
  }
}

}  // namespace
}  // namespace otelstack::cli
