// Storage of ingestion keys, independent of the database behind it.
//
// The repository stores rows and knows nothing of key material: callers give
// it digests and sealed copies (see ingestion_keys.h). MetaStore provides the
// SQLite implementation; a PostgreSQL one can implement the same interface.
// Implementations are thread-safe, and every method is atomic.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace otelstack::meta {

using TimePoint = std::chrono::system_clock::time_point;

// What may be shown about a key. Never holds key material.
struct IngestionKeyInfo {
  int64_t id = 0;
  std::string name;
  std::string digest_hex;  // lowercase hex SHA-256 of the raw key
  TimePoint created_at;
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> expires_at;  // set when rotated away (end of grace)
  std::optional<TimePoint> revoked_at;

  // Not revoked and not past expires_at.
  bool ActiveAt(TimePoint now) const { return !revoked_at && (!expires_at || now < *expires_at); }
};

struct IngestionKeyRow {
  IngestionKeyInfo info;
  std::string sealed;  // AES-256-GCM copy of the raw key (crypto.h)
};

struct NewIngestionKey {
  std::string name;
  std::string digest_hex;
  std::string sealed;
  TimePoint created_at;
};

// Sets expires_at of an existing key, in the same transaction as an insert.
struct Retirement {
  int64_t id = 0;
  TimePoint expires_at;
};

struct KeyUse {
  int64_t id = 0;
  TimePoint at;
};

class IngestionKeyRepository {
 public:
  virtual ~IngestionKeyRepository() = default;

  struct InsertResult {
    IngestionKeyRow row;
    bool inserted = false;  // false: an active key with the digest already existed
  };
  // Inserts `key`, unless a key with the same digest is active at
  // key.created_at: then returns that key and does nothing else. Otherwise,
  // if `retire` is given, that key's expires_at becomes the earlier of its
  // current value and retire->expires_at (NotFound if it does not exist).
  virtual StatusOr<InsertResult> Insert(const NewIngestionKey& key, std::optional<Retirement> retire) = 0;

  // NotFound if there is no key with this id.
  virtual StatusOr<IngestionKeyRow> Get(int64_t id) = 0;

  // All keys, including revoked and expired ones, by ascending id.
  virtual StatusOr<std::vector<IngestionKeyInfo>> List() = 0;

  // Sets revoked_at unless already set. NotFound if there is no such key.
  virtual Status Revoke(int64_t id, TimePoint at) = 0;

  // Records uses; last_used_at only moves forward. Unknown ids are ignored.
  // Does not change Generation().
  virtual Status TouchLastUsed(std::span<const KeyUse> uses) = 0;

  // A number that changes whenever a key is added, revoked, or has its expiry
  // changed, by this or any other process. Cheap enough to poll every second.
  virtual StatusOr<int64_t> Generation() = 0;
};

}  // namespace otelstack::meta
