// Versioned schema migrations for meta.db.
//
// Each migration has a version (1, 2, 3... without gaps) and SQL applied once.
// Applied versions are recorded in the table schema_migrations(version, name,
// applied_at). ApplyMigrations runs all pending migrations and their records
// in a single write transaction, so concurrent openers (the server and the
// CLI) serialise on SQLite's lock and each migration is applied exactly once;
// a failure leaves the schema as it was.
//
// To change the schema, append a migration to the list in migrations.cc;
// never edit one that has shipped.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/status.h"
#include "meta/sqlite_db.h"

namespace otelstack::meta {

struct Migration {
  int64_t version;
  std::string_view name;
  std::string_view sql;  // one or more statements
};

// The migrations this binary knows, in version order.
std::span<const Migration> KnownMigrations();

// Brings the database up to the latest known version and stores that version
// in *version. Fails with FailedPrecondition if the database was migrated by
// a newer binary (its version is higher than any known here).
// Requires db.Lock() to be held by the caller.
Status ApplyMigrations(SqliteDb& db, std::span<const Migration> migrations, int64_t* version);

}  // namespace otelstack::meta
