#include "meta/meta_store_location.h"

#include <openssl/crypto.h>

#include "common/secrets.h"
#include "meta/postgres_db.h"

namespace otelstack::meta {

StatusOr<std::string> DescribeMetaStore(const MetaStoreLocation& location) {
  if (!location.shared()) return "SQLite " + location.data_dir + "/" + kMetaDbFileName;
  std::string description;
  OTELSTACK_RETURN_IF_ERROR(CheckPostgresConninfo(location.database_url, &description));
  return "PostgreSQL " + description;
}

StatusOr<std::unique_ptr<MetaStore>> OpenMetaStore(const MetaStoreLocation& location, const MetaStoreOptions& options) {
  if (!location.shared()) return MetaStore::Open(location.data_dir, options);
  std::string description;
  OTELSTACK_RETURN_IF_ERROR(CheckPostgresConninfo(location.database_url, &description));
  auto password = ReadSecret(kMetaDatabasePasswordEnv);
  if (!password.ok()) return password.status();
  std::string secret = password->value_or("");
  auto store = MetaStore::OpenPostgres(location.database_url, secret, options);
  OPENSSL_cleanse(secret.data(), secret.size());
  if (!store.ok()) return store.status().WithContext("metadata store");
  return store;
}

StatusOr<MasterKey> LoadMasterKeyFor(const MetaStoreLocation& location) {
  if (location.shared()) {
    // A bad URL (e.g. one holding a password) is the first thing to fix.
    std::string description;
    OTELSTACK_RETURN_IF_ERROR(CheckPostgresConninfo(location.database_url, &description));
    auto secret = ReadSecret(kEncryptionKeyEnv);
    if (!secret.ok()) return secret.status();
    if (!secret->has_value()) {
      return Status::FailedPrecondition(
          std::string("a shared metadata database (--meta-database-url) needs ") + kEncryptionKeyEnv + " or " +
          kEncryptionKeyEnv +
          "_FILE, the same on every replica: secrets sealed by one replica (ingestion keys, connection passwords) "
          "must open on the others, which a master key generated in each data directory would not allow; "
          "generate one with: openssl rand -hex 32");
    }
    OPENSSL_cleanse((*secret)->data(), (*secret)->size());
  }
  return LoadOrCreateMasterKey(location.data_dir);
}

}  // namespace otelstack::meta
