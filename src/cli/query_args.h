// The options every reading command shares (search, chart, facets): where
// the data is, which signal, the time range, the query (Lucene or SQL) and
// the query limits. Register() adds them to a subcommand; Resolve() turns
// them into a snapshot-ready query.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "common/status.h"
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

class QueryArgs {
 public:
  // `with_shortcuts` adds the simple filters of the first search command
  // (--contains, --service, --trace-id), ANDed with the query.
  void Register(CLI::App* cmd, bool with_shortcuts);
  Status Resolve(ResolvedQuery* out) const;
  const std::string& data_dir() const { return data_dir_; }
  // Loads the store snapshot of the resolved signal.
  Status LoadSnapshot(Signal signal, StoreSnapshot* out) const;

 private:
  std::string data_dir_ = "./data";
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
