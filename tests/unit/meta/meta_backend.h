// Runs a metadata-store test against each backend: SQLite in a temp data dir
// and PostgreSQL (a fresh database on the test binary's shared server,
// test_util/postgres_server.h; the PostgreSQL cases skip when it is not
// installed). Use TEST_P on a fixture derived from MetaBackendTest and
// OTELSTACK_INSTANTIATE_META_BACKENDS(Fixture).
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "meta/meta_store.h"
#include "meta/meta_store_location.h"
#include "test_util/postgres_server.h"
#include "test_util/temp_dir.h"

namespace otelstack::meta {

enum class MetaBackend { kSqlite, kPostgres };

inline std::string MetaBackendName(const ::testing::TestParamInfo<MetaBackend>& info) {
  return info.param == MetaBackend::kSqlite ? "Sqlite" : "Postgres";
}

class MetaBackendTest : public ::testing::TestWithParam<MetaBackend> {
 protected:
  void SetUp() override { UseFreshDatabase(); }

  bool postgres() const { return GetParam() == MetaBackend::kPostgres; }

  // Switches location_ to a new, empty database (SetUp does it once; loops
  // of rounds call it again). May skip or fail: callers check
  // IsSkipped() / HasFatalFailure().
  void UseFreshDatabase() {
    dirs_.push_back(std::make_unique<test::TempDir>());
    location_.data_dir = dirs_.back()->path();
    if (postgres()) {
      OTELSTACK_POSTGRES_DATABASE_OR_SKIP(url);
      location_.database_url = url;
    }
  }

  // Another MetaStore (another connection) on the test's database.
  StatusOr<std::unique_ptr<MetaStore>> OpenStore() { return OpenMetaStore(location_); }

  // Runs an INSERT on a separate raw connection; returns the new row's id,
  // or -1 on failure.
  int64_t RawInsert(const std::string& sql) {
    if (postgres()) {
      std::string id = RawQuery(sql + " RETURNING id");
      return id.empty() ? -1 : std::stoll(id);
    }
    sqlite3* db = nullptr;
    int64_t id = -1;
    std::string path = location_.data_dir + "/" + kMetaDbFileName;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
        sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK) {
      id = sqlite3_last_insert_rowid(db);
    }
    sqlite3_close(db);
    return id;
  }

  // Runs one statement on a separate raw connection; the first column of
  // its first row as text ("" when there is none or the statement failed).
  std::string RawQuery(const std::string& sql) {
    std::string out;
    if (postgres()) {
      PGconn* conn = PQconnectdb(location_.database_url.c_str());
      if (PQstatus(conn) == CONNECTION_OK) {
        PGresult* r = PQexec(conn, sql.c_str());
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
        PQclear(r);
      }
      PQfinish(conn);
      return out;
    }
    sqlite3* db = nullptr;
    std::string path = location_.data_dir + "/" + kMetaDbFileName;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        if (text != nullptr) out = reinterpret_cast<const char*>(text);
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
  }

  MetaStoreLocation location_;

 private:
  std::vector<std::unique_ptr<test::TempDir>> dirs_;
};

#define OTELSTACK_INSTANTIATE_META_BACKENDS(fixture)                                                         \
  INSTANTIATE_TEST_SUITE_P(                                                                                  \
      Backends, fixture,                                                                                     \
      ::testing::Values(::otelstack::meta::MetaBackend::kSqlite, ::otelstack::meta::MetaBackend::kPostgres), \
      ::otelstack::meta::MetaBackendName)

}  // namespace otelstack::meta
