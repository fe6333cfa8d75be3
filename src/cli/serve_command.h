// `otelstack serve`: runs the server (server/server.h) with settings from
// flags > OTELSTACK_* environment variables > a YAML --config file >
// defaults. The config file is read before the command line is parsed, so
// its values become the defaults that environment variables and flags then
// override; retention settings also remember where each value came from.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/server.h"

namespace otelstack::cli {

// A retention setting of `serve`: --retention (all signals) or
// --retention-<signal>; the value is parsed by RunServe.
struct RetentionFlag {
  std::string name;  // flag name without dashes, also the YAML key
  std::string env;
  std::string value;
  std::string config_file;  // set when the value came from the config file
  CLI::Option* option = nullptr;
};

struct ServeFlags {
  server::ServerOptions options;
  std::string log_level = "info";
  std::string wal_fsync = "always";
  double query_max_execution_time_s = 0;  // becomes options.query_max_execution_time
  std::string config_file;
  // --storage embedded|clickhouse and the ClickHouse connection (the
  // password only from OTELSTACK_CLICKHOUSE_PASSWORD[_FILE]).
  std::string storage = "embedded";
  std::string clickhouse_url;
  std::string clickhouse_user;
  std::string clickhouse_query_user;
  std::string clickhouse_database = "otel";
  std::string clickhouse_ca_file;
  std::string clickhouse_cluster;
  double clickhouse_flush_interval_s = 1;
  uint64_t clickhouse_max_backlog_mb = 320;
  std::string clickhouse_compression = "auto";
  // [0]: all signals; then one per signal in kAllSignals order.
  std::vector<RetentionFlag> retention = {
      {"retention", "OTELSTACK_RETENTION", "", "", nullptr},
      {"retention-logs", "OTELSTACK_RETENTION_LOGS", "", "", nullptr},
      {"retention-traces", "OTELSTACK_RETENTION_TRACES", "", "", nullptr},
      {"retention-metrics", "OTELSTACK_RETENTION_METRICS", "", "", nullptr},
  };
};

// Registers serve's options (every flag with its OTELSTACK_* variable) on
// `command` so that another subcommand (`otelstack doctor`) accepts exactly
// what `serve` accepts; values land in `f`.
void AddServeOptions(CLI::App* command, ServeFlags& f);

// --config FILE / --config=FILE in argv, else OTELSTACK_CONFIG, else "".
// Read before the real parse, so the file's values can become the defaults
// that env vars and flags then override.
std::string FindConfigFile(int argc, char** argv);

// Applies the config file named by FindConfigFile (if any) to *flags.
// InvalidArgument naming the file and the setting when it cannot be read or
// holds an unknown or malformed setting.
Status ApplyServeConfigFile(int argc, char** argv, ServeFlags* flags);

// Turns parsed flags into f.options: checks combinations, reads the
// ClickHouse passwords from the environment, parses retention, reads
// OTELSTACK_ENV. InvalidArgument saying which setting is wrong.
Status ResolveServeFlags(ServeFlags& f, int argc, char** argv);

class ServeCommand {
 public:
  // Registers `serve` on `app`, after applying a config file named by
  // --config in argv or by OTELSTACK_CONFIG (see config_status()).
  ServeCommand(CLI::App& app, int argc, char** argv);
  // Not OK when the config file could not be read or holds a bad setting.
  const Status& config_status() const { return config_status_; }
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_ = nullptr;
  int argc_;
  char** argv_;
  ServeFlags flags_;
  Status config_status_;
};

}  // namespace otelstack::cli
