#include "meta/key_usage.h"

#include <gtest/gtest.h>

namespace otelstack::meta {
namespace {

using std::chrono::seconds;

TEST(KeyUsageTest, ReportsEachKeyAtMostOncePerInterval) {
  KeyUsage usage(seconds(60));
  TimePoint t0 = TimePoint() + seconds(1000);
  EXPECT_TRUE(usage.TakePending().empty());
  usage.Record(1, t0);
  usage.Record(1, t0 + seconds(5));
  usage.Record(2, t0 + seconds(1));
  auto first = usage.TakePending();
  ASSERT_EQ(first.size(), 2u);
  for (auto& [id, at] : first) EXPECT_EQ(at, id == 1 ? t0 + seconds(5) : t0 + seconds(1));
  EXPECT_TRUE(usage.TakePending().empty());  // nothing new
  usage.Record(1, t0 + seconds(30));
  EXPECT_TRUE(usage.TakePending().empty());  // within the interval of the last report
  usage.Record(1, t0 + seconds(70));
  auto later = usage.TakePending();
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0], std::make_pair(int64_t{1}, t0 + seconds(70)));
}

}  // namespace
}  // namespace otelstack::meta
