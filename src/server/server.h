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
#include <optional>
#include <string>

#include "clickhouse/http_client.h"
#include "clickhouse/table_layout.h"
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

// `--storage clickhouse`: telemetry goes through the WAL into ClickHouse
// (clickhouse/clickhouse_sink.h) and queries of the built-in sources read it
// there. The metadata and the audit log stay in the data dir.
struct ClickHouseStorageOptions {
  clickhouse::ConnectionOptions connection;  // url, user, password (env only), database, ca_file: inserts
  // Queries of the built-in sources: the same server as the readonly query
  // user (`otelstack clickhouse init`); the ingestion user when none is set.
  clickhouse::ConnectionOptions query_connection;
  std::string cluster;  // non-empty: ON CLUSTER + Distributed tables
  // How long acknowledged rows may wait in the memtable before they are sent.
  std::chrono::milliseconds flush_interval{1000};
  // Acknowledged data not yet in ClickHouse (decoded size) beyond which OTLP
  // requests get 503/UNAVAILABLE with Retry-After: the bound on what waits in
  // the WAL while ClickHouse is down or slow.
  size_t max_backlog_bytes = 320u << 20;
  bool compress = true;  // gzip INSERT bodies (worth it off loopback)
};

struct ServerOptions {
  std::string data_dir = "./data";
  // Empty: the metadata store is SQLite in data_dir. Otherwise a PostgreSQL
  // URL shared by replicas (meta/meta_store_location.h).
  std::string meta_database_url;
  std::string otlp_grpc_listen = "0.0.0.0:4317";
  std::string otlp_http_listen = "0.0.0.0:4318";
  std::string http_listen = "0.0.0.0:8080";  // the app server: API and web UI
  // /health, /ready and /metrics (server/internal_server.h): never meant to
  // leave the host, hence loopback by default.
  std::string internal_listen = "127.0.0.1:8888";
  std::string public_url;  // how users reach the app, e.g. https://otel.example.com
  std::string web_dir;     // the built web UI (index.html and assets)
  // The most any API query may read or run, whatever a team's query
  // settings say (0: no ceiling).
  uint64_t query_max_rows_to_read = 0;
  std::chrono::milliseconds query_max_execution_time{0};
  bool production = false;  // OTELSTACK_ENV=production: refuse unsafe settings
  // TLS of the OTLP and app listeners; tls.client_ca_file applies to the
  // OTLP listeners only (the app authenticates people, not certificates).
  TlsOptions tls;
  // A proxy or load balancer terminates TLS in front of the plaintext
  // listeners: the operator's declaration that production accepts instead
  // of --tls-cert (server/production_policy.h).
  bool tls_terminated_upstream = false;
  bool insecure_ingest = false;
  FsyncPolicy fsync = FsyncPolicy::kAlways;
  int http_threads = 2;
  size_t max_body_bytes = 64u << 20;
  std::array<RetentionSetting, std::size(kAllSignals)> retention;  // indexed by Signal
  std::optional<ClickHouseStorageOptions> clickhouse;              // set: --storage clickhouse
};

// The ClickHouse tables of --storage clickhouse (database default "otel").
clickhouse::SchemaOptions ClickHouseSchemaOf(const ClickHouseStorageOptions& options);

// Runs the server; returns the process exit code.
int RunServer(const ServerOptions& options);

}  // namespace otelstack::server
