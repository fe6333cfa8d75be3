#include "cli/doctor_command.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>

#include "doctor/doctor.h"
#include "doctor/report.h"
#include "http/http_client.h"

namespace otelstack::cli {

DoctorCommand::DoctorCommand(CLI::App& app, int argc, char** argv) : argc_(argc), argv_(argv) {
  config_status_ = ApplyServeConfigFile(argc, argv, &flags_);
  cmd_ = app.add_subcommand("doctor",
                            "Audit the configuration `serve` would run with (and a running instance) against the "
                            "production guide");
  AddServeOptions(cmd_, flags_);
  cmd_->add_option("--admin-url", admin_url_,
                   "Also probe a running instance through its app URL, e.g. https://otel.example.com or "
                   "http://127.0.0.1:8080 (health, certificate, HSTS, 401s)");
  cmd_->add_option("--admin-ca-file", admin_ca_file_, "PEM CA bundle to verify --admin-url's certificate");
  cmd_->add_option("--timeout", timeout_seconds_, "Seconds each network probe may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd_->add_flag("--json", json_, "Print the checks as JSON");
  cmd_->footer(
      "Every check has an id (docs/production.md says which guide item it covers). Exit status: 0 nothing FAILs,\n"
      "1 something FAILs, 2 bad usage. Doctor reads the data directory (and meta.db) but writes nothing else.");
}

int DoctorCommand::Run() {
  // Logs go to stderr, and only errors: stdout is the report (maybe JSON), and
  // what serve would warn about is what the checks report.
  auto logger = spdlog::stderr_color_mt("otelstack-doctor");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::err);

  doctor::DoctorInput input;
  input.settings_status = config_status_;
  if (input.settings_status.ok()) input.settings_status = ResolveServeFlags(flags_, argc_, argv_);
  input.options = flags_.options;
  input.config_file = flags_.config_file.empty() ? FindConfigFile(argc_, argv_) : flags_.config_file;
  input.instance.admin_url = admin_url_;
  input.instance.ca_file = admin_ca_file_;
  if (!admin_url_.empty()) {
    auto url = http::ParseClientUrl(admin_url_);
    if (!url.ok()) {
      std::cerr << "doctor: --admin-url: " << url.status().message() << "\n";
      return 2;
    }
  }

  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds_ * 1000));
  auto clickhouse_probe = doctor::NewNetworkClickHouseProbe(timeout);
  doctor::DoctorProbes probes;
  probes.clickhouse = clickhouse_probe.get();
  probes.fetch = [timeout](const http::ClientRequest& request) {
    http::ClientRequest bounded = request;
    bounded.timeout = timeout;
    return http::Fetch(bounded);
  };
  std::vector<doctor::CheckResult> results = doctor::RunDoctor(input, probes);
  std::cout << (json_ ? doctor::RenderJson(results) : doctor::RenderTable(results));
  return doctor::ExitCodeFor(results);
}

}  // namespace otelstack::cli
