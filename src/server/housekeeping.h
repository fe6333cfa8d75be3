// Housekeeping: the server's periodic background work, on two threads so
// that a slow retention round (a large drop, ClickHouse timing out) never
// delays key changes.
//
//   keys (every second): picks up ingestion keys created, rotated or revoked
//     by another process or replica (KeyVerifier::RefreshIfChanged) and
//     records key uses: last_used_at in the metadata store, and a session_log
//     record at most once a minute per key (one per OTLP request would drown
//     the audit log);
//   retention (checked every second): applies retention when its settings
//     change and at least every minute, then deletes sessions that ended
//     (kept until then only for "last seen" displays).
//
// The threads start in the constructor and stop (joined) in Stop() or the
// destructor. The pointed-to objects must outlive the Housekeeping.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "audit/audit_log.h"
#include "meta/identity_repository.h"
#include "meta/ingestion_keys.h"
#include "meta/key_usage.h"
#include "meta/key_verifier.h"
#include "server/retention_keeper.h"

namespace otelstack::server {

class Housekeeping {
 public:
  struct Services {
    meta::KeyVerifier* verifier;
    meta::KeyUsage* key_usage;
    meta::IngestionKeys* keys;
    audit::AuditLog* audit;
    RetentionKeeper* retention;
    meta::IdentityRepository* identity;
  };

  explicit Housekeeping(Services services);
  ~Housekeeping();
  Housekeeping(const Housekeeping&) = delete;
  Housekeeping& operator=(const Housekeeping&) = delete;

  // Stops and joins both threads. Idempotent.
  void Stop();

 private:
  void RunKeys();
  void RunRetention();
  // Waits up to a second; false once Stop() was called.
  bool WaitASecond();

  const Services services_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread keys_thread_;
  std::thread retention_thread_;
};

}  // namespace otelstack::server
