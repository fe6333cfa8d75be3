// `otelstack chart`: aggregates matching records (count, sum, avg, min, max,
// quantiles, distinct counts) by time bucket and fields, printing one JSON
// object (query/result_json.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/query_args.h"

namespace otelstack::cli {

class ChartCommand {
 public:
  explicit ChartCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  QueryArgs args_;
  std::vector<std::string> aggregates_;
  std::vector<std::string> group_by_;
  std::string granularity_;
  size_t top_k_ = 10;
};

}  // namespace otelstack::cli
