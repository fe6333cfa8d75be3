#include "auth/login_throttle.h"

#include <algorithm>

#include "auth/password_policy.h"

namespace otelstack::auth {

namespace {

// Stale entries dropped from the eviction end per recorded failure: enough to
// keep up with the insert rate, so idle keys do not accumulate.
constexpr int kStaleSweepPerRecord = 2;

std::chrono::seconds CeilSeconds(std::chrono::system_clock::duration d) {
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(d));
}

}  // namespace

LoginThrottle::FailureLog::FailureLog(size_t limit, std::chrono::seconds window, size_t max_keys)
    : limit_(std::max<size_t>(limit, 1)), window_(window), max_keys_(std::max<size_t>(max_keys, 1)) {}

bool LoginThrottle::FailureLog::Stale(const Entry& entry, std::chrono::system_clock::time_point now) const {
  return entry.failures.empty() || entry.failures.back() + window_ <= now;
}

std::optional<std::chrono::seconds> LoginThrottle::FailureLog::RetryAfter(const std::string& key,
                                                                          std::chrono::system_clock::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  const std::vector<std::chrono::system_clock::time_point>& failures = it->second.failures;
  if (failures.size() < limit_) return std::nullopt;
  // failures holds the last limit_ failures; the key is free once the oldest
  // of them leaves the window.
  std::chrono::system_clock::time_point free_at = failures.front() + window_;
  if (free_at <= now) return std::nullopt;
  return CeilSeconds(free_at - now);
}

void LoginThrottle::FailureLog::Record(const std::string& key, std::chrono::system_clock::time_point now) {
  for (int i = 0; i < kStaleSweepPerRecord && !lru_.empty(); ++i) {
    auto oldest = entries_.find(lru_.back());
    if (oldest->first == key || !Stale(oldest->second, now)) break;
    entries_.erase(oldest);
    lru_.pop_back();
  }
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= max_keys_) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = entries_.emplace(key, Entry{{}, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru_position);
  }
  std::vector<std::chrono::system_clock::time_point>& failures = it->second.failures;
  failures.push_back(now);
  if (failures.size() > limit_) failures.erase(failures.begin());
}

void LoginThrottle::FailureLog::Clear(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  lru_.erase(it->second.lru_position);
  entries_.erase(it);
}

LoginThrottle::LoginThrottle(meta::Clock clock, LoginThrottleOptions options)
    : clock_(std::move(clock)),
      accounts_(options.max_account_failures, options.account_window, options.max_tracked_accounts),
      addresses_(options.max_address_failures, options.address_window, options.max_tracked_addresses) {}

std::optional<std::chrono::seconds> LoginThrottle::RetryAfter(std::string_view account, std::string_view address) {
  const std::string account_key = NormalizeEmail(account);
  const std::string address_key(address);
  const std::chrono::system_clock::time_point now = clock_();
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<std::chrono::seconds> wait;
  if (!account_key.empty()) wait = accounts_.RetryAfter(account_key, now);
  if (!address_key.empty()) {
    std::optional<std::chrono::seconds> address_wait = addresses_.RetryAfter(address_key, now);
    if (address_wait && (!wait || *address_wait > *wait)) wait = address_wait;
  }
  return wait;
}

void LoginThrottle::RecordFailure(std::string_view account, std::string_view address) {
  const std::string account_key = NormalizeEmail(account);
  const std::string address_key(address);
  const std::chrono::system_clock::time_point now = clock_();
  std::lock_guard<std::mutex> lock(mu_);
  if (!account_key.empty()) accounts_.Record(account_key, now);
  if (!address_key.empty()) addresses_.Record(address_key, now);
}

void LoginThrottle::RecordSuccess(std::string_view account, std::string_view /*address*/) {
  const std::string account_key = NormalizeEmail(account);
  std::lock_guard<std::mutex> lock(mu_);
  accounts_.Clear(account_key);
}

size_t LoginThrottle::TrackedAccounts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return accounts_.size();
}

size_t LoginThrottle::TrackedAddresses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return addresses_.size();
}

}  // namespace otelstack::auth
