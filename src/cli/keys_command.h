// `otelstack keys list|create|rotate|revoke`: manage ingestion keys in a data
// directory's metadata store. A running server picks up changes within about
// a second.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace otelstack::cli {

class KeysCommand {
 public:
  explicit KeysCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_;
  CLI::App* list_;
  CLI::App* create_;
  CLI::App* rotate_;
  CLI::App* revoke_;
  CLI::App* reveal_;
  std::string data_dir_ = "./data";
  std::string meta_database_url_;  // empty: SQLite in data_dir_
  bool json_ = false;
  std::string name_ = "created with otelstack keys";
  int64_t id_ = 0;
  std::string grace_ = "24h";
};

}  // namespace otelstack::cli
