#include "meta/postgres_db.h"

#include <dlfcn.h>

#include <charconv>
#include <cstring>
#include <mutex>
#include <type_traits>

namespace otelstack::meta {

namespace {

// libpq, loaded on first use (dlopen) rather than linked: loading it and its
// dependencies (Kerberos, LDAP, GnuTLS...) costs about 5 ms at every process
// start, and only processes given --meta-database-url ever talk to
// PostgreSQL. Pq() may be called once LoadLibPq() succeeded (every
// PostgresDb is made by Connect, which loads it first).
struct LibPq {
  decltype(&::PQcmdStatus) PQcmdStatus;
  decltype(&::PQgetisnull) PQgetisnull;
  decltype(&::PQntuples) PQntuples;
  decltype(&::PQclear) PQclear;
  decltype(&::PQcmdTuples) PQcmdTuples;
  decltype(&::PQconnectdbParams) PQconnectdbParams;
  decltype(&::PQconninfoFree) PQconninfoFree;
  decltype(&::PQconninfoParse) PQconninfoParse;
  decltype(&::PQerrorMessage) PQerrorMessage;
  decltype(&::PQexec) PQexec;
  decltype(&::PQexecParams) PQexecParams;
  decltype(&::PQfinish) PQfinish;
  decltype(&::PQfreemem) PQfreemem;
  decltype(&::PQgetlength) PQgetlength;
  decltype(&::PQgetvalue) PQgetvalue;
  decltype(&::PQreset) PQreset;
  decltype(&::PQresultErrorField) PQresultErrorField;
  decltype(&::PQresultErrorMessage) PQresultErrorMessage;
  decltype(&::PQresultStatus) PQresultStatus;
  decltype(&::PQstatus) PQstatus;
  decltype(&::PQunescapeBytea) PQunescapeBytea;
};

const LibPq* g_libpq = nullptr;

Status LoadLibPq() {
  static std::once_flag once;
  static LibPq api;
  static std::string error;
  std::call_once(once, [] {
    constexpr char kLibrary[] = "libpq.so.5";
    void* handle = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      error = std::string("cannot load ") + kLibrary + " (install libpq5): " + (why != nullptr ? why : "");
      return;
    }
    auto load = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(handle, name));
      if (fn == nullptr && error.empty()) error = std::string(kLibrary) + " has no " + name;
    };
    load(api.PQclear, "PQclear");
    load(api.PQcmdTuples, "PQcmdTuples");
    load(api.PQconnectdbParams, "PQconnectdbParams");
    load(api.PQconninfoFree, "PQconninfoFree");
    load(api.PQconninfoParse, "PQconninfoParse");
    load(api.PQerrorMessage, "PQerrorMessage");
    load(api.PQexec, "PQexec");
    load(api.PQexecParams, "PQexecParams");
    load(api.PQfinish, "PQfinish");
    load(api.PQfreemem, "PQfreemem");
    load(api.PQgetlength, "PQgetlength");
    load(api.PQgetvalue, "PQgetvalue");
    load(api.PQreset, "PQreset");
    load(api.PQresultErrorField, "PQresultErrorField");
    load(api.PQresultErrorMessage, "PQresultErrorMessage");
    load(api.PQresultStatus, "PQresultStatus");
    load(api.PQstatus, "PQstatus");
    load(api.PQunescapeBytea, "PQunescapeBytea");
    load(api.PQcmdStatus, "PQcmdStatus");
    load(api.PQgetisnull, "PQgetisnull");
    load(api.PQntuples, "PQntuples");
    if (error.empty()) g_libpq = &api;
  });
  return g_libpq != nullptr ? Status::OK() : Status::Unavailable(error);
}

const LibPq& Pq() { return *g_libpq; }

// Maps a SQLSTATE (may be empty: a client-side failure) to a Status code.
Status StatusForSqlState(std::string_view state, bool connection_bad, std::string msg) {
  if (connection_bad || state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03") {
    return Status::Unavailable(std::move(msg) + " (connection to the metadata database lost; retry)");
  }
  if (state == "40001" || state == "40P01" || state == "55P03") {
    return Status::Unavailable(std::move(msg) + " (the metadata database is busy; retry)");
  }
  if (state.starts_with("23")) return Status::FailedPrecondition(std::move(msg));
  if (state.starts_with("28") || state == "42501") return Status::PermissionDenied(std::move(msg));
  if (state == "XX001" || state == "XX002") return Status::Corruption(std::move(msg));
  return Status::IOError(std::move(msg));
}

std::string TrimMessage(const char* text) {
  std::string msg = text != nullptr ? text : "";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

std::string LockDomainSql(PgLockDomain domain) {
  return "SELECT pg_advisory_xact_lock(" + std::to_string(static_cast<int64_t>(domain)) + ")";
}

}  // namespace

// ---- PgParams -----------------------------------------------------------

PgParams& PgParams::Int(int64_t value) {
  values_.emplace_back(std::to_string(value));
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Text(std::string_view value) {
  values_.emplace_back(std::string(value));
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Bytea(std::string_view value) {
  values_.emplace_back(std::string(value));
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::Null() {
  values_.emplace_back(std::nullopt);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::OptionalInt(std::optional<int64_t> value) { return value ? Int(*value) : Null(); }

std::vector<const char*> PgParams::Values() const {
  std::vector<const char*> out;
  for (const auto& v : values_) out.push_back(v ? v->data() : nullptr);
  return out;
}

std::vector<int> PgParams::Lengths() const {
  std::vector<int> out;
  for (const auto& v : values_) out.push_back(v ? static_cast<int>(v->size()) : 0);
  return out;
}

// ---- PgResult -----------------------------------------------------------

PgResult::~PgResult() {
  if (result_ != nullptr) Pq().PQclear(result_);
}

int PgResult::rows() const { return Pq().PQntuples(result_); }

bool PgResult::IsNull(int row, int col) const { return Pq().PQgetisnull(result_, row, col) != 0; }

std::string PgResult::command_status() const { return Pq().PQcmdStatus(result_); }

int64_t PgResult::affected() const {
  const char* text = Pq().PQcmdTuples(result_);
  int64_t n = 0;
  if (text != nullptr) std::from_chars(text, text + std::strlen(text), n);
  return n;
}

int64_t PgResult::Int(int row, int col) const {
  const char* text = Pq().PQgetvalue(result_, row, col);
  int64_t n = 0;
  if (text != nullptr) std::from_chars(text, text + std::strlen(text), n);
  return n;
}

std::optional<int64_t> PgResult::OptionalInt(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}

std::string PgResult::Text(int row, int col) const {
  return std::string(Pq().PQgetvalue(result_, row, col), static_cast<size_t>(Pq().PQgetlength(result_, row, col)));
}

std::string PgResult::Bytea(int row, int col) const {
  if (IsNull(row, col)) return std::string();
  size_t n = 0;
  unsigned char* raw =
      Pq().PQunescapeBytea(reinterpret_cast<const unsigned char*>(Pq().PQgetvalue(result_, row, col)), &n);
  if (raw == nullptr) return std::string();
  std::string out(reinterpret_cast<const char*>(raw), n);
  Pq().PQfreemem(raw);
  return out;
}

// ---- conninfo -----------------------------------------------------------

Status CheckPostgresConninfo(const std::string& conninfo, std::string* description) {
  OTELSTACK_RETURN_IF_ERROR(LoadLibPq());
  char* err = nullptr;
  PQconninfoOption* options = Pq().PQconninfoParse(conninfo.c_str(), &err);
  if (options == nullptr) {
    std::string msg = TrimMessage(err);
    Pq().PQfreemem(err);
    return Status::InvalidArgument("metadata database URL: " + (msg.empty() ? std::string("out of memory") : msg));
  }
  std::string user, host, port, dbname, hostaddr;
  bool has_password = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    std::string_view key = o->keyword;
    if (key == "password") has_password = true;
    if (key == "user") user = o->val;
    if (key == "host") host = o->val;
    if (key == "hostaddr") hostaddr = o->val;
    if (key == "port") port = o->val;
    if (key == "dbname") dbname = o->val;
  }
  Pq().PQconninfoFree(options);
  if (has_password) {
    return Status::InvalidArgument(
        "the metadata database URL must not contain a password: set OTELSTACK_META_DATABASE_PASSWORD or "
        "OTELSTACK_META_DATABASE_PASSWORD_FILE instead (a URL ends up in process lists, logs and shell history)");
  }
  if (host.empty()) host = hostaddr.empty() ? "localhost" : hostaddr;
  if (port.empty()) port = "5432";
  *description = "postgresql://" + (user.empty() ? std::string() : user + "@") + host + ":" + port + "/" + dbname;
  return Status::OK();
}

// ---- PostgresDb ---------------------------------------------------------

StatusOr<std::unique_ptr<PostgresDb>> PostgresDb::Connect(const std::string& conninfo, const std::string& password,
                                                          std::chrono::milliseconds lock_timeout) {
  std::string description;
  OTELSTACK_RETURN_IF_ERROR(CheckPostgresConninfo(conninfo, &description));
  // Earlier keywords are defaults the URL (expanded from dbname) may
  // override; the password comes last so nothing overrides it.
  std::vector<const char*> keys = {"connect_timeout", "fallback_application_name", "dbname"};
  std::vector<const char*> values = {"10", "otelstack", conninfo.c_str()};
  if (!password.empty()) {
    keys.push_back("password");
    values.push_back(password.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = Pq().PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr) return Status::ResourceExhausted(description + ": cannot allocate a libpq connection");
  if (Pq().PQstatus(conn) != CONNECTION_OK) {
    std::string msg = description + ": connect: " + TrimMessage(Pq().PQerrorMessage(conn));
    Pq().PQfinish(conn);
    // Wrong password or a refused role is not worth retrying.
    if (msg.find("password authentication failed") != std::string::npos ||
        msg.find("no pg_hba.conf entry") != std::string::npos) {
      return Status::PermissionDenied(std::move(msg));
    }
    return Status::Unavailable(std::move(msg));
  }
  std::unique_ptr<PostgresDb> db(new PostgresDb(conn, std::move(description), lock_timeout));
  OTELSTACK_RETURN_IF_ERROR(db->ConfigureSession());
  return db;
}

PostgresDb::~PostgresDb() { Pq().PQfinish(conn_); }

Status PostgresDb::ConfigureSession() {
  // READ COMMITTED is what PgTransaction's advisory locking relies on; set it
  // explicitly in case the server's default differs.
  return ExecScript("SET lock_timeout = " + std::to_string(lock_timeout_.count()) +
                    "; SET default_transaction_isolation = 'read committed'; SET client_min_messages = warning");
}

Status PostgresDb::EnsureConnected() {
  if (Pq().PQstatus(conn_) == CONNECTION_OK || in_transaction_) return Status::OK();
  Pq().PQreset(conn_);
  if (Pq().PQstatus(conn_) != CONNECTION_OK) {
    return Status::Unavailable(description_ + ": reconnect: " + TrimMessage(Pq().PQerrorMessage(conn_)));
  }
  return ConfigureSession();
}

Status PostgresDb::Error(const PGresult* result, std::string_view context) {
  const char* state = result != nullptr ? Pq().PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = description_ + ": " + std::string(context) + ": " +
                    TrimMessage(result != nullptr ? Pq().PQresultErrorMessage(result) : Pq().PQerrorMessage(conn_));
  if (msg.back() == ' ') msg += TrimMessage(Pq().PQerrorMessage(conn_));
  return StatusForSqlState(state != nullptr ? state : "", Pq().PQstatus(conn_) == CONNECTION_BAD, std::move(msg));
}

StatusOr<PgResult> PostgresDb::Exec(std::string_view sql, const PgParams& params) {
  OTELSTACK_RETURN_IF_ERROR(EnsureConnected());
  std::string query(sql);
  std::vector<const char*> values = params.Values();
  std::vector<int> lengths = params.Lengths();
  PGresult* raw = Pq().PQexecParams(conn_, query.c_str(), params.size(), nullptr, values.data(), lengths.data(),
                                    params.Formats().data(), /*resultFormat=*/0);
  PgResult result(raw);
  ExecStatusType status = raw != nullptr ? Pq().PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Error(raw, "\"" + query + "\"");
  return result;
}

Status PostgresDb::ExecScript(std::string_view sql) {
  OTELSTACK_RETURN_IF_ERROR(EnsureConnected());
  std::string script(sql);
  // PQexec returns the last command's result; an error stops the script.
  PgResult result(Pq().PQexec(conn_, script.c_str()));
  const PGresult* raw = result.raw();
  ExecStatusType status = raw != nullptr ? Pq().PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Error(raw, std::string(1, '"').append(script, 0, 200).append(script.size() > 200 ? "...\"" : "\""));
  }
  return Status::OK();
}

// ---- PgTransaction ------------------------------------------------------

StatusOr<std::unique_ptr<PgTransaction>> PgTransaction::Begin(PostgresDb& db, std::optional<PgLockDomain> lock) {
  OTELSTACK_RETURN_IF_ERROR(db.ExecScript("BEGIN"));
  std::unique_ptr<PgTransaction> txn(new PgTransaction(db));
  db.in_transaction_ = true;
  if (lock) {
    auto locked = db.Exec(LockDomainSql(*lock));
    if (!locked.ok()) return locked.status().WithContext("take the metadata write lock");
  }
  return txn;
}

PgTransaction::~PgTransaction() {
  if (open_) db_.ExecScript("ROLLBACK");  // best effort: a lost connection rolled back already
  db_.in_transaction_ = false;
}

Status PgTransaction::Commit() {
  // A failed COMMIT ends the transaction in PostgreSQL (it rolls back), and
  // COMMIT of a transaction that had failed answers "ROLLBACK".
  auto result = db_.Exec("COMMIT");
  open_ = false;
  db_.in_transaction_ = false;
  if (!result.ok()) return result.status();
  if (result->command_status() != "COMMIT") {
    return Status::Unavailable(db_.description() + ": COMMIT rolled back the transaction");
  }
  return Status::OK();
}

}  // namespace otelstack::meta
