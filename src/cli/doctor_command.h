// `otelstack doctor [serve's flags...] [--admin-url URL] [--admin-ca-file PEM]
// [--json]`: audits the configuration `otelstack serve` would run with the
// same flags, OTELSTACK_* variables and --config file (doctor/doctor.h), and
// with --admin-url a running instance, against the production guide
// (docs/production.md).
//
// Output: a table (or --json) of checks, each PASS/WARN/FAIL/SKIP with a fix
// for WARN and FAIL. Exit status 0 when nothing FAILs, 1 when something
// does, 2 for bad usage.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/serve_command.h"
#include "common/status.h"

namespace otelstack::cli {

class DoctorCommand {
 public:
  // Registers `doctor` on `app` with every option of `serve`, after applying
  // the config file named by --config in argv or by OTELSTACK_CONFIG; a
  // config file that does not load is reported by Run as a FAIL.
  DoctorCommand(CLI::App& app, int argc, char** argv);
  bool parsed() const { return cmd_->parsed(); }
  int Run();

 private:
  CLI::App* cmd_ = nullptr;
  int argc_;
  char** argv_;
  ServeFlags flags_;
  Status config_status_;
  std::string admin_url_;
  std::string admin_ca_file_;
  double timeout_seconds_ = 10;
  bool json_ = false;
};

}  // namespace otelstack::cli
