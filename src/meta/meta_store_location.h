// Where the metadata store lives, decided from the settings in one place for
// `otelstack serve` and the CLI commands that open it (keys, users,
// retention):
//   - no database URL: SQLite in <data_dir>/meta.db (a single server);
//   - a database URL (--meta-database-url / OTELSTACK_META_DATABASE_URL,
//     e.g. postgresql://otelstack@db:5432/otelstack?sslmode=verify-full):
//     PostgreSQL, shared by several replicas. The password comes only from
//     OTELSTACK_META_DATABASE_PASSWORD or OTELSTACK_META_DATABASE_PASSWORD_FILE
//     (common/secrets.h); a URL holding one is refused (InvalidArgument).
//
// With a shared database every replica must seal and open secrets with the
// same master key, so LoadMasterKeyFor refuses to fall back to a generated
// per-data-dir key (FailedPrecondition): OTELSTACK_ENCRYPTION_KEY[_FILE] is
// required. Nothing here logs or returns the password.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "meta/master_key.h"
#include "meta/meta_store.h"

namespace otelstack::meta {

inline constexpr char kMetaDatabaseUrlEnv[] = "OTELSTACK_META_DATABASE_URL";
inline constexpr char kMetaDatabasePasswordEnv[] = "OTELSTACK_META_DATABASE_PASSWORD";

struct MetaStoreLocation {
  std::string data_dir;      // always used: master key, and meta.db for SQLite
  std::string database_url;  // empty: SQLite

  bool shared() const { return !database_url.empty(); }
};

// "SQLite <data_dir>/meta.db" or "PostgreSQL postgresql://user@host:port/db";
// InvalidArgument for a URL that is malformed or holds a password.
StatusOr<std::string> DescribeMetaStore(const MetaStoreLocation& location);

// Opens (and migrates) the store `location` names; for PostgreSQL reads the
// password from the environment.
StatusOr<std::unique_ptr<MetaStore>> OpenMetaStore(const MetaStoreLocation& location,
                                                   const MetaStoreOptions& options = {});

// LoadOrCreateMasterKey(location.data_dir), except that a shared store
// requires the key from the environment (FailedPrecondition explains why).
StatusOr<MasterKey> LoadMasterKeyFor(const MetaStoreLocation& location);

}  // namespace otelstack::meta
