// Slows down password guessing: after too many failed logins for an account,
// or from a client address, further attempts are refused for a while.
//
// A key (account or address) is blocked while it has at least `limit`
// failures within the last `window`; RetryAfter says when the oldest of
// those leaves the window. Defaults: 5 failures per account and 20 per
// address in 15 minutes. A successful login clears the account's failures
// but not the address's, so an attacker cannot reset an address's count by
// logging into an account of their own.
//
// Callers check RetryAfter before verifying the password (and answer 429 with
// Retry-After when blocked), then record the outcome. Accounts are keyed by
// NormalizeEmail(account), so "Bob@x.io " and "bob@x.io" share a count;
// unknown accounts are counted like real ones (no user enumeration). Empty
// keys are not tracked.
//
// Memory is bounded: each key keeps at most `limit` timestamps, entries whose
// failures have all left the window are dropped, and each map holds at most
// max_tracked_* keys; beyond that the least recently failing key is evicted
// (which can only make the throttle more lenient for that key, never block
// anyone who has not failed). In-memory: state is per process and lost on
// restart. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "meta/clock.h"

namespace otelstack::auth {

struct LoginThrottleOptions {
  size_t max_account_failures = 5;
  std::chrono::seconds account_window = std::chrono::minutes(15);
  size_t max_address_failures = 20;
  std::chrono::seconds address_window = std::chrono::minutes(15);
  size_t max_tracked_accounts = 100000;
  size_t max_tracked_addresses = 100000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(meta::Clock clock, LoginThrottleOptions options = {});

  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  // nullopt if an attempt is allowed now; otherwise how long to wait (at least
  // one second), the longer of the account's and the address's waits.
  std::optional<std::chrono::seconds> RetryAfter(std::string_view account, std::string_view address);

  void RecordFailure(std::string_view account, std::string_view address);

  // Clears the account's failures (not the address's).
  void RecordSuccess(std::string_view account, std::string_view address);

  // Number of keys currently held, for tests and metrics.
  size_t TrackedAccounts() const;
  size_t TrackedAddresses() const;

 private:
  // Failure timestamps per key, with least-recently-failing eviction.
  class FailureLog {
   public:
    FailureLog(size_t limit, std::chrono::seconds window, size_t max_keys);
    std::optional<std::chrono::seconds> RetryAfter(const std::string& key, std::chrono::system_clock::time_point now);
    void Record(const std::string& key, std::chrono::system_clock::time_point now);
    void Clear(const std::string& key);
    size_t size() const { return entries_.size(); }

   private:
    struct Entry {
      std::vector<std::chrono::system_clock::time_point> failures;  // oldest first, at most limit_
      std::list<std::string>::iterator lru_position;
    };
    bool Stale(const Entry& entry, std::chrono::system_clock::time_point now) const;

    const size_t limit_;
    const std::chrono::seconds window_;
    const size_t max_keys_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> lru_;  // front: most recent failure
  };

  const meta::Clock clock_;
  mutable std::mutex mu_;
  FailureLog accounts_;   // guarded by mu_
  FailureLog addresses_;  // guarded by mu_
};

}  // namespace otelstack::auth
