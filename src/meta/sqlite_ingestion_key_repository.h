// IngestionKeyRepository on the meta.db SQLite connection (schema in
// migrations.cc). Each method holds the connection's lock for its whole
// transaction.
#pragma once

#include "meta/ingestion_key_repository.h"
#include "meta/sqlite_db.h"

namespace otelstack::meta {

class SqliteIngestionKeyRepository : public IngestionKeyRepository {
 public:
  // `db` must outlive this object.
  explicit SqliteIngestionKeyRepository(SqliteDb* db) : db_(db) {}

  StatusOr<InsertResult> Insert(const NewIngestionKey& key, std::optional<Retirement> retire) override;
  StatusOr<IngestionKeyRow> Get(int64_t id) override;
  StatusOr<std::vector<IngestionKeyInfo>> List() override;
  Status Revoke(int64_t id, TimePoint at) override;
  Status TouchLastUsed(std::span<const KeyUse> uses) override;
  StatusOr<int64_t> Generation() override;

 private:
  SqliteDb* db_;
};

}  // namespace otelstack::meta
