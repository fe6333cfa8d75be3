// Versioned schema migrations for the PostgreSQL metadata store: the same
// logical schema as migrations.h, version for version (schema version 3 means
// the same tables and invariants on both backends), in PostgreSQL's dialect.
//
// Applied versions are recorded in schema_migrations(version, name,
// applied_at). ApplyPostgresMigrations runs every pending migration and its
// record in one transaction that first takes pg_advisory_xact_lock
// (PgLockDomain::kMigrations): replicas starting together serialise there, the
// second finds the work done, and each migration is applied exactly once (DDL
// is transactional in PostgreSQL, so a failure leaves the schema as it was).
//
// To change the schema, append a migration here AND in migrations.cc with the
// same version; never edit one that has shipped.
#pragma once

#include <cstdint>
#include <span>

#include "common/status.h"
#include "meta/migrations.h"
#include "meta/postgres_db.h"

namespace otelstack::meta {

// The PostgreSQL migrations this binary knows, in version order.
std::span<const Migration> KnownPostgresMigrations();

// Brings the database up to the latest known version and stores it in
// *version. FailedPrecondition if the database was migrated by a newer binary.
// Requires db.Lock().
Status ApplyPostgresMigrations(PostgresDb& db, std::span<const Migration> migrations, int64_t* version);

}  // namespace otelstack::meta
