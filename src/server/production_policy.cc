#include "server/production_policy.h"

#include "auth/session_secret.h"
#include "server/listen_address.h"

namespace otelstack::server {

namespace {

void CheckSessionSecret(const ServerOptions& options, std::vector<PolicyViolation>* out) {
  auto secrets = auth::LoadSessionSecrets(options.data_dir, /*production=*/true);
  if (secrets.ok()) return;
  out->push_back({PolicyViolation::Rule::kSessionSecret, secrets.status().message(),
                  "set OTELSTACK_SESSION_SECRET_FILE (or OTELSTACK_SESSION_SECRET) to the output of "
                  "`openssl rand -hex 32`"});
}

void CheckIngestionAuth(const ServerOptions& options, std::vector<PolicyViolation>* out) {
  if (!options.insecure_ingest) return;
  out->push_back({PolicyViolation::Rule::kIngestionAuth,
                  "ingestion auth is off (--insecure-ingest): anyone who reaches the OTLP ports can write data",
                  "remove --insecure-ingest; senders put the ingestion key in the 'authorization' header"});
}

struct Listener {
  std::string name;
  std::string flag;
  const std::string& address;
  bool serves_tls;
  bool can_serve_tls;  // the internal listener never does
};

void CheckListeners(const ServerOptions& options, std::vector<PolicyViolation>* out) {
  const bool tls = options.tls.enabled();
  const Listener listeners[] = {
      {"OTLP/gRPC", "--otlp-grpc-listen", options.otlp_grpc_listen, tls, true},
      {"OTLP/HTTP", "--otlp-http-listen", options.otlp_http_listen, tls, true},
      {"app (UI and API)", "--http-listen", options.http_listen, tls, true},
      {"internal (/health, /ready, /metrics)", "--internal-listen", options.internal_listen, false, false},
  };
  for (const Listener& listener : listeners) {
    auto address = ListenAddress::Parse(listener.address);
    if (!address.ok() || IsLoopbackHost(address->host)) continue;
    if (listener.serves_tls || options.tls_terminated_upstream) continue;
    std::string fix = listener.can_serve_tls ? "enable TLS with --tls-cert and --tls-key, or " : "";
    fix +=
        "declare --tls-terminated-upstream if a proxy terminates TLS in front of it (or only a trusted network "
        "reaches it), or bind " +
        listener.flag + " to 127.0.0.1";
    out->push_back({PolicyViolation::Rule::kPlaintextListener,
                    "the " + listener.name + " listener on " + listener.address +
                        " is plaintext and reachable from other machines",
                    std::move(fix)});
  }
}

void CheckClickHouseUser(const char* role, const char* user_flag, const char* password_env,
                         const clickhouse::ConnectionOptions& connection, std::vector<PolicyViolation>* out) {
  if (connection.user.empty() || connection.user == "default") {
    out->push_back({PolicyViolation::Rule::kClickHouseUser,
                    std::string("the ClickHouse ") + role + " connection uses the 'default' user",
                    std::string("create dedicated users with `otelstack clickhouse init` and set ") + user_flag});
  }
  if (connection.password.empty()) {
    out->push_back({PolicyViolation::Rule::kClickHouseUser,
                    std::string("the ClickHouse ") + role + " connection has an empty password",
                    std::string("set ") + password_env + "_FILE (or " + password_env + ")"});
  }
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::vector<PolicyViolation> ProductionPolicyViolations(const ServerOptions& options) {
  std::vector<PolicyViolation> violations;
  CheckSessionSecret(options, &violations);
  CheckIngestionAuth(options, &violations);
  CheckListeners(options, &violations);
  if (options.clickhouse) {
    CheckClickHouseUser("ingestion", "--clickhouse-user", "OTELSTACK_CLICKHOUSE_PASSWORD",
                        options.clickhouse->connection, &violations);
    const auto& query = options.clickhouse->query_connection;
    const auto& ingestion = options.clickhouse->connection;
    if (query.user != ingestion.user || query.password != ingestion.password) {  // else checked just above
      CheckClickHouseUser("query", "--clickhouse-query-user", "OTELSTACK_CLICKHOUSE_QUERY_PASSWORD", query,
                          &violations);
    }
  }
  return violations;
}

}  // namespace otelstack::server
