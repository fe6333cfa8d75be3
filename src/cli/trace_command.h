// `otelstack trace`: every span of a trace plus the logs that carry its
// trace id, oldest first, as one JSON object (query/result_json.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/query_args.h"

namespace otelstack::cli {

class TraceCommand {
 public:
  explicit TraceCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  BackendArgs backend_;
  std::string trace_id_;
};

}  // namespace otelstack::cli
