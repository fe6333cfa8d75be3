// IngestionKeyRepository on a PostgreSQL connection (schema in
// postgres_migrations.cc). Each method holds the connection's lock for its
// whole statement or transaction. Insert checks for an active key with the
// same digest and inserts in one transaction that first takes the advisory
// lock PgLockDomain::kIngestionKeys, so two processes inserting the same key
// cannot both insert (the stand-in for SQLite's BEGIN IMMEDIATE; see
// postgres_db.h for why READ COMMITTED plus the lock is enough). Generation()
// reads change_counters, bumped by triggers in the writer's transaction.
#pragma once

#include "meta/ingestion_key_repository.h"
#include "meta/postgres_db.h"

namespace otelstack::meta {

class PostgresIngestionKeyRepository : public IngestionKeyRepository {
 public:
  // `db` must outlive this object.
  explicit PostgresIngestionKeyRepository(PostgresDb* db) : db_(db) {}

  StatusOr<InsertResult> Insert(const NewIngestionKey& key, std::optional<Retirement> retire) override;
  StatusOr<IngestionKeyRow> Get(int64_t id) override;
  StatusOr<std::vector<IngestionKeyInfo>> List() override;
  Status Revoke(int64_t id, TimePoint at) override;
  Status TouchLastUsed(std::span<const KeyUse> uses) override;
  StatusOr<int64_t> Generation() override;

 private:
  PostgresDb* db_;
};

}  // namespace otelstack::meta
