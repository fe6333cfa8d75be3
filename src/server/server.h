// `otelstack serve`: wires the metadata store, ingestion keys, the embedded
// store and the OTLP listeners together and runs until SIGTERM/SIGINT.
//
// Startup order: data dir (0700) -> master key -> metadata store -> ingestion
// keys (seeded from OTELSTACK_INGESTION_KEY, or one generated and printed
// once on first start) -> store (WAL replay) -> app server (session secret,
// audit log; server/app_server.h) -> retention enforced once -> listeners
// (OTLP/gRPC, OTLP/HTTP, app) -> "ready".
//
// Retention: the effective retention of a signal is the override stored by
// `otelstack retention set` (meta.db) if any, else ServerOptions::retention.
// The server records its configured values in meta.db (for `retention show`),
// logs which value wins and why, enforces retention before accepting data,
// then every minute and within about a second of an override changing.
// The audit log keeps the logs retention. Shutdown order is the reverse:
// listeners stop accepting and finish requests in flight, then the audit log
// and the store flush everything to parts.
#pragma once

#include <array>
#include <chrono>
#include <string>

#include "meta/retention_settings_repository.h"
#include "server/listen_address.h"
#include "server/tls.h"
#include "store/store.h"

namespace otelstack::server {

struct RetentionSetting {
  std::chrono::seconds retention = meta::kDefaultRetention;  // 0: keep forever
  // Where the value came from, for logs and `retention show`.
  std::string source = "default";
};

struct ServerOptions {
  std::string data_dir = "./data";
  std::string otlp_grpc_listen = "0.0.0.0:4317";
  std::string otlp_http_listen = "0.0.0.0:4318";
  std::string http_listen = "0.0.0.0:8080";  // the app server: API (and later the web UI)
  std::string public_url;                    // how users reach the app, e.g. https://otel.example.com
  std::string web_dir;                       // the built web UI (index.html and assets)
  // The most any API query may read or run, whatever a team's query
  // settings say (0: no ceiling).
  uint64_t query_max_rows_to_read = 0;
  std::chrono::milliseconds query_max_execution_time{0};
  bool production = false;  // OTELSTACK_ENV=production: refuse unsafe settings
  TlsOptions tls;
  bool insecure_ingest = false;
  FsyncPolicy fsync = FsyncPolicy::kAlways;
  int http_threads = 2;
  size_t max_body_bytes = 64u << 20;
  std::array<RetentionSetting, std::size(kAllSignals)> retention;  // indexed by Signal
};

// Runs the server; returns the process exit code.
int RunServer(const ServerOptions& options);

}  // namespace otelstack::server
