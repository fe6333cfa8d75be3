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

struct IngestCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> rows{0};
  std::atomic<uint64_t> rejected_auth{0};
  std::atomic<uint64_t> rejected_invalid{0};
  std::atomic<uint64_t> rejected_busy{0};
};

class IngestService {
 public:
  // `usage` (may be null) is told which key each authenticated request used.
  IngestService(Store* store, meta::KeyVerifier* keys, meta::KeyUsage* usage, IngestOptions options);

  // OK or Unauthenticated. `authorization` is the header value, if any.
  Status Authenticate(std::optional<std::string_view> authorization) const;

  void Export(otlp::Encoding encoding, Signal signal, std::string_view body,
              std::function<void(ExportResult)> done);

  const IngestOptions& options() const { return options_; }
  const IngestCounters& counters() const { return counters_; }

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
