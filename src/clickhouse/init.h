// `otelstack clickhouse init`: the database and the two ClickHouse users
// otelstack needs, made by an administrator once.
//
//   database      CREATE DATABASE IF NOT EXISTS <database> (every version).
//   ingest user   writes telemetry: creates its tables and inserts, in
//                 <database> only.
//   query user    reads for the UI and API: readonly = 1, SELECT on
//                 <database> only, with row/time limits it cannot lift.
//
// What each server supports decides how (PlanInit picks by ServerFeatures):
//
//   >= 22.9 (SQL users and CHANGEABLE_IN_READONLY): SQL only. The ingest user
//     gets GRANT SELECT, INSERT, CREATE TABLE, CREATE VIEW ON <db>.* (no DROP)
//     plus ALTER DELETE for retention's DROP PARTITION (optional). The query user gets a settings profile with readonly
//     = 1 and, for max_rows_to_read, max_execution_time (MIN 1 MAX <limit>: 0 would mean unlimited), read_overflow_mode
//     and cancel_http_readonly_queries_on_client_close, CHANGEABLE_IN_READONLY constraints: the query engine may send
//     them as URL settings but never raise a limit past the profile's value. ClickHouse documents that
//     CHANGEABLE_IN_READONLY needs the server setting
//     access_control_improvements.settings_constraints_replace_previous
//     (a note says so).
//   20.5 - 22.8 (SQL users, no CHANGEABLE_IN_READONLY): the same users; the
//     profile fixes the limits with readonly = 1 and the query user can
//     change no setting (readonly = 2 would let it lift any limit).
//   < 20.5 (e.g. 18.16; no SQL users): only the database is created; the
//     users come from a users.xml fragment (users.d/otelstack.xml) with
//     password_sha256_hex, <allow_databases>, and profiles: the query profile
//     has readonly = 1 and the limits, the ingest profile readonly = 0. 18.16
//     has no grants: the ingest user is confined to <database> but may DROP
//     and ALTER in it (allow_ddl = 0 would not help: it forbids the CREATE
//     TABLE the sink needs, and 18.16's HTTP handler lets a URL parameter
//     allow_ddl=1 lift it anyway). docs/clickhouse.md has the details.
//
// wait_end_of_query is an HTTP handler parameter on every version (not a
// setting), allowed even under readonly = 1: no profile mentions it.
//
// Passwords never appear in SQL text: users are created with
// IDENTIFIED WITH sha256_hash BY '<hex>' (the same sha256_password
// authentication, without the plaintext reaching query logs).
// Re-running init is safe: IF NOT EXISTS everywhere, and ALTER statements
// that set the passwords and the profile again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clickhouse/http_client.h"
#include "common/status.h"

namespace otelstack::clickhouse {

struct InitOptions {
  std::string database = "otel";
  std::string ingest_user = "otelstack_ingest";
  std::string query_user = "otelstack_query";
  std::string ingest_password;  // plaintext; required (not empty)
  std::string query_password;
  // The query user's limits (the profile's values, the highest it may use).
  uint64_t max_rows_to_read = 1'000'000'000;
  uint64_t max_execution_time_seconds = 60;
  // GRANT ALTER DELETE ON <db>.* to the ingest user: what otelstack's
  // retention needs for ALTER TABLE ... DROP PARTITION (clickhouse/retention.h);
  // it also allows ALTER TABLE ... DELETE mutations in <db>. False when
  // retention is left to the ClickHouse administrator.
  bool retention_grant = true;
  // users.xml only: <networks><ip> entries the users may connect from.
  std::vector<std::string> networks = {"::/0"};
};

struct InitPlan {
  // SQL to run as the administrator, in order; always starts with
  // CREATE DATABASE IF NOT EXISTS.
  std::vector<std::string> statements;
  // Servers without SQL users: the users.d file to install, else empty.
  std::string users_xml;
  // What the administrator must know or do, one instruction per line.
  std::string notes;
};

// Names must be [A-Za-z_][A-Za-z0-9_]{0,63}; InvalidArgument otherwise, and
// when a password is empty or a limit is 0.
StatusOr<InitPlan> PlanInit(const ServerFeatures& features, const InitOptions& options);

// Runs plan.statements with `admin`, in order; the first failure stops it
// (its Status names the statement's first words, never a password hash).
Status RunInit(const Client& admin, const InitPlan& plan);

// Lowercase hex SHA-256 (users.xml password_sha256_hex, sha256_hash).
std::string Sha256Hex(std::string_view text);

// A random password of 32 characters from [A-Za-z0-9] (~190 bits).
StatusOr<std::string> GenerateClickHousePassword();

}  // namespace otelstack::clickhouse
