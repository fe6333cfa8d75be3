#include "auth/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "fake_identity_repository.h"

namespace otelstack::auth {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(RateLimiter, RefusesThe101stRequestInAMinute) {
  testing::FakeClock clock;
  RateLimiter limiter(clock.AsClock());
  for (int i = 0; i < 100; ++i) ASSERT_FALSE(limiter.Acquire(7).has_value()) << i;
  std::optional<seconds> wait = limiter.Acquire(7);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, seconds(1));  // 0.6 s to refill one token, rounded up
  // Other keys have their own bucket.
  EXPECT_FALSE(limiter.Acquire(8).has_value());
}

TEST(RateLimiter, Refills) {
  testing::FakeClock clock;
  RateLimiter limiter(clock.AsClock());
  for (int i = 0; i < 100; ++i) ASSERT_FALSE(limiter.Acquire(1).has_value());
  ASSERT_TRUE(limiter.Acquire(1).has_value());
  clock.Advance(milliseconds(600));  // one token
  EXPECT_FALSE(limiter.Acquire(1).has_value());
  EXPECT_TRUE(limiter.Acquire(1).has_value());
  clock.Advance(minutes(5));  // full again, not more than capacity
  for (int i = 0; i < 100; ++i) ASSERT_FALSE(limiter.Acquire(1).has_value()) << i;
  EXPECT_TRUE(limiter.Acquire(1).has_value());
}

TEST(RateLimiter, RetryAfterCoversTheWait) {
  testing::FakeClock clock;
  RateLimiter limiter(clock.AsClock(), {.capacity = 2, .period = seconds(20)});
  ASSERT_FALSE(limiter.Acquire(1).has_value());
  ASSERT_FALSE(limiter.Acquire(1).has_value());
  std::optional<seconds> wait = limiter.Acquire(1);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, seconds(10));
  clock.Advance(*wait - seconds(1));
  EXPECT_TRUE(limiter.Acquire(1).has_value());
  clock.Advance(seconds(1));
  EXPECT_FALSE(limiter.Acquire(1).has_value());
}

TEST(RateLimiter, MemoryIsBounded) {
  testing::FakeClock clock;
  RateLimiter limiter(clock.AsClock(), {.capacity = 100, .period = minutes(1), .max_tracked_keys = 10});
  for (int64_t key = 0; key < 1000; ++key) ASSERT_FALSE(limiter.Acquire(key).has_value());
  EXPECT_EQ(limiter.TrackedKeys(), 10u);
  clock.Advance(minutes(2));
  for (int i = 0; i < 10; ++i) limiter.Acquire(5000);
  EXPECT_EQ(limiter.TrackedKeys(), 1u);  // full buckets are dropped
}

TEST(RateLimiter, ThreadSafe) {
  testing::FakeClock clock;
  RateLimiter limiter(clock.AsClock());
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (!limiter.Acquire(42).has_value()) ++allowed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 100);
}

}  // namespace
}  // namespace otelstack::auth
