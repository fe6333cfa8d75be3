#include "meta/postgres_ingestion_key_repository.h"

#include <string>

#include "meta/sqlite_db.h"  // ToUnixMillis, FromUnixMillis

namespace otelstack::meta {

namespace {

constexpr char kRowColumns[] = "id, name, digest, created_at, last_used_at, expires_at, revoked_at, sealed";

std::optional<TimePoint> OptionalTime(const PgResult& r, int row, int col) {
  std::optional<int64_t> ms = r.OptionalInt(row, col);
  if (!ms) return std::nullopt;
  return FromUnixMillis(*ms);
}

// Reads the columns of kRowColumns from `row`.
IngestionKeyRow ReadRow(const PgResult& r, int row) {
  IngestionKeyRow out;
  out.info.id = r.Int(row, 0);
  out.info.name = r.Text(row, 1);
  out.info.digest_hex = r.Text(row, 2);
  out.info.created_at = FromUnixMillis(r.Int(row, 3));
  out.info.last_used_at = OptionalTime(r, row, 4);
  out.info.expires_at = OptionalTime(r, row, 5);
  out.info.revoked_at = OptionalTime(r, row, 6);
  out.sealed = r.Bytea(row, 7);
  return out;
}

// Requires db.Lock().
StatusOr<IngestionKeyRow> GetLocked(PostgresDb& db, int64_t id) {
  auto r = db.Exec(std::string("SELECT ") + kRowColumns + " FROM ingestion_keys WHERE id = $1", PgParams().Int(id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::NotFound("no ingestion key with id " + std::to_string(id));
  return ReadRow(*r, 0);
}

}  // namespace

StatusOr<IngestionKeyRepository::InsertResult> PostgresIngestionKeyRepository::Insert(
    const NewIngestionKey& key, std::optional<Retirement> retire) {
  auto lock = db_->Lock();
  auto txn = PgTransaction::Begin(*db_, PgLockDomain::kIngestionKeys);
  if (!txn.ok()) return txn.status();
  const int64_t now_ms = ToUnixMillis(key.created_at);
  {
    auto found = db_->Exec(std::string("SELECT ") + kRowColumns +
                               " FROM ingestion_keys WHERE digest = $1 AND revoked_at IS NULL"
                               " AND (expires_at IS NULL OR expires_at > $2) ORDER BY id LIMIT 1",
                           PgParams().Text(key.digest_hex).Int(now_ms));
    if (!found.ok()) return found.status();
    if (found->rows() > 0) return InsertResult{.row = ReadRow(*found, 0), .inserted = false};
  }
  if (retire) {
    auto updated = db_->Exec("UPDATE ingestion_keys SET expires_at = LEAST(COALESCE(expires_at, $1), $1) WHERE id = $2",
                             PgParams().Int(ToUnixMillis(retire->expires_at)).Int(retire->id));
    if (!updated.ok()) return updated.status();
    if (updated->affected() == 0) return Status::NotFound("no ingestion key with id " + std::to_string(retire->id));
  }
  auto inserted = db_->Exec(std::string("INSERT INTO ingestion_keys(name, digest, sealed, created_at) "
                                        "VALUES ($1, $2, $3, $4) RETURNING ") +
                                kRowColumns,
                            PgParams().Text(key.name).Text(key.digest_hex).Bytea(key.sealed).Int(now_ms));
  if (!inserted.ok()) return inserted.status();
  IngestionKeyRow row = ReadRow(*inserted, 0);
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return InsertResult{.row = std::move(row), .inserted = true};
}

StatusOr<IngestionKeyRow> PostgresIngestionKeyRepository::Get(int64_t id) {
  auto lock = db_->Lock();
  return GetLocked(*db_, id);
}

StatusOr<std::vector<IngestionKeyInfo>> PostgresIngestionKeyRepository::List() {
  auto lock = db_->Lock();
  auto r = db_->Exec(std::string("SELECT ") + kRowColumns + " FROM ingestion_keys ORDER BY id");
  if (!r.ok()) return r.status();
  std::vector<IngestionKeyInfo> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(ReadRow(*r, i).info);
  return out;
}

Status PostgresIngestionKeyRepository::Revoke(int64_t id, TimePoint at) {
  auto lock = db_->Lock();
  // One statement: the key is found if it exists, revoked only if it was not.
  auto r = db_->Exec(
      "WITH target AS (SELECT id FROM ingestion_keys WHERE id = $2), "
      "revoked AS (UPDATE ingestion_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL) "
      "SELECT COUNT(*) FROM target",
      PgParams().Int(ToUnixMillis(at)).Int(id));
  if (!r.ok()) return r.status();
  if (r->Int(0, 0) == 0) return Status::NotFound("no ingestion key with id " + std::to_string(id));
  return Status::OK();
}

Status PostgresIngestionKeyRepository::TouchLastUsed(std::span<const KeyUse> uses) {
  if (uses.empty()) return Status::OK();
  auto lock = db_->Lock();
  auto txn = PgTransaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  for (const KeyUse& use : uses) {
    auto r = db_->Exec(
        "UPDATE ingestion_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)",
        PgParams().Int(ToUnixMillis(use.at)).Int(use.id));
    if (!r.ok()) return r.status();
  }
  return (*txn)->Commit();
}

StatusOr<int64_t> PostgresIngestionKeyRepository::Generation() {
  auto lock = db_->Lock();
  auto r = db_->Exec("SELECT value FROM change_counters WHERE name = 'ingestion_keys'");
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return Status::Corruption(db_->description() + ": change_counters has no ingestion_keys row");
  return r->Int(0, 0);
}

}  // namespace otelstack::meta
