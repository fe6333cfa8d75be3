#include "cli/serve_command.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/meta_store_flags.h"
#include "cli/retention_command.h"
#include "clickhouse/http_client.h"
#include "common/secrets.h"
#include "server/production_policy.h"
#include "server/server.h"

namespace otelstack::cli {

std::string FindConfigFile(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) return argv[i + 1];
    if (arg.starts_with("--config=")) return std::string(arg.substr(9));
  }
  const char* env = std::getenv("OTELSTACK_CONFIG");
  return env ? env : "";
}

namespace {

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
      else if (key == "meta-database-url")
        o.meta_database_url = value.as<std::string>();
      else if (key == "otlp-grpc-listen")
        o.otlp_grpc_listen = value.as<std::string>();
      else if (key == "otlp-http-listen")
        o.otlp_http_listen = value.as<std::string>();
      else if (key == "http-listen")
        o.http_listen = value.as<std::string>();
      else if (key == "internal-listen")
        o.internal_listen = value.as<std::string>();
      else if (key == "public-url")
        o.public_url = value.as<std::string>();
      else if (key == "web-dir")
        o.web_dir = value.as<std::string>();
      else if (key == "query-max-rows-to-read")
        o.query_max_rows_to_read = value.as<uint64_t>();
      else if (key == "query-max-execution-time")
        flags->query_max_execution_time_s = value.as<double>();
      else if (key == "tls-cert")
        o.tls.cert_file = value.as<std::string>();
      else if (key == "tls-key")
        o.tls.key_file = value.as<std::string>();
      else if (key == "tls-client-ca")
        o.tls.client_ca_file = value.as<std::string>();
      else if (key == "tls-terminated-upstream")
        o.tls_terminated_upstream = value.as<bool>();
      else if (key == "insecure-ingest")
        o.insecure_ingest = value.as<bool>();
      else if (key == "log-level")
        flags->log_level = value.as<std::string>();
      else if (key == "wal-fsync")
        flags->wal_fsync = value.as<std::string>();
      else if (key == "storage")
        flags->storage = value.as<std::string>();
      else if (key == "clickhouse-url")
        flags->clickhouse_url = value.as<std::string>();
      else if (key == "clickhouse-user")
        flags->clickhouse_user = value.as<std::string>();
      else if (key == "clickhouse-query-user")
        flags->clickhouse_query_user = value.as<std::string>();
      else if (key == "clickhouse-database")
        flags->clickhouse_database = value.as<std::string>();
      else if (key == "clickhouse-ca-file")
        flags->clickhouse_ca_file = value.as<std::string>();
      else if (key == "clickhouse-cluster")
        flags->clickhouse_cluster = value.as<std::string>();
      else if (key == "clickhouse-flush-interval")
        flags->clickhouse_flush_interval_s = value.as<double>();
      else if (key == "clickhouse-max-backlog-mb")
        flags->clickhouse_max_backlog_mb = value.as<uint64_t>();
      else if (key == "clickhouse-compression")
        flags->clickhouse_compression = value.as<std::string>();
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

}  // namespace

void AddServeOptions(CLI::App* serve, ServeFlags& f) {
  auto& o = f.options;
  serve->add_option("--config", f.config_file, "YAML file with any of the settings below (keys as flag names)")
      ->envname("OTELSTACK_CONFIG");
  serve->add_option("--data-dir", o.data_dir, "Data directory (created 0700)")
      ->envname("OTELSTACK_DATA_DIR")
      ->capture_default_str();
  AddMetaDatabaseUrlOption(serve, &o.meta_database_url);
  serve->add_option("--otlp-grpc-listen", o.otlp_grpc_listen, "OTLP/gRPC listen address HOST:PORT")
      ->envname("OTELSTACK_OTLP_GRPC_LISTEN")
      ->capture_default_str();
  serve->add_option("--otlp-http-listen", o.otlp_http_listen, "OTLP/HTTP listen address HOST:PORT")
      ->envname("OTELSTACK_OTLP_HTTP_LISTEN")
      ->capture_default_str();
  serve->add_option("--http-listen", o.http_listen, "App server (UI and API) listen address HOST:PORT")
      ->envname("OTELSTACK_HTTP_LISTEN")
      ->capture_default_str();
  serve
      ->add_option("--internal-listen", o.internal_listen,
                   "GET /health, /ready and /metrics (Prometheus), unauthenticated: keep it on loopback or a "
                   "private network (empty: off)")
      ->envname("OTELSTACK_INTERNAL_LISTEN")
      ->capture_default_str();
  serve
      ->add_option("--public-url", o.public_url,
                   "How users reach the app, e.g. https://otel.example.com (invitation links; https makes the "
                   "session cookie Secure)")
      ->envname("OTELSTACK_PUBLIC_URL");
  serve->add_option("--web-dir", o.web_dir, "Directory of the built web UI (default: web/ next to the binary)")
      ->envname("OTELSTACK_WEB_DIR");
  serve
      ->add_option("--query-max-rows-to-read", o.query_max_rows_to_read,
                   "Ceiling on rows any API query may read, whatever the team's query settings (0: none)")
      ->envname("OTELSTACK_QUERY_MAX_ROWS_TO_READ");
  serve
      ->add_option("--query-max-execution-time", f.query_max_execution_time_s,
                   "Ceiling on seconds any API query may run, whatever the team's query settings (0: none)")
      ->envname("OTELSTACK_QUERY_MAX_EXECUTION_TIME")
      ->check(CLI::NonNegativeNumber);
  serve->add_option("--tls-cert", o.tls.cert_file, "PEM certificate chain: enables TLS on the OTLP and app ports")
      ->envname("OTELSTACK_TLS_CERT");
  serve->add_option("--tls-key", o.tls.key_file, "PEM private key for --tls-cert")->envname("OTELSTACK_TLS_KEY");
  serve
      ->add_option("--tls-client-ca", o.tls.client_ca_file,
                   "PEM CA bundle: OTLP senders must present a client certificate signed by it (mTLS)")
      ->envname("OTELSTACK_TLS_CLIENT_CA");
  serve
      ->add_flag("--tls-terminated-upstream", o.tls_terminated_upstream,
                 "A proxy or load balancer terminates TLS in front of the plaintext listeners (accepted by "
                 "OTELSTACK_ENV=production instead of --tls-cert)")
      ->envname("OTELSTACK_TLS_TERMINATED_UPSTREAM");
  serve
      ->add_flag("--insecure-ingest", o.insecure_ingest,
                 "Accept OTLP data WITHOUT an ingestion key (development only; warns at every start)")
      ->envname("OTELSTACK_INSECURE_INGEST");
  serve
      ->add_option("--storage", f.storage,
                   "Where telemetry is stored: embedded (the data dir) or clickhouse (--clickhouse-url; the WAL "
                   "stays in the data dir in front of it)")
      ->envname("OTELSTACK_STORAGE")
      ->check(CLI::IsMember({"embedded", "clickhouse"}))
      ->capture_default_str();
  serve
      ->add_option("--clickhouse-url", f.clickhouse_url,
                   "ClickHouse HTTP interface, e.g. http://127.0.0.1:8123 or https://host:8443 (password: env "
                   "OTELSTACK_CLICKHOUSE_PASSWORD or OTELSTACK_CLICKHOUSE_PASSWORD_FILE)")
      ->envname("OTELSTACK_CLICKHOUSE_URL");
  serve
      ->add_option("--clickhouse-user", f.clickhouse_user,
                   "ClickHouse user that inserts (see `otelstack clickhouse init`)")
      ->envname("OTELSTACK_CLICKHOUSE_USER");
  serve
      ->add_option("--clickhouse-query-user", f.clickhouse_query_user,
                   "Readonly ClickHouse user the API queries run as (password: env "
                   "OTELSTACK_CLICKHOUSE_QUERY_PASSWORD[_FILE]; default: --clickhouse-user)")
      ->envname("OTELSTACK_CLICKHOUSE_QUERY_USER");
  serve->add_option("--clickhouse-database", f.clickhouse_database, "ClickHouse database of the otel tables")
      ->envname("OTELSTACK_CLICKHOUSE_DATABASE")
      ->capture_default_str();
  serve->add_option("--clickhouse-ca-file", f.clickhouse_ca_file, "PEM CA bundle to verify ClickHouse's certificate")
      ->envname("OTELSTACK_CLICKHOUSE_CA_FILE");
  serve
      ->add_option("--clickhouse-cluster", f.clickhouse_cluster,
                   "ClickHouse cluster name: tables are created ON CLUSTER with Distributed tables over them")
      ->envname("OTELSTACK_CLICKHOUSE_CLUSTER");
  serve
      ->add_option("--clickhouse-flush-interval", f.clickhouse_flush_interval_s,
                   "Seconds acknowledged rows may wait before they are sent to ClickHouse")
      ->envname("OTELSTACK_CLICKHOUSE_FLUSH_INTERVAL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      ->add_option("--clickhouse-max-backlog-mb", f.clickhouse_max_backlog_mb,
                   "MiB of acknowledged data waiting for ClickHouse beyond which OTLP clients get 503/UNAVAILABLE "
                   "with Retry-After")
      ->envname("OTELSTACK_CLICKHOUSE_MAX_BACKLOG_MB")
      // The backlog sits in one WAL segment while ClickHouse is down; record
      // ids hold segment offsets below 64 GiB (store/flush_sink.h).
      ->check(CLI::Range(1, 32768))
      ->capture_default_str();
  serve
      ->add_option("--clickhouse-compression", f.clickhouse_compression,
                   "INSERT bodies: gzip (less network), none (less CPU), or auto: none when ClickHouse is on "
                   "this host (a loopback address or localhost), gzip otherwise")
      ->envname("OTELSTACK_CLICKHOUSE_COMPRESSION")
      ->check(CLI::IsMember({"auto", "gzip", "none"}))
      ->capture_default_str();
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
}

namespace {

void AddServeCommand(CLI::App& app, ServeFlags& f) {
  CLI::App* serve = app.add_subcommand("serve", "Run the server: OTLP ingestion into the embedded store");
  AddServeOptions(serve, f);
  serve->footer(
      "Precedence: flags > OTELSTACK_* environment variables > --config file > defaults.\n"
      "Secrets: OTELSTACK_INGESTION_KEY seeds an ingestion key; OTELSTACK_ENCRYPTION_KEY (64 hex chars) is the key\n"
      "that encrypts stored secrets; OTELSTACK_SESSION_SECRET (or EXPRESS_SESSION_SECRET) signs session cookies, a\n"
      "comma-separated list rotates them (the first signs, all verify). Each also accepts a _FILE variant naming a\n"
      "file that holds the value.\n"
      "OTELSTACK_ENV=production refuses to start with a missing, weak or published-default session secret,\n"
      "--insecure-ingest, a plaintext listener on a non-loopback address (unless --tls-terminated-upstream), or\n"
      "a ClickHouse connection as the 'default' user or without a password. SIGHUP reloads TLS certificates.\n"
      "Retention: `otelstack retention set` stores an override in the data directory that wins over all of these.");
}

// web/ next to the running binary (build/web for build/otelstack), where
// the scripts put the built UI; empty if the binary's path is unknown.
std::string DefaultWebDir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return (exe.parent_path() / "web").string();
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

// Fills options.clickhouse from the --clickhouse-* flags for --storage clickhouse.
Status ResolveClickHouseStorage(ServeFlags& f) {
  if (f.storage != "clickhouse") return Status::OK();
  if (f.clickhouse_url.empty()) {
    return Status::InvalidArgument("--storage clickhouse needs --clickhouse-url (or OTELSTACK_CLICKHOUSE_URL)");
  }
  server::ClickHouseStorageOptions ch;
  auto url = clickhouse::ParseClickHouseUrl(f.clickhouse_url);
  if (!url.ok()) return url.status().WithContext("--clickhouse-url");
  ch.connection.url = *url;
  ch.connection.user = f.clickhouse_user;
  ch.connection.database = f.clickhouse_database;
  ch.connection.ca_file = f.clickhouse_ca_file;
  auto password = ReadSecret("OTELSTACK_CLICKHOUSE_PASSWORD");
  if (!password.ok()) return password.status();
  if (*password) ch.connection.password = **password;
  ch.query_connection = ch.connection;
  if (!f.clickhouse_query_user.empty()) {
    ch.query_connection.user = f.clickhouse_query_user;
    auto query_password = ReadSecret("OTELSTACK_CLICKHOUSE_QUERY_PASSWORD");
    if (!query_password.ok()) return query_password.status();
    ch.query_connection.password = *query_password ? **query_password : "";
  } else {
    spdlog::warn(
        "--clickhouse-query-user is not set: API queries run as the ingestion user {}; create a readonly "
        "query user with `otelstack clickhouse init`",
        f.clickhouse_user.empty() ? "(default)" : f.clickhouse_user);
  }
  ch.cluster = f.clickhouse_cluster;
  ch.flush_interval = std::chrono::milliseconds(static_cast<int64_t>(f.clickhouse_flush_interval_s * 1000));
  ch.max_backlog_bytes = static_cast<size_t>(f.clickhouse_max_backlog_mb) << 20;
  const bool loopback = server::IsLoopbackHost(ch.connection.url.host);
  ch.compress = f.clickhouse_compression == "gzip" || (f.clickhouse_compression == "auto" && !loopback);
  f.options.clickhouse = std::move(ch);
  return Status::OK();
}

int RunServe(ServeFlags& f, int argc, char** argv) {
  SetupLogging(f.log_level);
  Status s = ResolveServeFlags(f, argc, argv);
  if (!s.ok()) {
    spdlog::error("{}", s.message());
    return 2;
  }
  return server::RunServer(f.options);
}

}  // namespace

Status ResolveServeFlags(ServeFlags& f, int argc, char** argv) {
  if (f.options.tls.cert_file.empty() != f.options.tls.key_file.empty()) {
    return Status::InvalidArgument("--tls-cert and --tls-key must be given together");
  }
  if (!f.options.tls.client_ca_file.empty() && !f.options.tls.enabled()) {
    return Status::InvalidArgument("--tls-client-ca needs --tls-cert and --tls-key (client certificates need TLS)");
  }
  OTELSTACK_RETURN_IF_ERROR(ResolveRetentionFlags(f, argc, argv));
  f.options.fsync = f.wal_fsync == "interval" ? FsyncPolicy::kInterval : FsyncPolicy::kAlways;
  OTELSTACK_RETURN_IF_ERROR(ResolveClickHouseStorage(f));
  if (f.options.web_dir.empty()) f.options.web_dir = DefaultWebDir();
  f.options.query_max_execution_time =
      std::chrono::milliseconds(static_cast<int64_t>(f.query_max_execution_time_s * 1000));
  const char* env = std::getenv("OTELSTACK_ENV");
  f.options.production = env && std::string_view(env) == "production";
  return Status::OK();
}

Status ApplyServeConfigFile(int argc, char** argv, ServeFlags* flags) {
  std::string config = FindConfigFile(argc, argv);
  if (config.empty()) return Status::OK();
  return ApplyConfigFile(config, flags);
}

ServeCommand::ServeCommand(CLI::App& app, int argc, char** argv) : argc_(argc), argv_(argv) {
  config_status_ = ApplyServeConfigFile(argc, argv, &flags_);
  AddServeCommand(app, flags_);
  cmd_ = app.get_subcommand("serve");
}

int ServeCommand::Run() { return RunServe(flags_, argc_, argv_); }

}  // namespace otelstack::cli
