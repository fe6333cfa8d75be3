// MetaStore: the metadata database: <data_dir>/meta.db (SQLite, Open) or a
// PostgreSQL database shared by several replicas (OpenPostgres). Everything
// above the repository interfaces works the same with either; see
// meta_store_location.h for choosing one from the settings.
//
// Holds what the stack needs besides telemetry: ingestion keys, settings
// (retention), the app server's identities (teams, users, sessions,
// invitations, personal keys) and its documents (connections, sources, saved
// searches, dashboards). Each schema change is a new migration
// (migrations.h). The server
// and `otelstack keys ...` in another process may use the file at once: it is
// in WAL mode with a busy timeout, and writers take the lock up front.
//
// Guarantees after Open:
//   - the data directory exists with mode 0700, meta.db has mode 0600, and so
//     do its -wal and -shm files (SQLite gives them the database's mode);
//   - all known migrations are applied (schema_version());
//   - synchronous=FULL: a returned write survives power loss;
//   - foreign keys are enforced.
// OpenPostgres guarantees the same migrations (postgres_migrations.h) and the
// same invariants and Status codes; several processes may open one database.
// A MetaStore is thread-safe: its one connection is serialised by a mutex.
// SQL lives only in this module; other modules use the repository interfaces.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "meta/document_repository.h"
#include "meta/identity_repository.h"
#include "meta/ingestion_key_repository.h"
#include "meta/retention_settings_repository.h"

namespace otelstack::meta {

class SqliteDb;
class PostgresDb;

inline constexpr char kMetaDbFileName[] = "meta.db";

struct MetaStoreOptions {
  // How long a statement waits for another process's lock before failing
  // with Unavailable (SQLite's busy timeout; PostgreSQL's lock_timeout).
  std::chrono::milliseconds busy_timeout{5000};
};

class MetaStore {
 public:
  static StatusOr<std::unique_ptr<MetaStore>> Open(const std::string& data_dir, const MetaStoreOptions& options = {});
  // Connects to PostgreSQL with `conninfo` (postgresql:// URL or key=value;
  // InvalidArgument if it holds a password) and `password` (may be empty),
  // then applies the migrations. Unavailable if the server cannot be reached.
  static StatusOr<std::unique_ptr<MetaStore>> OpenPostgres(const std::string& conninfo, const std::string& password,
                                                           const MetaStoreOptions& options = {});
  ~MetaStore();
  MetaStore(const MetaStore&) = delete;
  MetaStore& operator=(const MetaStore&) = delete;

  // SQLite: the meta.db path. PostgreSQL: postgresql://user@host:port/db
  // (never the password).
  const std::string& path() const { return path_; }
  bool is_postgres() const { return pg_ != nullptr; }
  int64_t schema_version() const { return schema_version_; }

  IngestionKeyRepository& ingestion_keys() { return *ingestion_keys_; }
  RetentionSettingsRepository& retention_settings() { return *retention_settings_; }
  IdentityRepository& identity() { return *identity_; }
  DocumentRepository& documents() { return *documents_; }

 private:
  MetaStore(std::string path, std::unique_ptr<SqliteDb> db, int64_t schema_version);
  MetaStore(std::string path, std::unique_ptr<PostgresDb> db, int64_t schema_version);

  std::string path_;
  std::unique_ptr<SqliteDb> db_;    // set by Open
  std::unique_ptr<PostgresDb> pg_;  // set by OpenPostgres
  int64_t schema_version_;
  std::unique_ptr<IngestionKeyRepository> ingestion_keys_;
  std::unique_ptr<RetentionSettingsRepository> retention_settings_;
  std::unique_ptr<IdentityRepository> identity_;
  std::unique_ptr<DocumentRepository> documents_;
};

}  // namespace otelstack::meta
