#include "meta/sqlite_db.h"

namespace otelstack::meta {

namespace {

// Maps an SQLite result code to a Status code, keeping the message.
Status StatusForCode(int rc, std::string msg) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(std::move(msg) + " (the database is locked by another process)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(msg));
    case SQLITE_CONSTRAINT:
      return Status::FailedPrecondition(std::move(msg));
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
    case SQLITE_CANTOPEN:
      return Status::PermissionDenied(std::move(msg));
    default:
      return Status::IOError(std::move(msg));
  }
}

}  // namespace

Status SqliteStatus(sqlite3* db, int rc, std::string_view context) {
  std::string msg;
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  if (file != nullptr && *file != '\0') {
    msg += file;
    msg += ": ";
  }
  msg += context;
  msg += ": ";
  msg += (db != nullptr && sqlite3_extended_errcode(db) == rc) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return StatusForCode(rc, std::move(msg));
}

// ---- SqliteDb ----------------------------------------------------------

StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* db = nullptr;
  // NOMUTEX: SqliteDb's own mutex serialises use of the connection.
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqliteStatus(nullptr, rc, "open " + path);
    sqlite3_close(db);
    return st;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<SqliteDb>(new SqliteDb(db, path));
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

Status SqliteDb::Exec(std::string_view sql) {
  std::string copy(sql);  // sqlite3_exec needs a NUL-terminated string
  char* err = nullptr;
  int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::OK();
  std::string msg = path_ + ": " + (err != nullptr ? err : sqlite3_errstr(rc));
  sqlite3_free(err);
  return StatusForCode(rc, std::move(msg));
}

// ---- SqliteStatement ---------------------------------------------------

StatusOr<SqliteStatement> SqliteStatement::Prepare(SqliteDb& db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db.handle(), rc, "prepare \"" + std::string(sql) + "\"");
  return SqliteStatement(db.handle(), stmt);
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

void SqliteStatement::BindInt(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

void SqliteStatement::BindText(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void SqliteStatement::BindBlob(int index, std::string_view value) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  sqlite3_bind_blob64(stmt_, index, value.empty() ? "" : value.data(), value.size(), SQLITE_TRANSIENT);
}

void SqliteStatement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

void SqliteStatement::BindOptionalInt(int index, std::optional<int64_t> value) {
  if (value) {
    BindInt(index, *value);
  } else {
    BindNull(index);
  }
}

StatusOr<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(db_, rc, std::string("step \"") + sqlite3_sql(stmt_) + "\"");
}

Status SqliteStatement::Run() {
  StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return Status::OK();
}

int64_t SqliteStatement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }

std::optional<int64_t> SqliteStatement::ColumnOptionalInt(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt_, col);
}

std::string SqliteStatement::ColumnText(int col) const {
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(n));
}

std::string SqliteStatement::ColumnBlob(int col) const {
  const void* blob = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return blob == nullptr ? std::string() : std::string(static_cast<const char*>(blob), static_cast<size_t>(n));
}

// ---- SqliteTransaction -------------------------------------------------

StatusOr<std::unique_ptr<SqliteTransaction>> SqliteTransaction::Begin(SqliteDb& db, Mode mode) {
  OTELSTACK_RETURN_IF_ERROR(db.Exec(mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
  return std::unique_ptr<SqliteTransaction>(new SqliteTransaction(db));
}

SqliteTransaction::~SqliteTransaction() {
  if (open_) db_.Exec("ROLLBACK");  // best effort; a failed ROLLBACK leaves nothing to undo
}

Status SqliteTransaction::Commit() {
  Status st = db_.Exec("COMMIT");
  // A failed COMMIT (e.g. SQLITE_BUSY) leaves the transaction open; the
  // destructor rolls it back.
  if (st.ok()) open_ = false;
  return st;
}

}  // namespace otelstack::meta
