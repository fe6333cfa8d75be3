#include "meta/migrations.h"

#include <chrono>
#include <string>

namespace otelstack::meta {

namespace {

// Version 1: ingestion keys.
//
// digest is the lowercase hex SHA-256 of the raw key (what verification
// uses); sealed is the AES-256-GCM copy under the master key (what reveal
// uses). Times are unix milliseconds. AUTOINCREMENT keeps ids of deleted
// rows from being reused, so an id in a log always means one key.
//
// change_counters holds a generation per table that the triggers bump on
// every change that matters to verification (not on last_used_at updates),
// so a process can cheaply notice changes made by another process.
constexpr std::string_view kV1IngestionKeys = R"sql(
CREATE TABLE ingestion_keys (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT    NOT NULL,
  digest        TEXT    NOT NULL,
  sealed        BLOB    NOT NULL,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  expires_at    INTEGER,
  revoked_at    INTEGER
);
CREATE INDEX ingestion_keys_by_digest ON ingestion_keys(digest);

CREATE TABLE change_counters (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO change_counters(name, value) VALUES ('ingestion_keys', 0);

CREATE TRIGGER ingestion_keys_insert AFTER INSERT ON ingestion_keys BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'ingestion_keys';
END;
CREATE TRIGGER ingestion_keys_update AFTER UPDATE OF name, digest, sealed, expires_at, revoked_at ON ingestion_keys BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'ingestion_keys';
END;
CREATE TRIGGER ingestion_keys_delete AFTER DELETE ON ingestion_keys BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'ingestion_keys';
END;
)sql";

// Version 2: generic settings (name -> text value), first used for retention
// (sqlite_retention_settings_repository.h). Every change bumps
// change_counters.settings, which the server polls to pick up changes made
// by `otelstack retention set`. The upsert only writes changed values, so
// re-recording the same value does not bump the counter.
constexpr std::string_view kV2Settings = R"sql(
CREATE TABLE settings (
  name        TEXT    PRIMARY KEY,
  value       TEXT    NOT NULL,
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO change_counters(name, value) VALUES ('settings', 0);

CREATE TRIGGER settings_insert AFTER INSERT ON settings BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'settings';
END;
CREATE TRIGGER settings_update AFTER UPDATE ON settings BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'settings';
END;
CREATE TRIGGER settings_delete AFTER DELETE ON settings BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = 'settings';
END;
)sql";

constexpr Migration kMigrations[] = {
    {1, "ingestion_keys", kV1IngestionKeys},
    {2, "settings", kV2Settings},
};

}  // namespace

std::span<const Migration> KnownMigrations() { return kMigrations; }

Status ApplyMigrations(SqliteDb& db, std::span<const Migration> migrations, int64_t* version) {
  auto txn = SqliteTransaction::Begin(db, SqliteTransaction::Mode::kWrite);
  if (!txn.ok()) return txn.status().WithContext("migrate meta database");
  OTELSTACK_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
              "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));

  int64_t current = 0;
  {  // scoped so the statement is finalized before any DDL runs
    auto max_stmt = SqliteStatement::Prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!max_stmt.ok()) return max_stmt.status();
    auto row = max_stmt->Step();
    if (!row.ok()) return row.status();
    current = max_stmt->ColumnInt(0);
  }

  int64_t latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    return Status::FailedPrecondition(db.path() + " has schema version " + std::to_string(current) +
                                      ", newer than this binary supports (" + std::to_string(latest) +
                                      "); upgrade otelstack");
  }
  int64_t now_ms = ToUnixMillis(std::chrono::system_clock::now());
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    Status st = db.Exec(m.sql);
    if (!st.ok())
      return st.WithContext("apply migration " + std::to_string(m.version) + " (" + std::string(m.name) + ")");
    auto record =
        SqliteStatement::Prepare(db, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)");
    if (!record.ok()) return record.status();
    record->BindInt(1, m.version);
    record->BindText(2, m.name);
    record->BindInt(3, now_ms);
    OTELSTACK_RETURN_IF_ERROR(record->Run());
  }
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  *version = latest;
  return Status::OK();
}

}  // namespace otelstack::meta
