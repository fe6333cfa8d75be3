// AppServer: the app listener (:8080) — the API under /api — and everything
// it needs that the OTLP side does not: the session secret, sessions,
// personal keys, login throttling, the per-key rate limit and the audit log.
//
// Start() order: session secret (in production, a missing, weak or published
// default secret refuses to start; in development one is generated into the
// data dir with a warning) -> audit log (<data_dir>/audit) -> built-in
// connection and sources for every existing team -> routes (the API, then
// the web UI from web_dir for every other GET) -> listener.
// Stop() stops the listener (requests in flight finish), then closes the
// audit log.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/services.h"
#include "common/status.h"
#include "http/listen_address.h"
#include "http/tls.h"
#include "meta/ingestion_keys.h"
#include "meta/meta_store.h"
#include "query/execution/limits.h"
#include "store/store.h"

namespace otelstack::audit {
class AuditLog;
class AuditObserver;
}  // namespace otelstack::audit

namespace otelstack::server {

struct AppServerOptions {
  std::string data_dir;
  std::string listen = "0.0.0.0:8080";
  http::TlsOptions tls;     // with TLS, responses carry HSTS
  std::string public_url;   // e.g. https://otel.example.com; https makes cookies Secure
  std::string web_dir;      // the built web UI; empty or without index.html: API only (warned)
  bool production = false;  // OTELSTACK_ENV=production
  FsyncPolicy fsync = FsyncPolicy::kAlways;
  int io_threads = 2;
  int worker_threads = 4;
  query::QueryLimits query_ceiling;
  query::QueryLimits query_defaults;
  // Called after ingestion keys change through the API (api/services.h).
  std::function<void()> ingestion_keys_changed;
  // Sees every session and query event (may be null): /metrics counts them.
  audit::AuditObserver* audit_observer = nullptr;
  // Set with `--storage clickhouse`: the built-in sources read there.
  std::optional<api::ClickHouseStorage> clickhouse_storage;
};

class AppServer {
 public:
  // The pointers must outlive the AppServer.
  AppServer(AppServerOptions options, meta::MetaStore* meta, meta::IngestionKeys* ingestion_keys, Store* store,
            std::string master_key);
  ~AppServer();
  AppServer(const AppServer&) = delete;
  AppServer& operator=(const AppServer&) = delete;

  // Returns the bound address.
  StatusOr<http::ListenAddress> Start();
  void Stop();
  // Re-reads the certificate files (see http::HttpServer::ReloadTls).
  Status ReloadTls();

  // The audit log (after Start), for retention.
  audit::AuditLog* audit();

  // Tells the API where the OTLP listeners are (once they are bound).
  void SetIngestEndpoints(int otlp_http_port, int otlp_grpc_port, bool tls);

 private:
  struct State;
  AppServerOptions options_;
  meta::MetaStore* meta_;
  meta::IngestionKeys* ingestion_keys_;
  Store* store_;
  std::string master_key_;
  std::unique_ptr<State> state_;
  std::mutex endpoints_mu_;
  std::optional<std::array<int, 3>> endpoints_;  // http port, grpc port, tls
};

}  // namespace otelstack::server
