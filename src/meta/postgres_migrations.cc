#include "meta/postgres_migrations.h"

#include <chrono>
#include <string>

#include "meta/sqlite_db.h"  // ToUnixMillis

namespace otelstack::meta {

namespace {

// Version 1: ingestion keys (see kV1IngestionKeys in migrations.cc for the
// meaning of the columns). BIGSERIAL ids come from a sequence and are never
// reused, like SQLite's AUTOINCREMENT. change_counters is bumped by row
// triggers on the same columns as in SQLite (not on last_used_at), inside
// the writer's transaction, so any process sees a new value exactly when it
// can see the change.
constexpr std::string_view kV1IngestionKeys = R"sql(
CREATE TABLE ingestion_keys (
  id            BIGSERIAL PRIMARY KEY,
  name          TEXT    NOT NULL,
  digest        TEXT    NOT NULL,
  sealed        BYTEA   NOT NULL,
  created_at    BIGINT  NOT NULL,
  last_used_at  BIGINT,
  expires_at    BIGINT,
  revoked_at    BIGINT
);
CREATE INDEX ingestion_keys_by_digest ON ingestion_keys(digest);

CREATE TABLE change_counters (
  name  TEXT   PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO change_counters(name, value) VALUES ('ingestion_keys', 0);

-- Bumps change_counters.<TG_ARGV[0]>.
CREATE FUNCTION otelstack_bump_change_counter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE change_counters SET value = value + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END
$$;

CREATE TRIGGER ingestion_keys_insert_delete AFTER INSERT OR DELETE ON ingestion_keys
  FOR EACH ROW EXECUTE FUNCTION otelstack_bump_change_counter('ingestion_keys');
CREATE TRIGGER ingestion_keys_update AFTER UPDATE OF name, digest, sealed, expires_at, revoked_at ON ingestion_keys
  FOR EACH ROW EXECUTE FUNCTION otelstack_bump_change_counter('ingestion_keys');
)sql";

// Version 2: generic settings; every change bumps change_counters.settings.
constexpr std::string_view kV2Settings = R"sql(
CREATE TABLE settings (
  name        TEXT    PRIMARY KEY,
  value       TEXT    NOT NULL,
  updated_at  BIGINT  NOT NULL
);
INSERT INTO change_counters(name, value) VALUES ('settings', 0);

CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE ON settings
  FOR EACH ROW EXECUTE FUNCTION otelstack_bump_change_counter('settings');
)sql";

// Version 3: identities and documents (see kV3IdentityAndDocuments in
// migrations.cc). SQLite's COLLATE NOCASE (ASCII case folding) becomes a
// unique index on otelstack_ascii_lower(email), which folds exactly the
// ASCII letters (lower() would also fold non-ASCII ones, unlike SQLite).
constexpr std::string_view kV3IdentityAndDocuments = R"sql(
CREATE FUNCTION otelstack_ascii_lower(t TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $$;

CREATE TABLE teams (
  id          BIGSERIAL PRIMARY KEY,
  name        TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL
);

CREATE TABLE users (
  id             BIGSERIAL PRIMARY KEY,
  team_id        BIGINT  NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  email          TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  role           TEXT    NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  password_hash  TEXT    NOT NULL,
  created_at     BIGINT  NOT NULL
);
CREATE UNIQUE INDEX users_by_email ON users(otelstack_ascii_lower(email));
CREATE INDEX users_by_team ON users(team_id);

CREATE TABLE sessions (
  id_digest       TEXT    PRIMARY KEY,
  user_id         BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at      BIGINT  NOT NULL,
  last_seen_at    BIGINT  NOT NULL,
  expires_at      BIGINT  NOT NULL,
  revoked_at      BIGINT,
  client_address  TEXT    NOT NULL,
  user_agent      TEXT    NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE invitations (
  id            BIGSERIAL PRIMARY KEY,
  team_id       BIGINT  NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  token_digest  TEXT    NOT NULL UNIQUE,
  email         TEXT    NOT NULL,
  role          TEXT    NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  created_by    BIGINT  NOT NULL,
  created_at    BIGINT  NOT NULL,
  expires_at    BIGINT  NOT NULL,
  used_at       BIGINT,
  used_by       BIGINT
);
CREATE INDEX invitations_by_team ON invitations(team_id);

CREATE TABLE personal_keys (
  id            BIGSERIAL PRIMARY KEY,
  user_id       BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          TEXT    NOT NULL,
  digest        TEXT    NOT NULL,
  created_at    BIGINT  NOT NULL,
  last_used_at  BIGINT,
  expires_at    BIGINT,
  revoked_at    BIGINT
);
CREATE UNIQUE INDEX personal_keys_by_digest ON personal_keys(digest);
CREATE INDEX personal_keys_by_user ON personal_keys(user_id);

CREATE TABLE team_settings (
  team_id  BIGINT  NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name     TEXT    NOT NULL,
  value    TEXT    NOT NULL,
  PRIMARY KEY (team_id, name)
);

CREATE TABLE documents (
  id             BIGSERIAL PRIMARY KEY,
  kind           INTEGER NOT NULL,
  team_id        BIGINT  NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name           TEXT    NOT NULL,
  json           TEXT    NOT NULL,
  sealed_secret  BYTEA   NOT NULL,
  created_by     BIGINT  NOT NULL,
  created_at     BIGINT  NOT NULL,
  updated_at     BIGINT  NOT NULL
);
CREATE INDEX documents_by_team_kind ON documents(team_id, kind, id);
)sql";

constexpr Migration kMigrations[] = {
    {1, "ingestion_keys", kV1IngestionKeys},
    {2, "settings", kV2Settings},
    {3, "identity_and_documents", kV3IdentityAndDocuments},
};

}  // namespace

std::span<const Migration> KnownPostgresMigrations() { return kMigrations; }

Status ApplyPostgresMigrations(PostgresDb& db, std::span<const Migration> migrations, int64_t* version) {
  auto txn = PgTransaction::Begin(db, PgLockDomain::kMigrations);
  if (!txn.ok()) return txn.status().WithContext("migrate metadata database");
  OTELSTACK_RETURN_IF_ERROR(
      db.ExecScript("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
  auto max = db.Exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!max.ok()) return max.status();
  const int64_t current = max->Int(0, 0);
  const int64_t latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    return Status::FailedPrecondition(db.description() + " has schema version " + std::to_string(current) +
                                      ", newer than this binary supports (" + std::to_string(latest) +
                                      "); upgrade otelstack");
  }
  const int64_t now_ms = ToUnixMillis(std::chrono::system_clock::now());
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    Status st = db.ExecScript(m.sql);
    if (!st.ok()) {
      return st.WithContext("apply migration " + std::to_string(m.version) + " (" + std::string(m.name) + ")");
    }
    auto record = db.Exec("INSERT INTO schema_migrations(version, name, applied_at) VALUES ($1, $2, $3)",
                          PgParams().Int(m.version).Text(m.name).Int(now_ms));
    if (!record.ok()) return record.status();
  }
  OTELSTACK_RETURN_IF_ERROR((*txn)->Commit());
  *version = latest;
  return Status::OK();
}

}  // namespace otelstack::meta
