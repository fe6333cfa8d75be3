// Personal access keys: long-lived credentials for scripts and external
// callers, sent as "Authorization: Bearer osk_<64 hex>".
//
// The raw key (32 random bytes) is shown to its owner once, at creation; the
// repository stores only SHA-256 hex of the whole raw string. A key
// authenticates while it is neither revoked nor past its expiry (set only by
// rotation) and its user exists. Rotation creates a replacement with the same
// name and lets the old key live for a grace period, so deployments can switch
// without downtime.
//
// Authentication failures (malformed header, unknown, revoked or expired key,
// deleted user) are Unauthenticated with a generic message; other repository
// errors are returned unchanged. Last use is recorded at most once per
// touch_interval per key (from the stored last_used_at, so it holds across
// processes); failing to record it does not fail the request.
//
// Thread-safe. The repository is borrowed and must outlive this object.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "meta/clock.h"
#include "meta/identity_repository.h"

namespace otelstack::auth {

inline constexpr char kPersonalKeyPrefix[] = "osk_";
inline constexpr size_t kMaxPersonalKeyNameBytes = 128;

struct PersonalKeysOptions {
  std::chrono::seconds touch_interval = std::chrono::minutes(1);
};

struct CreatedPersonalKey {
  meta::PersonalKey key;
  std::string raw;  // "osk_" + 64 lowercase hex; show once, never store or log
};

struct AuthenticatedKey {
  meta::User user;
  meta::PersonalKey key;
};

class PersonalKeys {
 public:
  PersonalKeys(meta::IdentityRepository* repo, meta::Clock clock, PersonalKeysOptions options = {});

  // A new key for `user_id`. `name` (a label for the owner) must be 1 to 128
  // bytes without control characters, else InvalidArgument.
  StatusOr<CreatedPersonalKey> Create(int64_t user_id, std::string_view name);

  // Replaces key `key_id` of `user_id` with a new key of the same name; the
  // old one stops working at now + grace (or earlier, if it already expires
  // sooner). NotFound if the user has no such key; FailedPrecondition if it
  // is revoked or already expired.
  StatusOr<CreatedPersonalKey> Rotate(int64_t user_id, int64_t key_id,
                                      std::chrono::seconds grace = std::chrono::hours(24));

  // Revokes key `key_id` of `user_id` now. NotFound if the user has no such key.
  Status Revoke(int64_t user_id, int64_t key_id);

  // Resolves an Authorization header value ("Bearer osk_..."; the scheme is
  // case-insensitive, surrounding whitespace ignored) to its key and user.
  StatusOr<AuthenticatedKey> Authenticate(std::string_view authorization_header);

 private:
  StatusOr<CreatedPersonalKey> Insert(int64_t user_id, std::string_view name, std::optional<meta::Retirement> retire);

  meta::IdentityRepository* const repo_;
  const meta::Clock clock_;
  const PersonalKeysOptions options_;
};

// SHA-256 hex of a raw key: what the repository stores.
std::string PersonalKeyDigest(std::string_view raw_key);

// True if `raw` has the form "osk_" + 64 lowercase hex characters.
bool IsWellFormedPersonalKey(std::string_view raw);

}  // namespace otelstack::auth
