#include "cli/main.h"

#include <malloc.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/chart_command.h"
#include "cli/facets_command.h"
#include "cli/keys_command.h"
#include "cli/retention_command.h"
#include "cli/search_command.h"
#include "cli/trace_command.h"
#include "server/server.h"

namespace otelstack::cli {

namespace {

constexpr char kVersion[] = "0.1.0";

// A retention setting of `serve`: --retention (all signals) or
// --retention-<signal>; the value is parsed by RunServe.
struct RetentionFlag {
  std::string name;  // flag name without dashes, also the YAML key
  std::string env;
  std::string value;
  std::string config_file;  // set when the value came from the config file
  CLI::Option* option = nullptr;
};

struct ServeFlags {
  server::ServerOptions options;
  std::string log_level = "info";
  std::string wal_fsync = "always";
  std::string config_file;
  // [0]: all signals; then one per signal in kAllSignals order.
  std::vector<RetentionFlag> retention = {
      {"retention", "OTELSTACK_RETENTION", "", "", nullptr},
      {"retention-logs", "OTELSTACK_RETENTION_LOGS", "", "", nullptr},
      {"retention-traces", "OTELSTACK_RETENTION_TRACES", "", "", nullptr},
      {"retention-metrics", "OTELSTACK_RETENTION_METRICS", "", "", nullptr},
  };
};

// Finds --config FILE / --config=FILE in argv (or OTELSTACK_CONFIG) before
// the real parse, so the file's values can become the defaults that env vars
// and flags then override.
std::string FindConfigFile(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) return argv[i + 1];
    if (arg.starts_with("--config=")) return std::string(arg.substr(9));
  }
  const char* env = std::getenv("OTELSTACK_CONFIG");
  return env ? env : "";
}

RetentionFlag* FindRetentionFlag(ServeFlags* flags, const std::string& name) {
  for (RetentionFlag& r : flags->retention) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

// Applies a YAML config file (keys as the long flag names, with '-' or '_').
Status ApplyConfigFile(const std::string& path, ServeFlags* flags) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("config file " + path + ": " + e.what());
  }
  if (!root.IsMap() && !root.IsNull()) return Status::InvalidArgument("config file " + path + ": expected a mapping");
  for (const auto& item : root) {
    std::string key = item.first.as<std::string>();
    std::replace(key.begin(), key.end(), '_', '-');
    const YAML::Node& value = item.second;
    try {
      auto& o = flags->options;
      if (key == "data-dir")
        o.data_dir = value.as<std::string>();
      else if (key == "otlp-grpc-listen")
        o.otlp_grpc_listen = value.as<std::string>();
      else if (key == "otlp-http-listen")
        o.otlp_http_listen = value.as<std::string>();
      else if (key == "tls-cert")
        o.tls.cert_file = value.as<std::string>();
      else if (key == "tls-key")
        o.tls.key_file = value.as<std::string>();
      else if (key == "insecure-ingest")
        o.insecure_ingest = value.as<bool>();
      else if (key == "log-level")
        flags->log_level = value.as<std::string>();
      else if (key == "wal-fsync")
        flags->wal_fsync = value.as<std::string>();
      else if (RetentionFlag* r = FindRetentionFlag(flags, key)) {
        r->value = value.as<std::string>();
        r->config_file = path;
      } else
        return Status::InvalidArgument("config file " + path + ": unknown setting '" + key + "'");
    } catch (const YAML::Exception& e) {
      return Status::InvalidArgument("config file " + path + ": setting '" + key + "': " + e.what());
    }
  }
  return Status::OK();
}

void SetupLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("otelstack");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  spdlog::set_level(spdlog::level::from_str(level));
}

void AddServeCommand(CLI::App& app, ServeFlags& f) {
  CLI::App* serve = app.add_subcommand("serve", "Run the server: OTLP ingestion into the embedded store");
  auto& o = f.options;
  serve->add_option("--config", f.config_file, "YAML file with any of the settings below (keys as flag names)")
      ->envname("OTELSTACK_CONFIG");
  serve->add_option("--data-dir", o.data_dir, "Data directory (created 0700)")
      ->envname("OTELSTACK_DATA_DIR")
      ->capture_default_str();
  serve->add_option("--otlp-grpc-listen", o.otlp_grpc_listen, "OTLP/gRPC listen address HOST:PORT")
      ->envname("OTELSTACK_OTLP_GRPC_LISTEN")
      ->capture_default_str();
  serve->add_option("--otlp-http-listen", o.otlp_http_listen, "OTLP/HTTP listen address HOST:PORT")
      ->envname("OTELSTACK_OTLP_HTTP_LISTEN")
      ->capture_default_str();
  serve->add_option("--tls-cert", o.tls.cert_file, "PEM certificate chain: enables TLS on both OTLP ports")
      ->envname("OTELSTACK_TLS_CERT");
  serve->add_option("--tls-key", o.tls.key_file, "PEM private key for --tls-cert")->envname("OTELSTACK_TLS_KEY");
  serve
      ->add_flag("--insecure-ingest", o.insecure_ingest,
                 "Accept OTLP data WITHOUT an ingestion key (development only; warns at every start)")
      ->envname("OTELSTACK_INSECURE_INGEST");
  serve
      ->add_option("--wal-fsync", f.wal_fsync,
                   "always: sync the write-ahead log before acknowledging (survives power loss); "
                   "interval: sync every 200 ms (faster, may lose the last 200 ms on power loss)")
      ->envname("OTELSTACK_WAL_FSYNC")
      ->check(CLI::IsMember({"always", "interval"}))
      ->capture_default_str();
  for (RetentionFlag& r : f.retention) {
    std::string what = r.name == "retention"
                           ? std::string("every signal")
                           : r.name.substr(std::string("retention-").size()) + " (overrides --retention)";
    r.option = serve
                   ->add_option("--" + r.name, r.value,
                                "How long to keep " + what + ", e.g. 72h, 3d; 0 keeps data forever (default 3d)")
                   ->envname(r.env);
  }
  serve->add_option("--log-level", f.log_level, "debug, info, warn or error")
      ->envname("OTELSTACK_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  serve->footer(
      "Precedence: flags > OTELSTACK_* environment variables > --config file > defaults.\n"
      "Secrets: OTELSTACK_INGESTION_KEY seeds an ingestion key; OTELSTACK_ENCRYPTION_KEY (64 hex chars) is the key\n"
      "that encrypts stored secrets. Both also accept a _FILE variant naming a file that holds the value.\n"
      "Retention: `otelstack retention set` stores an override in the data directory that wins over all of these.");
}

bool FlagInArgv(int argc, char** argv, const std::string& flag) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == flag || (arg.starts_with(flag) && arg.size() > flag.size() && arg[flag.size()] == '=')) return true;
  }
  return false;
}

// Where a retention flag's value came from ("" if nowhere): the command line,
// else the environment (CLI11 reads it only when the flag is absent), else
// the config file.
std::string RetentionSource(const RetentionFlag& r, int argc, char** argv) {
  if (FlagInArgv(argc, argv, "--" + r.name)) return "flag --" + r.name;
  if (r.option->count() > 0) return "env " + r.env;
  if (!r.config_file.empty()) return "config file " + r.config_file + " (" + r.name + ")";
  return "";
}

// Fills options.retention: --retention-<signal> > --retention > default,
// each from flag > env > config file.
Status ResolveRetentionFlags(ServeFlags& f, int argc, char** argv) {
  auto parse = [&](const RetentionFlag& r, server::RetentionSetting* out) -> Status {
    auto value = ParseRetention(r.value);
    if (!value.ok()) return value.status().WithContext("--" + r.name);
    out->retention = *value;
    out->source = RetentionSource(r, argc, argv);
    return Status::OK();
  };
  const RetentionFlag& all = f.retention[0];
  for (size_t i = 0; i < std::size(kAllSignals); ++i) {
    const RetentionFlag& one = f.retention[i + 1];
    server::RetentionSetting& setting = f.options.retention[i];
    if (!RetentionSource(one, argc, argv).empty()) {
      OTELSTACK_RETURN_IF_ERROR(parse(one, &setting));
    } else if (!RetentionSource(all, argc, argv).empty()) {
      OTELSTACK_RETURN_IF_ERROR(parse(all, &setting));
    }
  }
  return Status::OK();
}

// Query commands decode granules into large, short-lived buffers. By default
// glibc returns such blocks to the kernel on free, so every granule pays page
// faults again; a one-shot command keeps them instead.
void KeepFreedMemoryForReuse() {
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, 1024 << 20);
}

int RunServe(ServeFlags& f, int argc, char** argv) {
  SetupLogging(f.log_level);
  if (f.options.tls.cert_file.empty() != f.options.tls.key_file.empty()) {
    spdlog::error("--tls-cert and --tls-key must be given together");
    return 2;
  }
  Status retention = ResolveRetentionFlags(f, argc, argv);
  if (!retention.ok()) {
    spdlog::error("{}", retention.message());
    return 2;
  }
  f.options.fsync = f.wal_fsync == "interval" ? FsyncPolicy::kInterval : FsyncPolicy::kAlways;
  return server::RunServer(f.options);
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"otelstack: a single-binary OpenTelemetry observability stack", "otelstack"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);

  ServeFlags serve_flags;
  std::string config = FindConfigFile(argc, argv);
  if (!config.empty()) {
    Status s = ApplyConfigFile(config, &serve_flags);
    if (!s.ok()) {
      std::cerr << "otelstack: " << s.message() << "\n";
      return 2;
    }
  }
  AddServeCommand(app, serve_flags);
  SearchCommand search(app);
  ChartCommand chart(app);
  FacetsCommand facets(app);
  TraceCommand trace(app);
  KeysCommand keys(app);
  RetentionCommand retention(app);
  CLI::App* help = app.add_subcommand("help", "Show help for otelstack or one command: otelstack help <command>");
  std::string help_topic;
  help->add_option("command", help_topic, "Command to describe");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
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
  if (app.got_subcommand("serve")) return RunServe(serve_flags, argc, argv);
  if (!app.got_subcommand("serve")) KeepFreedMemoryForReuse();
  if (search.parsed()) return search.Run();
  if (chart.parsed()) return chart.Run();
  if (facets.parsed()) return facets.Run();
  if (trace.parsed()) return trace.Run();
  if (keys.parsed()) return keys.Run();
  if (retention.parsed()) return retention.Run();
  std::cout << app.help();
  return 2;
}

}  // namespace otelstack::cli
