#include "ingest/ingest_service.h"

#include <chrono>

namespace otelstack::ingest {

uint64_t NowNanos() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

IngestService::IngestService(Store* store, meta::KeyVerifier* keys, meta::KeyUsage* usage, IngestOptions options)
    : store_(store), keys_(keys), usage_(usage), options_(options) {}

std::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kUnauthenticated:
      return "unauthenticated";
    case RejectReason::kInvalid:
      return "invalid";
    case RejectReason::kBusy:
      return "busy";
    case RejectReason::kTooLarge:
      return "too_large";
    case RejectReason::kUnsupportedEncoding:
      return "unsupported_encoding";
  }
  return "unknown";
}

Status IngestService::Authenticate(std::optional<std::string_view> authorization) const {
  if (!options_.require_key) return Status::OK();
  if (!authorization || authorization->empty()) {
    counters_.Reject(RejectReason::kUnauthenticated);
    return Status::Unauthenticated("missing ingestion key: send it in the 'authorization' header");
  }
  std::optional<int64_t> key_id = keys_->Verify(*authorization);
  if (!key_id) {
    counters_.Reject(RejectReason::kUnauthenticated);
    return Status::Unauthenticated("invalid ingestion key");
  }
  if (usage_) usage_->Record(*key_id, std::chrono::system_clock::now());
  return Status::OK();
}

void IngestService::Export(otlp::Encoding encoding, Signal signal, std::string_view body,
                           std::function<void(ExportResult)> done, std::shared_ptr<const void> body_owner) {
  counters_.requests[static_cast<size_t>(signal)].fetch_add(1, std::memory_order_relaxed);
  uint64_t now = NowNanos();
  otlp::DecodeResult decoded;
  Status s = otlp::Decode(signal, encoding, body, now, &decoded);
  if (!s.ok()) {
    counters_.Reject(s.code() == Status::Code::kResourceExhausted ? RejectReason::kTooLarge : RejectReason::kInvalid);
    done(ExportResult{s, 0, {}});
    return;
  }
  if (decoded.batch->rows() == 0) {  // nothing to store (empty or all rejected)
    done(ExportResult{Status::OK(), decoded.rejected, std::move(decoded.rejection_message)});
    return;
  }
  WalEntry entry;
  entry.signal = signal;
  entry.format = static_cast<uint8_t>(encoding);
  entry.receive_time_ns = now;
  entry.payload = body;
  uint64_t rows = decoded.batch->rows();
  store_->Append(
      entry, std::move(decoded.batch),
      [this, signal, rows, done = std::move(done), rejected = decoded.rejected,
       message = std::move(decoded.rejection_message)](const Status& st) mutable {
        if (st.ok()) {
          counters_.rows[static_cast<size_t>(signal)].fetch_add(rows, std::memory_order_relaxed);
        } else if (st.code() == Status::Code::kUnavailable) {
          counters_.Reject(RejectReason::kBusy);
        }
        done(ExportResult{st, rejected, std::move(message)});
      },
      std::move(body_owner));
}

Status DecodeWalEntry(const WalEntry& entry, std::shared_ptr<const RowBatch>* out) {
  if (entry.format > static_cast<uint8_t>(otlp::Encoding::kJson)) {
    return Status::Corruption("wal entry: unknown payload format " + std::to_string(entry.format));
  }
  otlp::DecodeResult decoded;
  OTELSTACK_RETURN_IF_ERROR(otlp::Decode(entry.signal, static_cast<otlp::Encoding>(entry.format), entry.payload,
                                         entry.receive_time_ns, &decoded));
  *out = std::move(decoded.batch);
  return Status::OK();
}

}  // namespace otelstack::ingest
