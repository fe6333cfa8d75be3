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

// Version 3: the app server's identities and documents, replacing what
// HyperDX keeps in MongoDB (identity_repository.h, document_repository.h).
//
// Ownership columns (team_id, user_id) are foreign keys that cascade: deleting
// a user deletes their sessions and personal keys. Attribution columns
// (created_by, used_by) are plain user ids without a foreign key: they record
// who did something, and stay meaningful after that user is deleted because
// AUTOINCREMENT never reuses ids.
//
// Emails use COLLATE NOCASE (ASCII case folding, like the repository's
// lower-casing), so the UNIQUE constraint holds case-insensitively even for
// a row written by another implementation. Roles are stored by name
// (RoleName). Secrets appear only as digests: sessions by id_digest,
// invitations by token_digest, personal keys by digest, all lowercase hex
// SHA-256. documents.json is the API's JSON object; sealed_secret is the
// connection password sealed with the master key (empty blob when none).
constexpr std::string_view kV3IdentityAndDocuments = R"sql(
CREATE TABLE teams (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id        INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  email          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  name           TEXT    NOT NULL,
  role           TEXT    NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  password_hash  TEXT    NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX users_by_team ON users(team_id);

CREATE TABLE sessions (
  id_digest       TEXT    PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at      INTEGER NOT NULL,
  last_seen_at    INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  revoked_at      INTEGER,
  client_address  TEXT    NOT NULL,
  user_agent      TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE invitations (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  team_id       INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  token_digest  TEXT    NOT NULL UNIQUE,
  email         TEXT    NOT NULL COLLATE NOCASE,
  role          TEXT    NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  created_by    INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  used_at       INTEGER,
  used_by       INTEGER
);
CREATE INDEX invitations_by_team ON invitations(team_id);

CREATE TABLE personal_keys (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          TEXT    NOT NULL,
  digest        TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  expires_at    INTEGER,
  revoked_at    INTEGER
);
CREATE UNIQUE INDEX personal_keys_by_digest ON personal_keys(digest);
CREATE INDEX personal_keys_by_user ON personal_keys(user_id);

CREATE TABLE team_settings (
  team_id  INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name     TEXT    NOT NULL,
  value    TEXT    NOT NULL,
  PRIMARY KEY (team_id, name)
) WITHOUT ROWID;

CREATE TABLE documents (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  kind           INTEGER NOT NULL,
  team_id        INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name           TEXT    NOT NULL,
  json           TEXT    NOT NULL,
  sealed_secret  BLOB    NOT NULL,
  created_by     INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX documents_by_team_kind ON documents(team_id, kind, id);
)sql";

constexpr Migration kMigrations[] = {
    {1, "ingestion_keys", kV1IngestionKeys},
    {2, "settings", kV2Settings},
    {3, "identity_and_documents", kV3IdentityAndDocuments},
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
