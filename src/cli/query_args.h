// The options every reading command shares (search, chart, facets): where
// the data is, which signal, the time range, the query (Lucene or SQL) and
// the query limits. Register() adds them to a subcommand; Resolve() turns
// them into a snapshot-ready query.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "query/backend.h"
#include "query/execution/limits.h"
#include "query/parser/ast.h"
#include "store/schema/schema.h"
#include "store/snapshot.h"

namespace otelstack::cli {

struct ResolvedQuery {
  Signal signal = Signal::kLogs;
  uint64_t from_ns = 0;
  uint64_t to_ns = UINT64_MAX;
  query::ast::NodePtr root;  // null: every row
  query::QueryLimits limits;
};

// Where a reading command reads: the data directory (default) or, with
// --clickhouse-url, a ClickHouse server (password only from the environment:
// OTELSTACK_CLICKHOUSE_PASSWORD or OTELSTACK_CLICKHOUSE_PASSWORD_FILE; the
// other options default to OTELSTACK_CLICKHOUSE_URL/_USER/_DATABASE/_CA_FILE).
class BackendArgs {
 public:
  void Register(CLI::App* cmd);
  // The embedded store of the data directory (the snapshot holds `signal`,
  // every signal when nullopt) or the ClickHouse tables.
  Status Open(std::optional<Signal> signal, std::unique_ptr<query::QueryBackend>* out) const;
  bool clickhouse() const { return !clickhouse_url_.empty(); }

 private:
  std::string data_dir_ = "./data";
  std::string clickhouse_url_, clickhouse_user_, clickhouse_database_ = "otel", clickhouse_ca_file_;
};

class QueryArgs {
 public:
  // `with_shortcuts` adds the simple filters of the first search command
  // (--contains, --service, --trace-id), ANDed with the query.
  void Register(CLI::App* cmd, bool with_shortcuts);
  Status Resolve(ResolvedQuery* out) const;
  // The backend to run the resolved query on (see BackendArgs).
  Status OpenBackend(Signal signal, std::unique_ptr<query::QueryBackend>* out) const {
    return backend_.Open(signal, out);
  }

 private:
  BackendArgs backend_;
  std::string signal_ = "logs";
  std::string from_, to_, since_;
  std::string lucene_, sql_;
  std::string contains_, service_, trace_id_;
  uint64_t max_rows_to_read_ = 0;
  std::string read_overflow_mode_ = "throw";
  double max_execution_time_s_ = 0;
  std::string timeout_overflow_mode_ = "throw";
};

// Reports a failed command on stderr ("otelstack <command>: <status>") and
// returns the exit code 1.
int FailCommand(const char* command, const Status& s);

}  // namespace otelstack::cli
