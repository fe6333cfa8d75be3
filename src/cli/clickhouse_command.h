// `otelstack clickhouse init`: prepares a ClickHouse server for otelstack
// (clickhouse/init.h): the database, an ingestion user and a readonly query
// user, by SQL on servers with SQL users, else by printing a users.xml
// fragment to install (the database is still created).
//
// The administrator's password comes from env
// OTELSTACK_CLICKHOUSE_ADMIN_PASSWORD (or _FILE) or one line of standard
// input with --admin-password-stdin, never from a flag. The two users'
// passwords come from OTELSTACK_CLICKHOUSE_INGEST_PASSWORD and
// OTELSTACK_CLICKHOUSE_QUERY_PASSWORD (or their _FILE variants); a missing one
// is generated and printed once on standard output.
//
// --print-only prints the SQL (and the XML) without changing anything; it
// still asks the server its version unless --server-version is given, so it
// can run without any server. Exit status: 0 done, 1 failed, 2 bad usage.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace otelstack::cli {

class ClickHouseCommand {
 public:
  explicit ClickHouseCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  CLI::App* init_;
  std::string url_;
  std::string admin_user_ = "default";
  bool admin_password_stdin_ = false;
  std::string database_ = "otel";
  std::string ingest_user_ = "otelstack_ingest";
  std::string query_user_ = "otelstack_query";
  std::string ca_file_;
  bool print_only_ = false;
  bool no_retention_grant_ = false;
  std::string server_version_;
  uint64_t max_rows_to_read_ = 1'000'000'000;
  uint64_t max_execution_time_ = 60;
  std::vector<std::string> networks_ = {"::/0"};
  double timeout_seconds_ = 30;
};

}  // namespace otelstack::cli
