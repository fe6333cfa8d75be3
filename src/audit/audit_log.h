// AuditLog: the session_log and query_log of the app server, kept as
// OpenTelemetry log records in a store of their own at <data_dir>/audit.
//
// Each Record() encodes one event (audit/audit_record.h), decodes it with the
// OTLP decoder and appends it to the audit store, exactly as an export
// request would be; the store's WAL replay uses ingest::DecodeWalEntry, so a
// crash after a record was written to the WAL loses nothing. Admins search
// the store like any other (store() -> LoadSnapshot/Search), and the owner
// applies the logs retention to it (store().SetRetention(Signal::kLogs, ...),
// store().EnforceRetention(...)).
//
// Latency over durability: Record never waits for the WAL or fsync; the
// store acknowledges asynchronously. A record the store refuses (back-
// pressure, a failed WAL, a closed log) is dropped, counted in dropped() and
// reported through spdlog by event name only (never its content). Records
// acknowledged before a crash survive it; records still queued do not.
//
// Thread safety: Record, WaitForPending and the counters may be called from
// any thread, also concurrently with Close (a Record after Close is dropped).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "audit/audit_event.h"
#include "common/status.h"
#include "store/store.h"

namespace otelstack::audit {

// Told of every event as it is recorded (e.g. to count them for /metrics),
// on the recording thread, whether or not the store then keeps it. Must be
// cheap and thread-safe.
class AuditObserver {
 public:
  virtual ~AuditObserver() = default;
  virtual void OnSessionEvent(const SessionEvent& event) = 0;
  virtual void OnQueryEvent(const QueryEvent& event) = 0;
};

class AuditLog {
 public:
  // <data_dir>/audit
  static std::string StoreDir(const std::string& data_dir);

  // Opens (creating if needed) the audit store in StoreDir(data_dir), with
  // small memtable settings suited to a low-volume log.
  static StatusOr<std::unique_ptr<AuditLog>> Open(const std::string& data_dir, FsyncPolicy fsync);
  // Same with explicit store tuning; options.dir and options.decoder are
  // replaced (StoreDir(data_dir), ingest::DecodeWalEntry).
  static StatusOr<std::unique_ptr<AuditLog>> Open(const std::string& data_dir, StoreOptions options);

  ~AuditLog();  // Close()s, logging a failure
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  void Record(const SessionEvent& event);
  void Record(const QueryEvent& event);

  // `observer` (may be null; must outlive this log) sees every later Record.
  // Call before the log is shared with other threads.
  void SetObserver(AuditObserver* observer) { observer_ = observer; }

  // Blocks until no record is in flight: each one recorded so far is written
  // to the WAL (and, with FsyncPolicy::kAlways, synced) or dropped. May wait
  // longer while other threads keep recording. For shutdown and tests.
  void WaitForPending();

  // Stops recording, waits for records in flight, and closes the store
  // (everything acknowledged goes into parts). Idempotent.
  Status Close();

  uint64_t recorded() const { return recorded_.load(); }  // acknowledged by the store
  uint64_t dropped() const { return dropped_.load(); }

  Store& store() { return *store_; }

 private:
  explicit AuditLog(std::unique_ptr<Store> store);
  // Appends one encoded ExportLogsServiceRequest; `event_name` has static storage.
  void Submit(const std::string& body, uint64_t now_ns, std::string_view event_name);
  void Dropped(std::string_view event_name, const Status& why);
  void FinishPending();

  std::unique_ptr<Store> store_;
  AuditObserver* observer_ = nullptr;

  std::shared_mutex close_mu_;  // Submit holds it shared, Close exclusively
  bool closed_ = false;
  Status close_status_;

  std::mutex pending_mu_;
  std::condition_variable pending_cv_;
  uint64_t pending_ = 0;  // appended, `done` not yet run

  std::atomic<uint64_t> recorded_{0};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace otelstack::audit
