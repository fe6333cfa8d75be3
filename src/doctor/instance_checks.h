// Doctor checks of a running instance, from the outside (--admin-url, e.g.
// https://otel.example.com or http://127.0.0.1:8080). SKIP without one.
//
//   instance.health     GET <admin-url>/api/health answers 200.
//   instance.tls        https: the certificate verifies (system store, or
//                       --admin-ca-file) and expires in kCertificateWarnDays
//                       or more (WARN below, FAIL expired or unverifiable);
//                       http: FAIL unless the host is loopback (SKIP).
//   instance.hsts       https: Strict-Transport-Security is sent (WARN if not).
//   instance.auth       an unauthenticated GET /api/me is refused (401/403).
//   instance.otlp_auth  an OTLP/HTTP export without a key to the same host's
//                       OTLP port (--otlp-http-listen's port, 4318 for port
//                       0) is refused with 401; https when --tls-cert is set
//                       or the admin URL is https.
// Requests go through an HttpFetcher so the logic can be tested offline.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "doctor/check.h"
#include "http/http_client.h"
#include "server/server.h"

namespace otelstack::doctor {

using HttpFetcher = std::function<StatusOr<http::ClientResponse>(const http::ClientRequest&)>;

struct InstanceTarget {
  std::string admin_url;  // empty: every check is SKIP
  std::string ca_file;    // trusted CAs for https (empty: the system store)
};

std::vector<CheckResult> CheckInstance(const server::ServerOptions& options, const InstanceTarget& target,
                                       const HttpFetcher& fetch, std::chrono::system_clock::time_point now);

}  // namespace otelstack::doctor
