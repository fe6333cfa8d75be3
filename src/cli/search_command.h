// `otelstack search`: prints matching records of a data directory as JSON
// lines, newest first. Reads the directory directly (parts plus the
// write-ahead log), so it works while the server runs and sees every
// acknowledged record.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace otelstack::cli {

class SearchCommand {
 public:
  explicit SearchCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  std::string data_dir_ = "./data";
  std::string signal_ = "logs";
  std::string from_, to_, since_;
  std::string contains_, service_, trace_id_;
  size_t limit_ = 100;
};

}  // namespace otelstack::cli
