// `otelstack facets`: the most frequent values of fields among matching
// records, printed as one JSON object (query/result_json.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/query_args.h"

namespace otelstack::cli {

class FacetsCommand {
 public:
  explicit FacetsCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  QueryArgs args_;
  std::vector<std::string> fields_;
  size_t limit_ = 10;
};

}  // namespace otelstack::cli
