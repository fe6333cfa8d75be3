// KeyUsage: remembers which ingestion keys were used, cheaply on the request
// path, so that a background task can record `last_used_at` in the metadata
// store at most once per key per interval (not one write per request).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "meta/ingestion_key_repository.h"

namespace otelstack::meta {

class KeyUsage {
 public:
  explicit KeyUsage(std::chrono::seconds interval = std::chrono::seconds(60)) : interval_(interval) {}

  // Notes a use of key `id` at `now`. Thread-safe; one short lock.
  void Record(int64_t id, TimePoint now);

  // Uses to persist: for each key, the latest use not yet taken, if the
  // previous one taken for that key is at least `interval` older.
  std::vector<std::pair<int64_t, TimePoint>> TakePending();

 private:
  struct Entry {
    TimePoint latest{};
    TimePoint last_taken{};
    bool pending = false;
  };
  const std::chrono::seconds interval_;
  std::mutex mu_;
  std::unordered_map<int64_t, Entry> keys_;
};

}  // namespace otelstack::meta
