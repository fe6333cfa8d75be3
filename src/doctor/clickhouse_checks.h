// Doctor checks for the guide's "ClickHouse" and "Self-managed security"
// sections, for `--storage clickhouse` (every check is SKIP otherwise).
//
//   clickhouse.users          the production policy's ClickHouse rule: neither
//                             user is `default`, no empty password.
//   clickhouse.connection     the query and the ingestion user can connect.
//   clickhouse.readonly       the query user has readonly = 1 (FAIL for 0,
//                             and for 2, which lets it lift its limits).
//   clickhouse.query_settings whether the query user may send the settings
//                             ClickStack's guide lists (max_rows_to_read up to
//                             1 million, read_overflow_mode,
//                             cancel_http_readonly_queries_on_client_close,
//                             wait_end_of_query), probed one by one and
//                             reported as the server answers. Refused under
//                             readonly = 1 is FAIL on servers that have
//                             CHANGEABLE_IN_READONLY (22.9+), WARN on older
//                             ones, where it cannot be granted and otelstack
//                             falls back to the profile's limits; a setting
//                             the server does not know is reported, not
//                             failed.
//   clickhouse.ingest_scope   the ingestion user is confined to the database:
//                             SHOW GRANTS on servers with SQL users (20.5+);
//                             on older ones (18.16) another database must be
//                             refused to it (code 291); WARN when it cannot be
//                             verified.
//   clickhouse.default_user   `default` with an empty password must be refused.
//   clickhouse.tls            https, or plain http to a loopback host.
//   clickhouse.exposure       for a non-loopback host: which of the native
//                             (9000/9440), interserver (9009) and HTTP
//                             (8123/8443) ports are reachable from where doctor
//                             runs; WARN for any besides the configured one.
// All network access goes through a ClickHouseProbe, so the logic can be
// tested without a server.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clickhouse/http_client.h"
#include "doctor/check.h"
#include "doctor/policy_rules.h"
#include "server/server.h"

namespace otelstack::doctor {

class ClickHouseProbe {
 public:
  virtual ~ClickHouseProbe() = default;
  // Runs `sql` as `connection`'s user (clickhouse::Client::Query semantics:
  // errors carry ClickHouse's code, see clickhouse::ExceptionCode).
  virtual Status Query(const clickhouse::ConnectionOptions& connection, std::string_view sql,
                       const clickhouse::Settings& settings, std::string* out) = 0;
  // True when a TCP connection to host:port succeeds within the probe's
  // timeout.
  virtual bool TcpReachable(const std::string& host, uint16_t port) = 0;
};

// Talks to the real server with `timeout` per request or connection attempt.
std::unique_ptr<ClickHouseProbe> NewNetworkClickHouseProbe(std::chrono::milliseconds timeout);

std::vector<CheckResult> CheckClickHouse(const server::ServerOptions& options, const PolicyByRule& policy,
                                         ClickHouseProbe* probe);

}  // namespace otelstack::doctor
