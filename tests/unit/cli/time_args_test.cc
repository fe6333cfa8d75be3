#include "cli/time_args.h"

#include <gtest/gtest.h>

namespace otelstack::cli {
namespace {

TEST(TimeArgsTest, Durations) {
  EXPECT_EQ(ParseDuration("90s")->count(), 90'000'000'000);
  EXPECT_EQ(ParseDuration("15m")->count(), 900'000'000'000);
  EXPECT_EQ(ParseDuration("24h")->count(), 86'400'000'000'000);
  EXPECT_EQ(ParseDuration("7d")->count(), 7 * 86'400'000'000'000);
  EXPECT_EQ(ParseDuration("250ms")->count(), 250'000'000);
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("m").ok());
  EXPECT_FALSE(ParseDuration("5w").ok());
}

TEST(TimeArgsTest, Times) {
  EXPECT_EQ(*ParseTimeNanos("0"), 0u);
  EXPECT_EQ(*ParseTimeNanos("1763765000"), 1763765000'000000000u);
  EXPECT_EQ(*ParseTimeNanos("2025-11-21T22:43:20Z"), 1763765000'000000000u);
  EXPECT_EQ(*ParseTimeNanos("2025-11-21T22:43:20.5Z"), 1763765000'500000000u);
  EXPECT_EQ(*ParseTimeNanos("2025-11-21T23:43:20+01:00"), 1763765000'000000000u);
  EXPECT_EQ(*ParseTimeNanos("2025-11-21"), 1763683200'000000000u);
  EXPECT_FALSE(ParseTimeNanos("yesterday").ok());
  EXPECT_FALSE(ParseTimeNanos("2025-11-21T22:43:20Zjunk").ok());
}

}  // namespace
}  // namespace otelstack::cli
