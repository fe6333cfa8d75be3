// KeyVerifier: the per-request ingestion key check on the OTLP hot path.
//
// Verify works on an immutable snapshot of the active keys' digests, swapped
// atomically by Refresh, so requests never touch the database or take a lock
// held across I/O. The presented key is hashed (SHA-256) and compared in
// constant time with every digest in the snapshot; the loop does not stop at
// a match, so timing does not reveal which key matched. Expiry is checked at
// Verify time against the clock, so a rotated key's grace period ends on time
// even if no Refresh happens.
//
// Keys created or revoked by another process (`otelstack keys ...`) become
// visible after the next Refresh; the server polls ChangedSinceLastRefresh()
// (one small query) about once a second and refreshes when it is true.
// An empty snapshot (before the first Refresh, or with no keys) rejects all.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "meta/clock.h"
#include "meta/ingestion_key_repository.h"

namespace otelstack::meta {

class KeyVerifier {
 public:
  // `repository` must outlive this object.
  explicit KeyVerifier(IngestionKeyRepository* repository, Clock clock = SystemClock());

  // The id of the active key equal to `presented`, or nullopt. `presented` is
  // the raw key or "Bearer <key>" (scheme case-insensitive); surrounding
  // spaces and tabs are ignored. Thread-safe and lock-free with respect to
  // Refresh.
  std::optional<int64_t> Verify(std::string_view presented) const;

  // Reloads the snapshot from the repository. On error the old snapshot stays.
  Status Refresh();

  // True if keys changed since the last successful Refresh (or there has been
  // none). Also true when the check itself fails, so that the following
  // Refresh reports the error.
  bool ChangedSinceLastRefresh();

  // Refresh() if ChangedSinceLastRefresh().
  Status RefreshIfChanged();

  // Number of keys in the snapshot (including ones whose grace has run out
  // since the last Refresh).
  size_t SnapshotSize() const;

  // The key part of an authorization value: strips an optional "Bearer "
  // scheme and surrounding whitespace. Exposed for tests and for callers that
  // log which scheme was used.
  static std::string_view ExtractKey(std::string_view presented);

 private:
  struct Entry {
    int64_t id;
    std::string digest;                 // 32 raw bytes
    std::optional<int64_t> expires_ms;  // unix milliseconds
  };
  using Snapshot = std::vector<Entry>;

  IngestionKeyRepository* repository_;
  Clock clock_;
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  std::atomic<int64_t> generation_{-1};  // of the current snapshot; -1: none yet
};

}  // namespace otelstack::meta
