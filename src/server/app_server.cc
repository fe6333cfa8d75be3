#include "server/app_server.h"

#include <spdlog/spdlog.h>

#include "api/app_api.h"
#include "api/services.h"
#include "api/source_model.h"
#include "audit/audit_log.h"
#include "auth/cookie_signer.h"
#include "auth/login_throttle.h"
#include "auth/personal_keys.h"
#include "auth/rate_limiter.h"
#include "auth/session_secret.h"
#include "auth/sessions.h"
#include "http/server.h"
#include "http/static_files.h"

namespace otelstack::server {

// Everything Start() creates, destroyed in reverse order of declaration.
struct AppServer::State {
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<auth::CookieSigner> signer;
  std::unique_ptr<auth::SessionManager> sessions;
  std::unique_ptr<auth::PersonalKeys> personal_keys;
  std::unique_ptr<auth::LoginThrottle> login_throttle;
  std::unique_ptr<auth::RateLimiter> rate_limiter;
  api::ApiServices services;
  std::unique_ptr<api::AppApi> api;
  std::unique_ptr<http::HttpServer> http;
};

AppServer::AppServer(AppServerOptions options, meta::MetaStore* meta, meta::IngestionKeys* ingestion_keys, Store* store,
                     std::string master_key)
    : options_(std::move(options)),
      meta_(meta),
      ingestion_keys_(ingestion_keys),
      store_(store),
      master_key_(std::move(master_key)) {}

AppServer::~AppServer() { Stop(); }

audit::AuditLog* AppServer::audit() { return state_ ? state_->audit.get() : nullptr; }

StatusOr<http::ListenAddress> AppServer::Start() {
  auto address = http::ListenAddress::Parse(options_.listen);
  if (!address.ok()) return address.status().WithContext("--http-listen");
  auto secrets = auth::LoadSessionSecrets(options_.data_dir, options_.production);
  if (!secrets.ok()) return secrets.status().WithContext("session secret");
  if (secrets->generated) {
    spdlog::warn(
        "no session secret configured: using {}. Set OTELSTACK_SESSION_SECRET (or _FILE) to a random "
        "value of at least 32 bytes; with OTELSTACK_ENV=production the server refuses to start without one",
        secrets->origin);
  } else {
    spdlog::info("session secret from {} ({} key{})", secrets->origin, secrets->keys.size(),
                 secrets->keys.size() == 1 ? "" : "s, the first signs");
  }

  auto state = std::make_unique<State>();
  auto audit_log = audit::AuditLog::Open(options_.data_dir, options_.fsync);
  if (!audit_log.ok()) return audit_log.status().WithContext("opening the audit log");
  state->audit = std::move(*audit_log);
  state->audit->SetObserver(options_.audit_observer);
  meta::Clock clock = meta::SystemClock();
  state->signer = std::make_unique<auth::CookieSigner>(secrets->keys);
  state->sessions = std::make_unique<auth::SessionManager>(&meta_->identity(), state->signer.get(), clock);
  state->personal_keys = std::make_unique<auth::PersonalKeys>(&meta_->identity(), clock);
  state->login_throttle = std::make_unique<auth::LoginThrottle>(clock);
  state->rate_limiter = std::make_unique<auth::RateLimiter>(clock);

  api::ApiServices& services = state->services;
  services.meta = meta_;
  services.ingestion_keys = ingestion_keys_;
  services.sessions = state->sessions.get();
  services.personal_keys = state->personal_keys.get();
  services.login_throttle = state->login_throttle.get();
  services.key_rate_limiter = state->rate_limiter.get();
  services.cookie_signer = state->signer.get();
  services.audit = state->audit.get();
  services.store = store_;
  services.audit_store = &state->audit->store();
  services.master_key = master_key_;
  services.clock = clock;
  services.ingestion_keys_changed = options_.ingestion_keys_changed;
  services.clickhouse_storage = options_.clickhouse_storage;
  services.ingest_endpoints = [this]() -> std::optional<api::IngestEndpoints> {
    std::lock_guard<std::mutex> lock(endpoints_mu_);
    if (!endpoints_) return std::nullopt;
    return api::IngestEndpoints{(*endpoints_)[0], (*endpoints_)[1], (*endpoints_)[2] != 0};
  };
  services.options.secure_cookies = options_.tls.enabled() || options_.public_url.rfind("https://", 0) == 0;
  services.options.public_url = options_.public_url;
  services.options.query_ceiling = options_.query_ceiling;
  services.options.query_defaults = options_.query_defaults;

  auto teams = meta_->identity().ListTeams();
  if (!teams.ok()) return teams.status();
  for (const meta::Team& team : *teams) {
    Status s = api::EnsureTeamDefaults(services, team.id);
    if (!s.ok()) return s.WithContext("creating the built-in connection and sources of team " + team.name);
  }

  state->api = std::make_unique<api::AppApi>(services);
  http::Router router;
  state->api->Mount(&router);
  auto web = options_.web_dir.empty() ? StatusOr<std::shared_ptr<const http::StaticFiles>>(
                                            Status::NotFound("no web UI directory configured (--web-dir)"))
                                      : http::StaticFiles::Load(options_.web_dir);
  if (web.ok()) {
    spdlog::info("web UI from {} ({} files, {} KB)", options_.web_dir, (*web)->file_count(),
                 (*web)->total_bytes() / 1024);
    http::StaticFiles::Mount(std::move(*web), &router);
  } else {
    spdlog::warn("serving the API only, without the web UI: {} (build it with ./scripts/start)",
                 web.status().message());
  }
  http::ServerOptions http_options;
  http_options.name = "app";
  http_options.io_threads = options_.io_threads;
  http_options.worker_threads = options_.worker_threads;
  http_options.tls = options_.tls;
  http_options.hsts = true;
  state->http = std::make_unique<http::HttpServer>(http_options, std::move(router));
  auto bound = state->http->Start(*address);
  if (!bound.ok()) return bound.status().WithContext("app listener");
  state_ = std::move(state);
  return bound;
}

void AppServer::SetIngestEndpoints(int otlp_http_port, int otlp_grpc_port, bool tls) {
  std::lock_guard<std::mutex> lock(endpoints_mu_);
  endpoints_ = std::array<int, 3>{otlp_http_port, otlp_grpc_port, tls ? 1 : 0};
}

Status AppServer::ReloadTls() { return state_ ? state_->http->ReloadTls() : Status::OK(); }

void AppServer::Stop() {
  if (!state_) return;
  state_->http->Stop();
  Status s = state_->audit->Close();
  if (!s.ok()) spdlog::error("closing the audit log: {}", s.ToString());
  state_.reset();
}

}  // namespace otelstack::server
