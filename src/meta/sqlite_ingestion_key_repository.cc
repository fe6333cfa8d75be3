#include "meta/sqlite_ingestion_key_repository.h"

#include <string>

namespace otelstack::meta {

namespace {

constexpr char kRowColumns[] = "id, name, digest, created_at, last_used_at, expires_at, revoked_at, sealed";

std::optional<TimePoint> OptionalTime(const SqliteStatement& stmt, int col) {
  std::optional<int64_t> ms = stmt.ColumnOptionalInt(col);
  if (!ms) return std::nullopt;
  return FromUnixMillis(*ms);
}

// Reads the columns of kRowColumns from the current row.
IngestionKeyRow ReadRow(const SqliteStatement& stmt) {
  IngestionKeyRow row;
  row.info.id = stmt.ColumnInt(0);
  row.info.name = stmt.ColumnText(1);
  row.info.digest_hex = stmt.ColumnText(2);
  row.info.created_at = FromUnixMillis(stmt.ColumnInt(3));
  row.info.last_used_at = OptionalTime(stmt, 4);
  row.info.expires_at = OptionalTime(stmt, 5);
  row.info.revoked_at = OptionalTime(stmt, 6);
  row.sealed = stmt.ColumnBlob(7);
  return row;
}

// Get without locking; requires db.Lock().
StatusOr<IngestionKeyRow> GetLocked(SqliteDb& db, int64_t id) {
  auto stmt = SqliteStatement::Prepare(db, std::string("SELECT ") + kRowColumns + " FROM ingestion_keys WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt(1, id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no ingestion key with id " + std::to_string(id));
  return ReadRow(*stmt);
}

}  // namespace

StatusOr<IngestionKeyRepository::InsertResult> SqliteIngestionKeyRepository::Insert(const NewIngestionKey& key,
                                                                                    std::optional<Retirement> retire) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, SqliteTransaction::Mode::kWrite);
  if (!txn.ok()) return txn.status();
  const int64_t now_ms = ToUnixMillis(key.created_at);

  {
    auto find = SqliteStatement::Prepare(*db_, std::string("SELECT ") + kRowColumns +
                                                   " FROM ingestion_keys WHERE digest = ? AND revoked_at IS NULL"
                                                   " AND (expires_at IS NULL OR expires_at > ?) ORDER BY id LIMIT 1");
    if (!find.ok()) return find.status();
    find->BindText(1, key.digest_hex);
    find->BindInt(2, now_ms);
    auto row = find->Step();
    if (!row.ok()) return row.status();
    if (*row) return InsertResult{.row = ReadRow(*find), .inserted = false};
  }

  if (retire) {
    auto update = SqliteStatement::Prepare(
        *db_, "UPDATE ingestion_keys SET expires_at = MIN(COALESCE(expires_at, ?1), ?1) WHERE id = ?2");
    if (!update.ok()) return update.status();
    update->BindInt(1, ToUnixMillis(retire->expires_at));
    update->BindInt(2, retire->id);
    OTELSTACK_RETURN_IF_ERROR(update->Run());
    if (sqlite3_changes(db_->handle()) == 0) {
      return Status::NotFound("no ingestion key with id " + std::to_string(retire->id));
    }
  }

  int64_t id = 0;
  {
    auto insert = SqliteStatement::Prepare(
        *db_, "INSERT INTO ingestion_keys(name, digest, sealed, created_at) VALUES (?, ?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->BindText(1, key.name);
    insert->BindText(2, key.digest_hex);
    insert->BindBlob(3, key.sealed);
    insert->BindInt(4, now_ms);
    OTELSTACK_RETURN_IF_ERROR(insert->Run());
    id = sqlite3_last_insert_rowid(db_->handle());
  }
  auto row = GetLocked(*db_, id);
  if (!row.ok()) return row.status();
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  return InsertResult{.row = std::move(row).value(), .inserted = true};
}

StatusOr<IngestionKeyRow> SqliteIngestionKeyRepository::Get(int64_t id) {
  auto lock = db_->Lock();
  return GetLocked(*db_, id);
}

StatusOr<std::vector<IngestionKeyInfo>> SqliteIngestionKeyRepository::List() {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, std::string("SELECT ") + kRowColumns + " FROM ingestion_keys ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  std::vector<IngestionKeyInfo> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(ReadRow(*stmt).info);
  }
  return out;
}

Status SqliteIngestionKeyRepository::Revoke(int64_t id, TimePoint at) {
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, SqliteTransaction::Mode::kWrite);
  if (!txn.ok()) return txn.status();
  {
    auto exists = GetLocked(*db_, id);
    if (!exists.ok()) return exists.status();
    auto stmt =
        SqliteStatement::Prepare(*db_, "UPDATE ingestion_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt(1, ToUnixMillis(at));
    stmt->BindInt(2, id);
    OTELSTACK_RETURN_IF_ERROR(stmt->Run());
  }
  return (*txn)->Commit();
}

Status SqliteIngestionKeyRepository::TouchLastUsed(std::span<const KeyUse> uses) {
  if (uses.empty()) return Status::OK();
  auto lock = db_->Lock();
  auto txn = SqliteTransaction::Begin(*db_, SqliteTransaction::Mode::kWrite);
  if (!txn.ok()) return txn.status();
  {
    auto stmt = SqliteStatement::Prepare(
        *db_,
        "UPDATE ingestion_keys SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)");
    if (!stmt.ok()) return stmt.status();
    for (const KeyUse& use : uses) {
      stmt->BindInt(1, ToUnixMillis(use.at));
      stmt->BindInt(2, use.id);
      OTELSTACK_RETURN_IF_ERROR(stmt->Run());
      stmt->Reset();
    }
  }
  return (*txn)->Commit();
}

StatusOr<int64_t> SqliteIngestionKeyRepository::Generation() {
  auto lock = db_->Lock();
  auto stmt = SqliteStatement::Prepare(*db_, "SELECT value FROM change_counters WHERE name = 'ingestion_keys'");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Corruption(db_->path() + ": change_counters has no ingestion_keys row");
  return stmt->ColumnInt(0);
}

}  // namespace otelstack::meta
