#include "audit/audit_log.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "audit/audit_record.h"
#include "ingest/ingest_service.h"
#include "otlp/decode.h"

namespace otelstack::audit {

std::string AuditLog::StoreDir(const std::string& data_dir) { return data_dir + "/audit"; }

StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& data_dir, FsyncPolicy fsync) {
  StoreOptions options;
  options.fsync = fsync;
  // A few records a second at most: small memtables, flushed by age.
  options.memtable_flush_bytes = 8u << 20;
  options.max_unflushed_bytes = 64u << 20;
  return Open(data_dir, std::move(options));
}

StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& data_dir, StoreOptions options) {
  options.dir = StoreDir(data_dir);
  options.decoder = ingest::DecodeWalEntry;
  std::unique_ptr<Store> store;
  Status s = Store::Open(std::move(options), &store);
  if (!s.ok()) return s.WithContext("audit log");
  return std::unique_ptr<AuditLog>(new AuditLog(std::move(store)));
}

AuditLog::AuditLog(std::unique_ptr<Store> store) : store_(std::move(store)) {}

AuditLog::~AuditLog() {
  Status s = Close();
  if (!s.ok()) spdlog::error("audit log: close failed: {}", s.ToString());
}

void AuditLog::Record(const SessionEvent& event) {
  if (observer_) observer_->OnSessionEvent(event);
  uint64_t now = ingest::NowNanos();
  Submit(EncodeAuditRecord(event, now), now, EventName(event.kind));
}

void AuditLog::Record(const QueryEvent& event) {
  if (observer_) observer_->OnQueryEvent(event);
  uint64_t now = ingest::NowNanos();
  Submit(EncodeAuditRecord(event, now), now, EventName(event.kind));
}

void AuditLog::Submit(const std::string& body, uint64_t now_ns, std::string_view event_name) {
  std::shared_lock<std::shared_mutex> lk(close_mu_);
  if (closed_) {
    Dropped(event_name, Status::FailedPrecondition("audit log is closed"));
    return;
  }
  // Decoded exactly as DecodeWalEntry will on replay, so the rows the store
  // keeps now and after a crash are the same.
  WalEntry entry;
  entry.signal = Signal::kLogs;
  entry.format = static_cast<uint8_t>(otlp::Encoding::kJson);
  entry.receive_time_ns = now_ns;
  entry.payload = body;
  std::shared_ptr<const RowBatch> batch;
  Status s = ingest::DecodeWalEntry(entry, &batch);
  if (s.ok() && batch->rows() != 1)
    s = Status::Internal("encoded record decodes to " + std::to_string(batch->rows()) + " rows");
  if (!s.ok()) {  // an encoder bug: the record cannot be stored
    Dropped(event_name, s);
    return;
  }
  {
    std::lock_guard<std::mutex> plk(pending_mu_);
    ++pending_;
  }
  store_->Append(entry, std::move(batch), [this, event_name](const Status& st) {
    if (st.ok()) {
      ++recorded_;
    } else {
      Dropped(event_name, st);
    }
    FinishPending();
  });
}

void AuditLog::Dropped(std::string_view event_name, const Status& why) {
  uint64_t n = ++dropped_;
  // The first drop and then every power of two: a store refusing writes for
  // a while must not flood the server log.
  if ((n & (n - 1)) == 0) {
    spdlog::warn("audit log: dropped a {} record ({} dropped so far): {}", event_name, n, why.ToString());
  }
}

void AuditLog::FinishPending() {
  std::lock_guard<std::mutex> lk(pending_mu_);
  if (--pending_ == 0) pending_cv_.notify_all();
}

void AuditLog::WaitForPending() {
  std::unique_lock<std::mutex> lk(pending_mu_);
  pending_cv_.wait(lk, [this] { return pending_ == 0; });
}

Status AuditLog::Close() {
  std::unique_lock<std::shared_mutex> lk(close_mu_);
  if (closed_) return close_status_;
  closed_ = true;
  // Store::Close writes everything queued before it returns (running each
  // record's `done`), then flushes the memtable into parts.
  close_status_ = store_->Close();
  WaitForPending();
  if (!close_status_.ok()) close_status_ = close_status_.WithContext("audit log");
  return close_status_;
}

}  // namespace otelstack::audit
