// A thin RAII layer over the SQLite C API, private to the meta module.
//
// SqliteDb owns one connection and the mutex that serialises its use: SQLite
// connections must not run statements from two threads at once, and a
// transaction spans several calls. Callers hold Lock() for the whole
// transaction. Statements are prepared per use; the metadata store is far off
// the hot path.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack::meta {

// Status for a failed SQLite call: "<db file>: <context>: <sqlite message>". SQLITE_BUSY
// maps to Unavailable (another process held the lock past busy_timeout).
Status SqliteStatus(sqlite3* db, int rc, std::string_view context);

class SqliteDb {
 public:
  // Opens (creating if needed) the database file; applies no pragmas.
  static StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  std::unique_lock<std::mutex> Lock() { return std::unique_lock<std::mutex>(mu_); }

  // Runs one or more statements that return no rows. Requires Lock().
  Status Exec(std::string_view sql);

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::mutex mu_;
};

// A prepared statement. Bind indexes start at 1, column indexes at 0.
class SqliteStatement {
 public:
  static StatusOr<SqliteStatement> Prepare(SqliteDb& db, std::string_view sql);
  SqliteStatement(SqliteStatement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  ~SqliteStatement();

  void BindInt(int index, int64_t value);
  void BindText(int index, std::string_view value);
  void BindBlob(int index, std::string_view value);
  void BindNull(int index);
  void BindOptionalInt(int index, std::optional<int64_t> value);

  // Advances to the next row: true if there is one, false when done.
  StatusOr<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Makes the statement runnable again; bindings are kept until rebound.
  void Reset() { sqlite3_reset(stmt_); }

  int64_t ColumnInt(int col) const;
  std::optional<int64_t> ColumnOptionalInt(int col) const;
  std::string ColumnText(int col) const;
  std::string ColumnBlob(int col) const;

 private:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// Commits on Commit(), rolls back on destruction otherwise. Begins with
// BEGIN IMMEDIATE for writers: taking the write lock up front makes SQLite
// wait (busy_timeout) instead of failing at the first write with SQLITE_BUSY.
class SqliteTransaction {
 public:
  enum class Mode { kRead, kWrite };
  static StatusOr<std::unique_ptr<SqliteTransaction>> Begin(SqliteDb& db, Mode mode);
  ~SqliteTransaction();
  Status Commit();

 private:
  explicit SqliteTransaction(SqliteDb& db) : db_(db) {}
  SqliteDb& db_;
  bool open_ = true;
};

// Unix milliseconds, the representation of times in the database.
inline int64_t ToUnixMillis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline std::chrono::system_clock::time_point FromUnixMillis(int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

}  // namespace otelstack::meta
