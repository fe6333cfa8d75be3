#include "auth/personal_keys.h"

#include <spdlog/spdlog.h>

#include "common/ascii.h"
#include "common/file_util.h"
#include "meta/crypto.h"

namespace otelstack::auth {

namespace {

constexpr size_t kKeyBytes = 32;
constexpr std::string_view kBearerScheme = "bearer";

Status NotAuthenticated() { return Status::Unauthenticated("invalid, revoked or expired access key"); }

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

Status CheckKeyName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("access key name is empty");
  if (name.size() > kMaxPersonalKeyNameBytes) {
    return Status::InvalidArgument("access key name is longer than " + std::to_string(kMaxPersonalKeyNameBytes) +
                                   " bytes");
  }
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return Status::InvalidArgument("access key name contains a control character");
  }
  return Status::OK();
}

}  // namespace

std::string PersonalKeyDigest(std::string_view raw_key) { return HexEncode(meta::Sha256(raw_key)); }

bool IsWellFormedPersonalKey(std::string_view raw) {
  constexpr std::string_view prefix = kPersonalKeyPrefix;
  if (raw.size() != prefix.size() + 2 * kKeyBytes || raw.substr(0, prefix.size()) != prefix) return false;
  for (char c : raw.substr(prefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

PersonalKeys::PersonalKeys(meta::IdentityRepository* repo, meta::Clock clock, PersonalKeysOptions options)
    : repo_(repo), clock_(std::move(clock)), options_(options) {}

StatusOr<CreatedPersonalKey> PersonalKeys::Insert(int64_t user_id, std::string_view name,
                                                  std::optional<meta::Retirement> retire) {
  std::string bytes;
  Status st = RandomBytes(kKeyBytes, &bytes);
  if (!st.ok()) return Status::Internal("generating an access key: " + st.message());
  CreatedPersonalKey created;
  created.raw = kPersonalKeyPrefix + HexEncode(bytes);
  meta::PersonalKey row;
  row.user_id = user_id;
  row.name = std::string(name);
  row.digest_hex = PersonalKeyDigest(created.raw);
  row.created_at = clock_();
  StatusOr<meta::PersonalKey> stored = repo_->CreatePersonalKey(row, retire);
  if (!stored.ok()) return stored.status();
  created.key = std::move(stored).value();
  return created;
}

StatusOr<CreatedPersonalKey> PersonalKeys::Create(int64_t user_id, std::string_view name) {
  OTELSTACK_RETURN_IF_ERROR(CheckKeyName(name));
  return Insert(user_id, name, std::nullopt);
}

StatusOr<CreatedPersonalKey> PersonalKeys::Rotate(int64_t user_id, int64_t key_id, std::chrono::seconds grace) {
  StatusOr<std::vector<meta::PersonalKey>> keys = repo_->ListPersonalKeys(user_id);
  if (!keys.ok()) return keys.status();
  const meta::PersonalKey* old_key = nullptr;
  for (const meta::PersonalKey& key : *keys) {
    if (key.id == key_id) old_key = &key;
  }
  const std::string which = "access key " + std::to_string(key_id);
  if (old_key == nullptr) return Status::NotFound(which + " does not exist");
  const meta::TimePoint now = clock_();
  if (old_key->revoked_at) return Status::FailedPrecondition(which + " is revoked; create a new key instead");
  if (!old_key->ActiveAt(now)) return Status::FailedPrecondition(which + " has expired; create a new key instead");
  if (grace < std::chrono::seconds(0)) grace = std::chrono::seconds(0);
  return Insert(user_id, old_key->name, meta::Retirement{.id = key_id, .expires_at = now + grace});
}

Status PersonalKeys::Revoke(int64_t user_id, int64_t key_id) {
  return repo_->RevokePersonalKey(user_id, key_id, clock_());
}

StatusOr<AuthenticatedKey> PersonalKeys::Authenticate(std::string_view authorization_header) {
  std::string_view header = Trim(authorization_header);
  size_t space = header.find_first_of(" \t");
  if (space == std::string_view::npos || !EqualsIgnoreAsciiCase(header.substr(0, space), kBearerScheme)) {
    return Status::Unauthenticated("expected an Authorization header of the form: Bearer osk_<key>");
  }
  std::string_view raw = Trim(header.substr(space));
  if (!IsWellFormedPersonalKey(raw)) return NotAuthenticated();

  StatusOr<meta::PersonalKey> key = repo_->FindPersonalKeyByDigest(PersonalKeyDigest(raw));
  if (!key.ok()) {
    if (key.status().code() == Status::Code::kNotFound) return NotAuthenticated();
    return key.status();
  }
  const meta::TimePoint now = clock_();
  if (!key->ActiveAt(now)) return NotAuthenticated();
  StatusOr<meta::User> user = repo_->GetUser(key->user_id);
  if (!user.ok()) {
    if (user.status().code() == Status::Code::kNotFound) return NotAuthenticated();
    return user.status();
  }
  if (!key->last_used_at || now - *key->last_used_at >= options_.touch_interval) {
    Status st = repo_->TouchPersonalKey(key->id, now);
    if (st.ok()) {
      key->last_used_at = now;
    } else {
      spdlog::warn("recording use of access key {}: {}", key->id, st.ToString());
    }
  }
  return AuthenticatedKey{.user = std::move(user).value(), .key = std::move(key).value()};
}

}  // namespace otelstack::auth
