// A thin RAII layer over libpq, private to the meta module (the PostgreSQL
// counterpart of sqlite_db.h).
//
// PostgresDb owns one connection and the mutex that serialises its use: a
// libpq connection runs one command at a time, and a transaction spans
// several calls. Callers hold Lock() for the whole transaction. Queries use
// PQexecParams with text parameters (bytea ones in binary) and text results.
//
// Errors are Status with "<description>: <context>: <server message>":
//   - connection loss (libpq reports CONNECTION_BAD, or SQLSTATE class 08,
//     57P01..57P03) is Unavailable, so callers may retry; the next call
//     outside a transaction reconnects (PQreset) first;
//   - serialization failures, deadlocks and lock timeouts are Unavailable
//     (like SQLITE_BUSY);
//   - integrity constraint violations (class 23) are FailedPrecondition (like
//     SQLITE_CONSTRAINT); the repositories check their invariants first, so
//     this is a safety net, not the normal path;
//   - authentication and privilege errors are PermissionDenied.
// Messages never contain the password (the description is built without it).
//
// libpq itself is not linked: postgres_db.cc loads libpq.so.5 with dlopen
// the first time a URL is checked or a connection made (Unavailable naming
// the library if it is missing). Only its header is used here, for types.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace otelstack::meta {

// Transaction-scoped advisory lock keys, one per invariant domain (the
// PostgreSQL stand-in for SQLite's BEGIN IMMEDIATE). Arbitrary but fixed:
// every replica must use the same numbers. 0x6f74656c = "otel".
enum class PgLockDomain : int64_t {
  kMigrations = 0x6f74656c'00000001,
  kIngestionKeys = 0x6f74656c'00000002,
  kIdentity = 0x6f74656c'00000003,
};

// Query parameters, $1 first.
class PgParams {
 public:
  PgParams& Int(int64_t value);
  PgParams& Text(std::string_view value);
  PgParams& Bytea(std::string_view value);  // sent in binary: no escaping
  PgParams& Null();
  PgParams& OptionalInt(std::optional<int64_t> value);

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> Values() const;
  std::vector<int> Lengths() const;
  const std::vector<int>& Formats() const { return formats_; }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
};

// A command's result (rows in text format).
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  // Rows changed by INSERT/UPDATE/DELETE.
  int64_t affected() const;
  bool IsNull(int row, int col) const;
  int64_t Int(int row, int col) const;
  std::optional<int64_t> OptionalInt(int row, int col) const;
  std::string Text(int row, int col) const;
  std::string Bytea(int row, int col) const;
  std::string command_status() const;
  const PGresult* raw() const { return result_; }

 private:
  PGresult* result_;
};

class PostgresDb {
 public:
  // Connects with `conninfo` (a postgresql:// URL or key=value string, which
  // must not contain a password) and `password` (may be empty). Sets
  // lock_timeout to `lock_timeout`, so a writer waiting for another's
  // advisory lock fails with Unavailable instead of hanging.
  static StatusOr<std::unique_ptr<PostgresDb>> Connect(const std::string& conninfo, const std::string& password,
                                                       std::chrono::milliseconds lock_timeout);
  ~PostgresDb();
  PostgresDb(const PostgresDb&) = delete;
  PostgresDb& operator=(const PostgresDb&) = delete;

  // "postgresql://user@host:port/dbname", never with a password.
  const std::string& description() const { return description_; }
  std::unique_lock<std::mutex> Lock() { return std::unique_lock<std::mutex>(mu_); }

  // Runs one statement. Requires Lock().
  StatusOr<PgResult> Exec(std::string_view sql, const PgParams& params = {});
  // Runs one or more statements without parameters. Requires Lock().
  Status ExecScript(std::string_view sql);

 private:
  friend class PgTransaction;
  PostgresDb(PGconn* conn, std::string description, std::chrono::milliseconds lock_timeout)
      : conn_(conn), description_(std::move(description)), lock_timeout_(lock_timeout) {}
  // Reconnects a broken connection; only outside a transaction.
  Status EnsureConnected();
  Status ConfigureSession();
  // Status for a failed command (`result` may be null).
  Status Error(const PGresult* result, std::string_view context);

  PGconn* conn_;
  std::string description_;
  std::chrono::milliseconds lock_timeout_;
  bool in_transaction_ = false;
  std::mutex mu_;
};

// BEGIN on Begin(), COMMIT on Commit(), ROLLBACK on destruction otherwise.
// With a lock domain, the first statement is pg_advisory_xact_lock(domain):
// writers of one domain run one at a time across every process, and since the
// transaction is READ COMMITTED, every statement after the lock sees what the
// previous holder committed. The lock is released at COMMIT/ROLLBACK.
class PgTransaction {
 public:
  static StatusOr<std::unique_ptr<PgTransaction>> Begin(PostgresDb& db,
                                                        std::optional<PgLockDomain> lock = std::nullopt);
  ~PgTransaction();
  Status Commit();

 private:
  explicit PgTransaction(PostgresDb& db) : db_(db) {}
  PostgresDb& db_;
  bool open_ = true;
};

// Parses `conninfo` (URL or key=value). InvalidArgument if it is malformed or
// holds a password (which must come from the environment instead). On success
// *description is "postgresql://user@host:port/dbname" (defaults filled in
// as libpq would use them).
Status CheckPostgresConninfo(const std::string& conninfo, std::string* description);

}  // namespace otelstack::meta
