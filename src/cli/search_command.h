// `otelstack search`: prints matching records of a data directory as JSON
// lines, newest first. Reads the directory directly (parts plus the
// write-ahead log), so it works while the server runs and sees every
// acknowledged record. A partial result (a limit in break mode) is reported
// on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/query_args.h"

namespace otelstack::cli {

class SearchCommand {
 public:
  explicit SearchCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  QueryArgs args_;
  size_t limit_ = 100;
};

}  // namespace otelstack::cli
