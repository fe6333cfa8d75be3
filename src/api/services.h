// ApiServices: everything the route handlers use, owned by the server
// (server/server.cc) and outliving the API. Handlers get it by const
// reference; the pointed-to services are thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "clickhouse/http_client.h"
#include "clickhouse/table_layout.h"
#include "meta/clock.h"
#include "query/execution/limits.h"

namespace otelstack {
class Store;
}
namespace otelstack::meta {
class MetaStore;
class IngestionKeys;
}  // namespace otelstack::meta
namespace otelstack::auth {
class SessionManager;
class PersonalKeys;
class LoginThrottle;
class RateLimiter;
class CookieSigner;
}  // namespace otelstack::auth
namespace otelstack::audit {
class AuditLog;
}

namespace otelstack::api {

struct ApiOptions {
  // Cookies get the Secure attribute (the public URL is https, or the app
  // listener serves TLS).
  bool secure_cookies = false;
  // The public base URL, e.g. "https://otel.example.com" (invitation links);
  // empty: links are relative ("/join-team?token=...").
  std::string public_url;
  // The most any query may use, whatever the role settings say
  // (query/execution/limits.h EffectiveLimits).
  query::QueryLimits query_ceiling;
  // Applied when the team has no query settings for the caller's role.
  query::QueryLimits query_defaults;
};

// Where OTLP senders connect, as bound (ports resolved), for the UI's "send
// data" page. The host is whatever name the user reached the app by.
struct IngestEndpoints {
  int otlp_http_port = 0;
  int otlp_grpc_port = 0;
  bool tls = false;
};

// Where the built-in Embedded connection's telemetry sources (otel_logs,
// otel_traces, otel_metrics) are read when `serve --storage clickhouse` runs:
// that server and database instead of the store. The Audit source stays on
// the audit store.
struct ClickHouseStorage {
  clickhouse::ConnectionOptions connection;
  clickhouse::SchemaOptions schema;  // database and table names (layout: from the server's version)
};

struct ApiServices {
  meta::MetaStore* meta = nullptr;
  meta::IngestionKeys* ingestion_keys = nullptr;
  auth::SessionManager* sessions = nullptr;
  auth::PersonalKeys* personal_keys = nullptr;
  auth::LoginThrottle* login_throttle = nullptr;
  auth::RateLimiter* key_rate_limiter = nullptr;
  const auth::CookieSigner* cookie_signer = nullptr;
  audit::AuditLog* audit = nullptr;
  Store* store = nullptr;        // the telemetry store
  Store* audit_store = nullptr;  // audit->store(), queried through the Audit source
  // Set when telemetry is stored in ClickHouse (see ClickHouseStorage).
  std::optional<ClickHouseStorage> clickhouse_storage;
  std::string master_key;        // seals connection passwords (meta/crypto.h)
  meta::Clock clock = meta::SystemClock();
  // Called after ingestion keys change through the API, so that the OTLP
  // listeners accept or refuse them at once (not at the next poll). May be empty.
  std::function<void()> ingestion_keys_changed;
  // The OTLP listeners' addresses once they are bound; nullopt before (or in
  // tests without listeners). May be empty.
  std::function<std::optional<IngestEndpoints>()> ingest_endpoints;
  ApiOptions options;
};

}  // namespace otelstack::api
