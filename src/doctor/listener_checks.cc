#include "doctor/listener_checks.h"

#include "server/listen_address.h"

namespace otelstack::doctor {

namespace {

constexpr char kExposureTitle[] = "Exposed ports";
constexpr char kPlaintextTitle[] = "Plaintext listeners";

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

CheckResult Exposure(const server::ServerOptions& o) {
  struct Listener {
    const char* name;
    const char* flag;
    const std::string& address;
    bool meant_public;
  };
  const Listener listeners[] = {
      {"OTLP/gRPC", "--otlp-grpc-listen", o.otlp_grpc_listen, true},
      {"OTLP/HTTP", "--otlp-http-listen", o.otlp_http_listen, true},
      {"app", "--http-listen", o.http_listen, true},
      {"internal", "--internal-listen", o.internal_listen, false},
  };
  std::vector<std::string> described, bad, exposed_internal;
  for (const Listener& l : listeners) {
    if (l.address.empty()) {
      described.push_back(std::string(l.name) + " off");
      continue;
    }
    auto address = server::ListenAddress::Parse(l.address);
    if (!address.ok()) {
      bad.push_back(std::string(l.flag) + " " + l.address + ": " + address.status().message());
      continue;
    }
    const bool loopback = server::IsLoopbackHost(address->host);
    described.push_back(std::string(l.name) + " " + l.address + (loopback ? " (loopback)" : " (reachable)"));
    if (!loopback && !l.meant_public) exposed_internal.push_back(l.address);
  }
  if (!bad.empty()) {
    return Fail("ports.exposure", kExposureTitle, Join(bad, "; "), "give HOST:PORT, e.g. 127.0.0.1:8888");
  }
  std::string detail = Join(described, ", ");
  if (!exposed_internal.empty()) {
    return Warn("ports.exposure", kExposureTitle,
                detail +
                    "; the internal listener (/health, /ready, /metrics, no authentication) is reachable from "
                    "other machines",
                "bind --internal-listen to 127.0.0.1:8888 (the default), or keep it on a private network that only "
                "your monitoring reaches; publish only 4317, 4318 and 8080");
  }
  return Pass("ports.exposure", kExposureTitle, detail);
}

CheckResult Plaintext(const server::ServerOptions& o, const PolicyByRule& policy) {
  if (!policy.listeners.empty()) {
    std::vector<std::string> problems;
    for (const auto& v : policy.listeners) problems.push_back(v.problem);
    return Fail("ports.plaintext", kPlaintextTitle, Join(problems, "; "), policy.listeners.front().fix);
  }
  if (o.tls.enabled()) return Pass("ports.plaintext", kPlaintextTitle, "TLS on the OTLP and app listeners");
  if (o.tls_terminated_upstream) {
    return Pass("ports.plaintext", kPlaintextTitle,
                "plaintext listeners behind a TLS-terminating proxy (--tls-terminated-upstream declared)");
  }
  return Pass("ports.plaintext", kPlaintextTitle, "every plaintext listener is on loopback");
}

}  // namespace

std::vector<CheckResult> CheckListeners(const server::ServerOptions& options, const PolicyByRule& policy) {
  return {Exposure(options), Plaintext(options, policy)};
}

}  // namespace otelstack::doctor
