// `otelstack trace`: every span of a trace plus the logs that carry its
// trace id, oldest first, as one JSON object (query/result_json.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace otelstack::cli {

class TraceCommand {
 public:
  explicit TraceCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  std::string data_dir_ = "./data";
  std::string trace_id_;
};

}  // namespace otelstack::cli
