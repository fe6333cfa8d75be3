// `otelstack retention show|set|unset`: per-signal retention of a data
// directory.
//
//   show  [--data-dir D] [--json]   effective retention per signal, where it
//         comes from, and the retention floor (before which data is gone)
//   set   --signal logs|traces|metrics|all DURATION [--data-dir D]
//         stores an override in meta.db that wins over the server's flags,
//         environment and config file; a running server applies it within a
//         few seconds (and drops newly expired days at once)
//   unset --signal ... [--data-dir D]   removes the override again
//
// Effective value, as `show` explains it: the override if any, else what
// the server recorded at its last start (flag > env > config file >
// default), else the default of 3 days.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <string>

#include "common/status.h"

namespace otelstack::cli {

// A retention duration: "0" (keep forever) or a duration of at least one
// minute in whole seconds ("90m", "72h", "3d"; see time_args.h).
StatusOr<std::chrono::seconds> ParseRetention(const std::string& text);

class RetentionCommand {
 public:
  explicit RetentionCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  int Show();
  int Set(bool unset);

  CLI::App* cmd_;
  CLI::App* show_;
  CLI::App* set_;
  CLI::App* unset_;
  std::string data_dir_ = "./data";
  std::string meta_database_url_;  // empty: SQLite in data_dir_
  bool json_ = false;
  std::string signal_;
  std::string duration_;
};

}  // namespace otelstack::cli
