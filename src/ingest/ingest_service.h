// IngestService: what every OTLP listener (HTTP and gRPC) calls for one
// export request, so that both transports behave identically.
//
//   Authenticate(header) -> the key check (unless ingestion auth is off)
//   Export(signal, encoding, body) -> decode, log to the WAL, acknowledge
//
// Export decodes on the calling thread (validating the whole request before
// anything is stored) and completes asynchronously once the store has made
// the rows durable; `done` then runs on the store's writer thread and must
// only hand the result back to the transport.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "meta/key_usage.h"
#include "meta/key_verifier.h"
#include "otlp/decode.h"
#include "store/store.h"

namespace otelstack::ingest {

struct ExportResult {
  Status status;          // OK, InvalidArgument (bad data), Unavailable (busy), ...
  uint64_t rejected = 0;  // partial success
  std::string rejection_message;
};

struct IngestOptions {
  bool require_key = true;
  size_t max_body_bytes = 64u << 20;  // after decompression
};

// Why an export request was refused, for /metrics.
enum class RejectReason {
  kUnauthenticated,      // missing or wrong ingestion key
  kInvalid,              // malformed OTLP (400 / INVALID_ARGUMENT)
  kBusy,                 // back-pressure (503 / UNAVAILABLE)
  kTooLarge,             // body over the limit, before or after inflating
  kUnsupportedEncoding,  // content type or content encoding we do not speak
};
inline constexpr RejectReason kAllRejectReasons[] = {RejectReason::kUnauthenticated, RejectReason::kInvalid,
                                                     RejectReason::kBusy, RejectReason::kTooLarge,
                                                     RejectReason::kUnsupportedEncoding};
std::string_view RejectReasonName(RejectReason reason);  // "unauthenticated", "invalid", ...

// Monotonic counters, read by /metrics. Relaxed atomics: totals, not a
// consistent snapshot.
struct IngestCounters {
  std::atomic<uint64_t> requests[std::size(kAllSignals)] = {};  // by Signal; every Export call
  std::atomic<uint64_t> rows[std::size(kAllSignals)] = {};      // acknowledged rows, by Signal
  std::atomic<uint64_t> rejected[std::size(kAllRejectReasons)] = {};

  void Reject(RejectReason reason) { rejected[static_cast<size_t>(reason)].fetch_add(1, std::memory_order_relaxed); }
};

class IngestService {
 public:
  // `usage` (may be null) is told which key each authenticated request used.
  IngestService(Store* store, meta::KeyVerifier* keys, meta::KeyUsage* usage, IngestOptions options);

  // OK or Unauthenticated. `authorization` is the header value, if any.
  Status Authenticate(std::optional<std::string_view> authorization) const;

  // Decodes `body`, logs and stores it, and calls `done` once (when durable,
  // or with the error). `body_owner`, if given, keeps `body` valid until
  // the request is logged, which spares the store a copy of it.
  void Export(otlp::Encoding encoding, Signal signal, std::string_view body, std::function<void(ExportResult)> done,
              std::shared_ptr<const void> body_owner = nullptr);

  const IngestOptions& options() const { return options_; }
  const IngestCounters& counters() const { return counters_; }
  // For refusals decided by a transport before Export (e.g. 415, 413).
  void CountRejected(RejectReason reason) const { counters_.Reject(reason); }

 private:
  Store* store_;
  meta::KeyVerifier* keys_;
  meta::KeyUsage* usage_;
  IngestOptions options_;
  mutable IngestCounters counters_;
};

// The store's PayloadDecoder: decodes a logged request again on replay.
Status DecodeWalEntry(const WalEntry& entry, std::shared_ptr<const RowBatch>* out);

// Wall clock in nanoseconds since the epoch.
uint64_t NowNanos();

}  // namespace otelstack::ingest
