#include "auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace otelstack::auth {

namespace {

constexpr int kStaleSweepPerAcquire = 2;

}  // namespace

RateLimiter::RateLimiter(meta::Clock clock, RateLimiterOptions options)
    : clock_(std::move(clock)),
      options_{std::max<size_t>(options.capacity, 1), std::max(options.period, std::chrono::seconds(1)),
               std::max<size_t>(options.max_tracked_keys, 1)},
      tokens_per_second_(static_cast<double>(options_.capacity) / static_cast<double>(options_.period.count())) {}

std::optional<std::chrono::seconds> RateLimiter::Acquire(int64_t key) {
  const std::chrono::system_clock::time_point now = clock_();
  const double capacity = static_cast<double>(options_.capacity);
  std::lock_guard<std::mutex> lock(mu_);

  // Drop buckets that have refilled completely: they behave like absent ones.
  for (int i = 0; i < kStaleSweepPerAcquire && !lru_.empty(); ++i) {
    auto oldest = buckets_.find(lru_.back());
    if (oldest->first == key || now - oldest->second.updated < options_.period) break;
    buckets_.erase(oldest);
    lru_.pop_back();
  }

  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_tracked_keys) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    it = buckets_.emplace(key, Bucket{capacity, now, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru_position);
  }

  Bucket& bucket = it->second;
  if (now > bucket.updated) {
    double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(capacity, bucket.tokens + elapsed * tokens_per_second_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  double wait = (1.0 - bucket.tokens) / tokens_per_second_;
  return std::chrono::seconds(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait))));
}

size_t RateLimiter::TrackedKeys() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

}  // namespace otelstack::auth
