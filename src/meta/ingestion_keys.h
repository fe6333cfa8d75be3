// IngestionKeys: creating, listing, revealing, rotating and revoking the keys
// that OTLP senders present (the `authorization` header; see key_verifier.h).
//
// A key is 32 random bytes rendered as 64 lowercase hex characters (the raw
// key). The store keeps its SHA-256 digest, used for verification, and a copy
// sealed with the master key (AES-256-GCM, associated data
// "otelstack/ingestion-key/v1:" + digest), used only to reveal it again. The
// associated data ties a sealed copy to its digest, and Reveal checks that the
// opened key hashes to the digest, so a sealed copy moved to another row is
// refused.
//
// Raw keys are returned only by Create, Rotate and Reveal; nothing here logs
// them. Thread-safe if the repository is.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "meta/clock.h"
#include "meta/ingestion_key_repository.h"

namespace otelstack::meta {

inline constexpr char kIngestionKeyEnv[] = "OTELSTACK_INGESTION_KEY";
inline constexpr std::chrono::hours kDefaultRotationGrace{24};

struct CreatedKey {
  IngestionKeyInfo info;
  std::string raw;
};

class IngestionKeys {
 public:
  // `repository` must outlive this object; `master_key` is 32 bytes.
  IngestionKeys(IngestionKeyRepository* repository, std::string master_key, Clock clock = SystemClock());
  ~IngestionKeys();

  // Creates a key named `name` (not empty). With `raw` unset the key is
  // random. With `raw` set (seeding from OTELSTACK_INGESTION_KEY), that
  // string becomes the key; if an active key with the same value exists it is
  // returned unchanged instead, so seeding at every start is idempotent. A
  // seeded key must be at least 16 characters (InvalidArgument otherwise).
  StatusOr<CreatedKey> Create(const std::string& name, std::optional<std::string> raw = std::nullopt);

  // Every key, revoked and expired ones included, by ascending id.
  StatusOr<std::vector<IngestionKeyInfo>> List();

  // The raw key. NotFound for an unknown id; Corruption if the sealed copy
  // cannot be opened (a different master key than the one it was sealed with).
  StatusOr<std::string> Reveal(int64_t id);

  // Replaces key `id` with a new random key of the same name. The old key
  // stays valid for `grace` (it expires at now + grace, or earlier if it was
  // already due to). FailedPrecondition if `id` is revoked.
  StatusOr<CreatedKey> Rotate(int64_t id, std::chrono::seconds grace = kDefaultRotationGrace);

  // Revokes key `id` at once. Revoking a revoked key succeeds.
  Status Revoke(int64_t id);

  // Keys neither revoked nor expired now.
  StatusOr<int64_t> CountActive();

  // Records that key `id` was used at `at`. One small transaction per call:
  // callers on the request path should batch (see the repository's
  // TouchLastUsed) or rate-limit to about once per key per minute.
  Status TouchLastUsed(int64_t id, TimePoint at);

 private:
  StatusOr<CreatedKey> Insert(const std::string& name, std::string raw, std::optional<Retirement> retire);

  IngestionKeyRepository* repository_;
  std::string master_key_;
  Clock clock_;
};

// The associated data that binds a sealed key to its digest.
std::string SealedKeyAssociatedData(const std::string& digest_hex);

}  // namespace otelstack::meta
