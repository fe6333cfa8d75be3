// Per-key request rate limit for callers authenticated by a personal access
// key (the key id is the bucket).
//
// Token bucket: each key has a bucket of `capacity` tokens (default 100),
// refilled continuously at capacity per `period` (default one minute); a
// request takes one token. So a key may burst up to 100 requests at once and
// sustain 100 per minute; after a burst of 100, the 101st request is refused
// until enough time has passed to refill one token (0.6 s by default,
// reported as 1 s: Retry-After has whole seconds).
//
// Memory is bounded: a bucket untouched for a whole period is full, which is
// the same as having no bucket, so such buckets are dropped; beyond
// max_tracked_keys the least recently used bucket is evicted (its key starts
// over with a full bucket: only ever more lenient). In-memory and per
// process. Thread-safe. A clock that goes backwards refills nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "meta/clock.h"

namespace otelstack::auth {

struct RateLimiterOptions {
  size_t capacity = 100;
  std::chrono::seconds period = std::chrono::minutes(1);
  size_t max_tracked_keys = 100000;
};

class RateLimiter {
 public:
  explicit RateLimiter(meta::Clock clock, RateLimiterOptions options = {});

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes a token for `key`: nullopt if the request may proceed, otherwise
  // how long until a token is available (at least one second).
  std::optional<std::chrono::seconds> Acquire(int64_t key);

  size_t TrackedKeys() const;  // for tests and metrics

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::system_clock::time_point updated;
    std::list<int64_t>::iterator lru_position;
  };

  const meta::Clock clock_;
  const RateLimiterOptions options_;
  const double tokens_per_second_;
  mutable std::mutex mu_;
  std::unordered_map<int64_t, Bucket> buckets_;  // guarded by mu_
  std::list<int64_t> lru_;                       // guarded by mu_; front: most recently used
};

}  // namespace otelstack::auth
