#include "doctor/instance_checks.h"

#include "doctor/certificate.h"
#include "server/listen_address.h"
#include "server/production_policy.h"

namespace otelstack::doctor {

namespace {

constexpr char kHealth[] = "Running instance answers";
constexpr char kTls[] = "Instance certificate";
constexpr char kHsts[] = "HSTS header";
constexpr char kAuth[] = "API refuses anonymous requests";
constexpr char kOtlpAuth[] = "OTLP refuses exports without a key";

std::string Base(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string HostForUrl(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

std::vector<CheckResult> CheckInstance(const server::ServerOptions& options, const InstanceTarget& target,
                                       const HttpFetcher& fetch, std::chrono::system_clock::time_point now) {
  std::vector<CheckResult> out;
  auto skip_all = [&](const std::string& why) {
    out = {Skip("instance.health", kHealth, why), Skip("instance.tls", kTls, why), Skip("instance.hsts", kHsts, why),
           Skip("instance.auth", kAuth, why), Skip("instance.otlp_auth", kOtlpAuth, why)};
    return out;
  };
  if (target.admin_url.empty()) return skip_all("no --admin-url given");
  auto url = http::ParseClientUrl(target.admin_url);
  if (!url.ok()) return skip_all("--admin-url: " + url.status().message());
  const std::string base = Base(target.admin_url);

  auto get = [&](const std::string& full_url, const std::string& method = "GET",
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::ClientRequest request;
    request.method = method;
    request.url = full_url;
    request.ca_file = target.ca_file;
    request.headers = std::move(headers);
    return fetch(request);
  };

  // instance.health (and what the TLS checks look at).
  auto health = get(base + "/api/health");
  if (!health.ok()) {
    const bool verification = health.status().message().rfind("certificate verification failed", 0) == 0;
    out.push_back(Fail("instance.health", kHealth, "GET " + base + "/api/health: " + health.status().message(),
                       verification ? "install a certificate that verifies for " + url->host +
                                          " (or pass the private CA with --admin-ca-file)"
                                    : "check that the server runs and --admin-url points at its app port"));
    if (verification) {
      out.push_back(Fail("instance.tls", kTls, health.status().message(),
                         "serve a certificate chain that verifies for " + url->host));
    } else {
      out.push_back(Skip("instance.tls", kTls, "the instance did not answer"));
    }
    out.push_back(Skip("instance.hsts", kHsts, "the instance did not answer"));
    out.push_back(Skip("instance.auth", kAuth, "the instance did not answer"));
    out.push_back(Skip("instance.otlp_auth", kOtlpAuth, "the instance did not answer"));
    return out;
  }
  if (health->status == 200) {
    out.push_back(Pass("instance.health", kHealth, "GET " + base + "/api/health: 200"));
  } else {
    out.push_back(Fail("instance.health", kHealth,
                       "GET " + base + "/api/health: HTTP " + std::to_string(health->status),
                       "check that --admin-url points at otelstack's app port"));
  }

  // instance.tls and instance.hsts.
  if (url->https) {
    if (health->certificate_not_after) {
      const int64_t days = DaysUntil(*health->certificate_not_after, now);
      const std::string who = health->certificate_subject.empty() ? "the certificate" : health->certificate_subject;
      if (days < 0) {
        out.push_back(Fail("instance.tls", kTls, who + " has expired", "renew it (otelstack reloads on SIGHUP)"));
      } else if (days < kCertificateWarnDays) {
        out.push_back(Warn("instance.tls", kTls, who + " verifies but expires in " + std::to_string(days) + " day(s)",
                           "renew it (otelstack reloads on SIGHUP)"));
      } else {
        out.push_back(Pass("instance.tls", kTls, who + " verifies, expires in " + std::to_string(days) + " days"));
      }
    } else {
      out.push_back(Pass("instance.tls", kTls, "the certificate verifies"));
    }
    auto hsts = health->headers.find("strict-transport-security");
    if (hsts != health->headers.end()) {
      out.push_back(Pass("instance.hsts", kHsts, "Strict-Transport-Security: " + hsts->second));
    } else {
      out.push_back(Warn("instance.hsts", kHsts, "no Strict-Transport-Security header on https",
                         "let otelstack serve TLS (it sends HSTS), or add the header in the proxy in front"));
    }
  } else if (server::IsLoopbackHost(url->host)) {
    out.push_back(Skip("instance.tls", kTls, "http to loopback: no TLS to check"));
    out.push_back(Skip("instance.hsts", kHsts, "http to loopback: no TLS to check"));
  } else {
    out.push_back(Fail("instance.tls", kTls, base + " is plain http: passwords and session cookies cross the network",
                       "serve the app over https (--tls-cert/--tls-key, or a TLS-terminating proxy) and use "
                       "https in --admin-url and --public-url"));
    out.push_back(Skip("instance.hsts", kHsts, "plain http"));
  }

  // instance.auth
  auto me = get(base + "/api/me");
  if (!me.ok()) {
    out.push_back(Warn("instance.auth", kAuth, "GET /api/me: " + me.status().message(), "check the instance"));
  } else if (me->status == 401 || me->status == 403) {
    out.push_back(Pass("instance.auth", kAuth, "GET /api/me without credentials: " + std::to_string(me->status)));
  } else if (me->status >= 200 && me->status < 300) {
    out.push_back(Fail("instance.auth", kAuth, "GET /api/me without credentials answered " + std::to_string(me->status),
                       "make sure nothing in front of otelstack injects credentials"));
  } else {
    out.push_back(Warn("instance.auth", kAuth, "GET /api/me without credentials: HTTP " + std::to_string(me->status),
                       "expected 401: check that --admin-url points at otelstack's app port"));
  }

  // instance.otlp_auth
  uint16_t port = 4318;
  auto listen = server::ListenAddress::Parse(options.otlp_http_listen);
  if (listen.ok() && listen->port != 0) port = listen->port;
  const bool https = options.tls.enabled() || url->https;
  const std::string otlp =
      std::string(https ? "https" : "http") + "://" + HostForUrl(url->host) + ":" + std::to_string(port) + "/v1/logs";
  auto exported = get(otlp, "POST", {{"Content-Type", "application/x-protobuf"}});
  if (!exported.ok()) {
    out.push_back(Warn("instance.otlp_auth", kOtlpAuth, "POST " + otlp + ": " + exported.status().message(),
                       "set --otlp-http-listen to the port senders use on this host"));
  } else if (exported->status == 401) {
    out.push_back(Pass("instance.otlp_auth", kOtlpAuth, "POST " + otlp + " without a key: 401"));
  } else if (exported->status >= 200 && exported->status < 300) {
    out.push_back(Fail("instance.otlp_auth", kOtlpAuth,
                       "POST " + otlp + " without a key was accepted (" + std::to_string(exported->status) + ")",
                       "remove --insecure-ingest: senders must send the ingestion key"));
  } else {
    out.push_back(Warn("instance.otlp_auth", kOtlpAuth,
                       "POST " + otlp + " without a key: HTTP " + std::to_string(exported->status) + ", expected 401",
                       "check that the port is otelstack's OTLP/HTTP listener"));
  }
  return out;
}

}  // namespace otelstack::doctor
