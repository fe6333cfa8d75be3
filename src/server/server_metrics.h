// ServerMetrics: what the internal listener's /metrics exposes, in the
// Prometheus text format (prometheus-cpp builds and serializes it).
//
// Two kinds of values:
//   - read at scrape time from counters the components keep anyway (OTLP
//     requests, records and rejections by reason from the IngestService;
//     memtable, backlog, WAL size, parts, flushes and merges of each store),
//     so the hot paths pay nothing for /metrics;
//   - recorded as events happen, through audit::AuditObserver: query
//     durations (histogram by kind), queries by kind and outcome, session
//     events (logins, failed logins, logouts, key uses, ...).
// Names carry the `otelstack_` prefix; counters end in `_total`, sizes in
// `_bytes`, durations in `_seconds`.
//
// Thread safety: every method may be called from any thread (the internal
// listener serves /metrics from before the store is open).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "ingest/ingest_service.h"
#include "store/store.h"

namespace prometheus {
class Registry;
template <typename T>
class Family;
class Counter;
class Histogram;
}  // namespace prometheus

namespace otelstack::server {

class ServerMetrics : public audit::AuditObserver {
 public:
  ServerMetrics();
  ~ServerMetrics() override;

  // The pointed-to objects must outlive every later Render.
  void WatchIngest(const ingest::IngestService* ingest);
  // `name` is the value of the `store` label ("telemetry", "audit").
  void WatchStore(std::string name, const Store* store);
  // Forgets every watched source (before they are destroyed).
  void Unwatch();

  // 1 while the server accepts data (see InternalServer's /ready).
  void SetReady(bool ready) { ready_.store(ready, std::memory_order_release); }
  bool ready() const { return ready_.load(std::memory_order_acquire); }

  // The exposition: text format version 0.0.4.
  std::string Render() const;

  void OnSessionEvent(const audit::SessionEvent& event) override;
  void OnQueryEvent(const audit::QueryEvent& event) override;

 private:
  struct WatchedStore {
    std::string name;
    const Store* store;
  };

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Histogram>* query_seconds_;
  prometheus::Family<prometheus::Counter>* queries_;
  prometheus::Family<prometheus::Counter>* session_events_;
  mutable std::mutex mu_;  // guards the watched sources
  const ingest::IngestService* ingest_ = nullptr;
  std::vector<WatchedStore> stores_;
  std::atomic<bool> ready_{false};
};

// Bytes of the WAL segments under a store directory (<dir>/wal/*.wal); 0
// when there are none or the directory cannot be read.
uint64_t WalBytes(const std::string& store_dir);

}  // namespace otelstack::server
