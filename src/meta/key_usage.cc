#include "meta/key_usage.h"

namespace otelstack::meta {

void KeyUsage::Record(int64_t id, TimePoint now) {
  std::lock_guard<std::mutex> lk(mu_);
  Entry& e = keys_[id];
  if (now > e.latest) e.latest = now;
  e.pending = true;
}

std::vector<std::pair<int64_t, TimePoint>> KeyUsage::TakePending() {
  std::vector<std::pair<int64_t, TimePoint>> out;
  std::lock_guard<std::mutex> lk(mu_);
  for (auto& [id, e] : keys_) {
    if (!e.pending || e.latest - e.last_taken < interval_) continue;
    out.emplace_back(id, e.latest);
    e.last_taken = e.latest;
    e.pending = false;
  }
  return out;
}

}  // namespace otelstack::meta
