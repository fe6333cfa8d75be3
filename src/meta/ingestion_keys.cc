#include "meta/ingestion_keys.h"

#include <openssl/crypto.h>

#include "common/file_util.h"
#include "meta/crypto.h"

namespace otelstack::meta {

namespace {

constexpr size_t kRandomKeyBytes = 32;
constexpr size_t kMinSeededKeyLength = 16;
constexpr size_t kMaxNameLength = 200;

}  // namespace

std::string SealedKeyAssociatedData(const std::string& digest_hex) {
  return "otelstack/ingestion-key/v1:" + digest_hex;
}

IngestionKeys::IngestionKeys(IngestionKeyRepository* repository, std::string master_key, Clock clock)
    : repository_(repository), master_key_(std::move(master_key)), clock_(std::move(clock)) {}

IngestionKeys::~IngestionKeys() { OPENSSL_cleanse(master_key_.data(), master_key_.size()); }

StatusOr<CreatedKey> IngestionKeys::Create(const std::string& name, std::optional<std::string> raw) {
  if (raw) {
    if (raw->size() < kMinSeededKeyLength) {
      return Status::InvalidArgument("an ingestion key must be at least " + std::to_string(kMinSeededKeyLength) +
                                     " characters long");
    }
    return Insert(name, std::move(*raw), std::nullopt);
  }
  std::string bytes;
  OTELSTACK_RETURN_IF_ERROR(RandomBytes(kRandomKeyBytes, &bytes));
  return Insert(name, HexEncode(bytes), std::nullopt);
}

StatusOr<CreatedKey> IngestionKeys::Insert(const std::string& name, std::string raw, std::optional<Retirement> retire) {
  if (name.empty()) return Status::InvalidArgument("an ingestion key needs a name");
  if (name.size() > kMaxNameLength) return Status::InvalidArgument("ingestion key name longer than 200 characters");
  NewIngestionKey key;
  key.name = name;
  key.digest_hex = HexEncode(Sha256(raw));
  auto sealed = SealAesGcm(master_key_, raw, SealedKeyAssociatedData(key.digest_hex));
  if (!sealed.ok()) return sealed.status();
  key.sealed = std::move(sealed).value();
  key.created_at = clock_();
  auto result = repository_->Insert(key, retire);
  if (!result.ok()) return result.status();
  return CreatedKey{.info = std::move(result->row.info), .raw = std::move(raw)};
}

StatusOr<std::vector<IngestionKeyInfo>> IngestionKeys::List() { return repository_->List(); }

StatusOr<std::string> IngestionKeys::Reveal(int64_t id) {
  auto row = repository_->Get(id);
  if (!row.ok()) return row.status();
  auto raw = OpenAesGcm(master_key_, row->sealed, SealedKeyAssociatedData(row->info.digest_hex));
  if (!raw.ok()) {
    return Status::Corruption("cannot reveal ingestion key " + std::to_string(id) +
                              ": its stored copy does not open with this master key (was OTELSTACK_ENCRYPTION_KEY "
                              "or master.key changed?)");
  }
  if (HexEncode(Sha256(*raw)) != row->info.digest_hex) {
    return Status::Corruption("cannot reveal ingestion key " + std::to_string(id) +
                              ": its stored copy does not match its digest");
  }
  return raw;
}

StatusOr<CreatedKey> IngestionKeys::Rotate(int64_t id, std::chrono::seconds grace) {
  if (grace.count() < 0) return Status::InvalidArgument("rotation grace period must not be negative");
  auto old = repository_->Get(id);
  if (!old.ok()) return old.status();
  if (old->info.revoked_at) {
    return Status::FailedPrecondition("ingestion key " + std::to_string(id) + " is revoked; create a new key instead");
  }
  std::string bytes;
  OTELSTACK_RETURN_IF_ERROR(RandomBytes(kRandomKeyBytes, &bytes));
  Retirement retire{.id = id, .expires_at = clock_() + grace};
  return Insert(old->info.name, HexEncode(bytes), retire);
}

Status IngestionKeys::Revoke(int64_t id) { return repository_->Revoke(id, clock_()); }

StatusOr<int64_t> IngestionKeys::CountActive() {
  auto keys = repository_->List();
  if (!keys.ok()) return keys.status();
  TimePoint now = clock_();
  int64_t count = 0;
  for (const IngestionKeyInfo& key : *keys) count += key.ActiveAt(now) ? 1 : 0;
  return count;
}

Status IngestionKeys::TouchLastUsed(int64_t id, TimePoint at) {
  KeyUse use{.id = id, .at = at};
  return repository_->TouchLastUsed(std::span<const KeyUse>(&use, 1));
}

}  // namespace otelstack::meta
