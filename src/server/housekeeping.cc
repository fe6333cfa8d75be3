#include "server/housekeeping.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <map>

namespace otelstack::server {

Housekeeping::Housekeeping(Services services)
    : services_(services), keys_thread_([this] { RunKeys(); }), retention_thread_([this] { RunRetention(); }) {}

Housekeeping::~Housekeeping() { Stop(); }

void Housekeeping::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (keys_thread_.joinable()) keys_thread_.join();
  if (retention_thread_.joinable()) retention_thread_.join();
}

bool Housekeeping::WaitASecond() {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
}

void Housekeeping::RunKeys() {
  std::map<int64_t, std::chrono::system_clock::time_point> last_audited;
  while (WaitASecond()) {
    Status s = services_.verifier->RefreshIfChanged();
    if (!s.ok()) spdlog::warn("refreshing ingestion keys: {}", s.ToString());
    for (const auto& [id, at] : services_.key_usage->TakePending()) {
      s = services_.keys->TouchLastUsed(id, at);
      if (!s.ok()) spdlog::warn("recording use of ingestion key {}: {}", id, s.ToString());
      auto [it, first] = last_audited.try_emplace(id, at);
      if (!first && at - it->second < std::chrono::minutes(1)) continue;
      it->second = at;
      audit::SessionEvent event;
      event.kind = audit::SessionEvent::Kind::kIngestionKeyUsed;
      event.detail = "ingestion key " + std::to_string(id);
      services_.audit->Record(event);
    }
  }
}

void Housekeeping::RunRetention() {
  constexpr auto kEnforceEvery = std::chrono::minutes(1);
  auto last_enforced = std::chrono::steady_clock::now();
  while (WaitASecond()) {
    if (!services_.retention->SettingsChanged() && std::chrono::steady_clock::now() - last_enforced < kEnforceEvery) {
      continue;
    }
    Status s = services_.retention->Apply();
    if (!s.ok()) spdlog::warn("retention: {}", s.ToString());
    s = services_.identity->DeleteSessionsEndedBefore(std::chrono::system_clock::now());
    if (!s.ok()) spdlog::warn("deleting ended sessions: {}", s.ToString());
    last_enforced = std::chrono::steady_clock::now();
  }
}

}  // namespace otelstack::server
