#include "auth/login_throttle.h"

#include <gtest/gtest.h>

#include "fake_identity_repository.h"

namespace otelstack::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class LoginThrottleTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
};

TEST_F(LoginThrottleTest, BlocksAccountAfterFiveFailures) {
  LoginThrottle throttle(clock_.AsClock());
  for (int i = 0; i < 4; ++i) {
    throttle.RecordFailure("alice@example.com", "192.0.2.1");
    clock_.Advance(seconds(10));
  }
  EXPECT_FALSE(throttle.RetryAfter("alice@example.com", "192.0.2.1").has_value());
  throttle.RecordFailure("alice@example.com", "192.0.2.1");
  // First failure was 40 s ago: free once it leaves the 15-minute window.
  EXPECT_EQ(throttle.RetryAfter("alice@example.com", "192.0.2.1"), seconds(15 * 60 - 40));
  // The account is blocked from any address, and other accounts are not.
  EXPECT_EQ(throttle.RetryAfter("alice@example.com", "198.51.100.7"), seconds(15 * 60 - 40));
  EXPECT_FALSE(throttle.RetryAfter("bob@example.com", "192.0.2.1").has_value());

  clock_.Advance(seconds(15 * 60 - 41));
  EXPECT_EQ(throttle.RetryAfter("alice@example.com", "192.0.2.1"), seconds(1));
  clock_.Advance(seconds(1));
  EXPECT_FALSE(throttle.RetryAfter("alice@example.com", "192.0.2.1").has_value());
}

TEST_F(LoginThrottleTest, RetryAfterRoundsUpToWholeSeconds) {
  LoginThrottle throttle(clock_.AsClock(), {.max_account_failures = 1, .account_window = seconds(10)});
  throttle.RecordFailure("a@x.io", "");
  clock_.Advance(std::chrono::milliseconds(9500));
  EXPECT_EQ(throttle.RetryAfter("a@x.io", ""), seconds(1));
}

TEST_F(LoginThrottleTest, AccountKeyIsNormalizedEmail) {
  LoginThrottle throttle(clock_.AsClock());
  for (int i = 0; i < 5; ++i) throttle.RecordFailure(i % 2 ? " Alice@Example.com" : "alice@example.COM", "");
  EXPECT_TRUE(throttle.RetryAfter("alice@example.com", "").has_value());
}

TEST_F(LoginThrottleTest, SuccessClearsAccountButNotAddress) {
  LoginThrottleOptions options;
  options.max_address_failures = 6;
  LoginThrottle throttle(clock_.AsClock(), options);
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("alice@example.com", "192.0.2.1");
  throttle.RecordSuccess("alice@example.com", "192.0.2.1");
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("alice@example.com", "192.0.2.1");
  EXPECT_FALSE(throttle.RetryAfter("alice@example.com", "198.51.100.7").has_value());  // account count restarted
  // The address has 8 failures: over its limit of 6, whatever the account.
  EXPECT_TRUE(throttle.RetryAfter("carol@example.com", "192.0.2.1").has_value());
}

TEST_F(LoginThrottleTest, PerAddressLimitAcrossAccounts) {
  LoginThrottle throttle(clock_.AsClock());
  for (int i = 0; i < 19; ++i) throttle.RecordFailure("user" + std::to_string(i) + "@example.com", "192.0.2.1");
  EXPECT_FALSE(throttle.RetryAfter("new@example.com", "192.0.2.1").has_value());
  throttle.RecordFailure("user19@example.com", "192.0.2.1");
  EXPECT_EQ(throttle.RetryAfter("new@example.com", "192.0.2.1"), seconds(15 * 60));
  EXPECT_FALSE(throttle.RetryAfter("new@example.com", "192.0.2.2").has_value());
}

TEST_F(LoginThrottleTest, ReportsTheLongerWait) {
  LoginThrottle throttle(clock_.AsClock(), {.max_account_failures = 1,
                                            .account_window = minutes(1),
                                            .max_address_failures = 1,
                                            .address_window = minutes(10)});
  throttle.RecordFailure("a@x.io", "192.0.2.1");
  EXPECT_EQ(throttle.RetryAfter("a@x.io", "192.0.2.1"), minutes(10));
  EXPECT_EQ(throttle.RetryAfter("a@x.io", "192.0.2.9"), minutes(1));
}

TEST_F(LoginThrottleTest, MemoryIsBounded) {
  LoginThrottleOptions options;
  options.max_tracked_accounts = 100;
  options.max_tracked_addresses = 50;
  LoginThrottle throttle(clock_.AsClock(), options);
  for (int i = 0; i < 1000; ++i) {
    throttle.RecordFailure("user" + std::to_string(i) + "@example.com", "10.0.0." + std::to_string(i));
  }
  EXPECT_EQ(throttle.TrackedAccounts(), 100u);
  EXPECT_EQ(throttle.TrackedAddresses(), 50u);
  // The most recent keys are the ones kept.
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("user999@example.com", "");
  EXPECT_TRUE(throttle.RetryAfter("user999@example.com", "").has_value());
}

TEST_F(LoginThrottleTest, StaleEntriesAreDropped) {
  LoginThrottle throttle(clock_.AsClock());
  for (int i = 0; i < 10; ++i) throttle.RecordFailure("user" + std::to_string(i) + "@example.com", "192.0.2.1");
  EXPECT_EQ(throttle.TrackedAccounts(), 10u);
  clock_.Advance(minutes(16));
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("late@example.com", "192.0.2.2");
  // Each failure sweeps up to two stale keys.
  EXPECT_EQ(throttle.TrackedAccounts(), 1u);
  EXPECT_EQ(throttle.TrackedAddresses(), 1u);
}

TEST_F(LoginThrottleTest, EmptyKeysAreNotTracked) {
  LoginThrottle throttle(clock_.AsClock());
  for (int i = 0; i < 50; ++i) throttle.RecordFailure("", "");
  EXPECT_EQ(throttle.TrackedAccounts(), 0u);
  EXPECT_EQ(throttle.TrackedAddresses(), 0u);
  EXPECT_FALSE(throttle.RetryAfter("", "").has_value());
}

}  // namespace
}  // namespace otelstack::auth
