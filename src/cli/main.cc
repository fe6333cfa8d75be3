#include "cli/main.h"

#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "cli/chart_command.h"
#include "cli/clickhouse_command.h"
#include "cli/doctor_command.h"
#include "cli/facets_command.h"
#include "cli/healthcheck_command.h"
#include "cli/keys_command.h"
#include "cli/retention_command.h"
#include "cli/search_command.h"
#include "cli/serve_command.h"
#include "cli/trace_command.h"
#include "cli/users_command.h"

namespace otelstack::cli {

namespace {

constexpr char kVersion[] = "0.1.0";

// Query commands decode granules into large, short-lived buffers. By default
// glibc returns such blocks to the kernel on free, so every granule pays page
// faults again; a one-shot command keeps them instead.
void KeepFreedMemoryForReuse() {
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, 1024 << 20);
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"otelstack: a single-binary OpenTelemetry observability stack", "otelstack"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);

  ServeCommand serve(app, argc, argv);
  // A config file that does not load stops `serve` (below); `doctor` reports it.
  DoctorCommand doctor(app, argc, argv);
  SearchCommand search(app);
  ChartCommand chart(app);
  FacetsCommand facets(app);
  TraceCommand trace(app);
  KeysCommand keys(app);
  RetentionCommand retention(app);
  UsersCommand users(app);
  ClickHouseCommand clickhouse(app);
  HealthcheckCommand healthcheck(app);
  CLI::App* help = app.add_subcommand("help", "Show help for otelstack or one command: otelstack help <command>");
  std::string help_topic;
  help->add_option("command", help_topic, "Command to describe");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // doctor promises 2 for bad usage (scripts tell it from "something FAILs").
    return code != 0 && argc > 1 && std::string_view(argv[1]) == "doctor" ? 2 : code;
  }
  if (help->parsed()) {
    if (help_topic.empty()) {
      // app.help() would describe the selected `help` subcommand instead.
      std::cout << app.get_formatter()->make_help(&app, "otelstack", CLI::AppFormatMode::Normal);
      return 0;
    }
    try {
      std::cout << app.get_subcommand(help_topic)->help();
      return 0;
    } catch (const CLI::OptionNotFound&) {
      std::cerr << "otelstack: unknown command '" << help_topic << "'\n";
      return 2;
    }
  }
  if (serve.parsed()) {
    if (!serve.config_status().ok()) {
      std::cerr << "otelstack: " << serve.config_status().message() << "\n";
      return 2;
    }
    return serve.Run();
  }
  if (doctor.parsed()) return doctor.Run();
  KeepFreedMemoryForReuse();
  if (search.parsed()) return search.Run();
  if (chart.parsed()) return chart.Run();
  if (facets.parsed()) return facets.Run();
  if (trace.parsed()) return trace.Run();
  if (keys.parsed()) return keys.Run();
  if (retention.parsed()) return retention.Run();
  if (users.parsed()) return users.Run();
  if (clickhouse.parsed()) return clickhouse.Run();
  if (healthcheck.parsed()) return healthcheck.Run();
  std::cout << app.help();
  return 2;
}

}  // namespace otelstack::cli
