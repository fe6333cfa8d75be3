#include "doctor/ingest_checks.h"

#include <unistd.h>

#include "common/secrets.h"
#include "doctor/certificate.h"
#include "server/listen_address.h"

namespace otelstack::doctor {

namespace {

CheckResult Auth(const PolicyByRule& policy) {
  constexpr char kTitle[] = "Ingestion authentication";
  if (!policy.ingestion.empty()) {
    return Fail("ingest.auth", kTitle, policy.ingestion.front().problem, policy.ingestion.front().fix);
  }
  return Pass("ingest.auth", kTitle, "OTLP requests need an ingestion key");
}

CheckResult Keys(const server::ServerOptions& o, const MetaFacts& meta) {
  constexpr char kTitle[] = "Ingestion keys";
  if (o.insecure_ingest) return Skip("ingest.keys", kTitle, "ingestion auth is off (see ingest.auth)");
  auto seeded = ReadSecret("OTELSTACK_INGESTION_KEY");
  if (!seeded.ok()) {
    return Fail("ingest.keys", kTitle, seeded.status().message(),
                "set only one of OTELSTACK_INGESTION_KEY and OTELSTACK_INGESTION_KEY_FILE");
  }
  const bool is_seeded = seeded->has_value();
  const std::string generate_fix =
      "watch the server's first start: it prints the generated key once (`otelstack keys reveal` shows it "
      "again); or seed one with OTELSTACK_INGESTION_KEY_FILE";
  if (!meta.error.ok()) {
    return Warn("ingest.keys", kTitle, "cannot read the metadata store: " + meta.error.message(),
                "run doctor as the user otelstack runs as, with the same --data-dir");
  }
  if (!meta.exists) {
    if (is_seeded) return Pass("ingest.keys", kTitle, "no metadata store yet; the first start stores the seeded key");
    return Warn("ingest.keys", kTitle,
                "no metadata store yet (" + o.data_dir + "/meta.db): the first start will generate a key",
                generate_fix);
  }
  const std::string counts =
      std::to_string(meta.active_keys) + " active of " + std::to_string(meta.total_keys) + " ingestion key(s)";
  if (meta.active_keys > 0) return Pass("ingest.keys", kTitle, counts);
  if (is_seeded) return Pass("ingest.keys", kTitle, counts + "; the seeded key becomes active at the next start");
  return Warn("ingest.keys", kTitle, counts + ": the next start will generate a key", generate_fix);
}

CheckResult Tls(const server::ServerOptions& o, std::chrono::system_clock::time_point now) {
  constexpr char kTitle[] = "TLS on OTLP";
  if (o.tls.enabled()) {
    auto not_after = CertificateNotAfter(o.tls.cert_file);
    if (!not_after.ok()) {
      return Fail("ingest.tls", kTitle, "--tls-cert: " + not_after.status().message(),
                  "point --tls-cert at a readable PEM certificate chain");
    }
    if (::access(o.tls.key_file.c_str(), R_OK) != 0) {
      return Fail("ingest.tls", kTitle, "--tls-key " + o.tls.key_file + " is not readable",
                  "point --tls-key at the certificate's PEM private key, readable by otelstack");
    }
    const int64_t days = DaysUntil(*not_after, now);
    const std::string where = "TLS with " + o.tls.cert_file;
    if (days < 0) {
      return Fail("ingest.tls", kTitle, where + ": the certificate has expired",
                  "renew it; otelstack reloads it on SIGHUP");
    }
    if (days < kCertificateWarnDays) {
      return Warn("ingest.tls", kTitle, where + ": the certificate expires in " + std::to_string(days) + " day(s)",
                  "renew it; otelstack reloads it on SIGHUP");
    }
    return Pass("ingest.tls", kTitle, where + " (expires in " + std::to_string(days) + " days)");
  }
  if (o.tls_terminated_upstream) {
    return Pass("ingest.tls", kTitle, "TLS terminated by a proxy in front (--tls-terminated-upstream declared)");
  }
  bool reachable = false;
  for (const std::string* listen : {&o.otlp_grpc_listen, &o.otlp_http_listen}) {
    auto address = server::ListenAddress::Parse(*listen);
    reachable = reachable || (address.ok() && !server::IsLoopbackHost(address->host));
  }
  const std::string fix =
      "enable TLS with --tls-cert and --tls-key, or put a TLS-terminating proxy in front and declare "
      "--tls-terminated-upstream";
  if (reachable) {
    return Fail("ingest.tls", kTitle,
                "OTLP is plaintext on a reachable address: ingestion keys and telemetry cross the network in clear",
                fix);
  }
  return Warn("ingest.tls", kTitle, "OTLP is plaintext, on loopback only (fine for a collector on this host)", fix);
}

CheckResult Mtls(const server::ServerOptions& o) {
  constexpr char kTitle[] = "mTLS on OTLP";
  if (o.tls.client_ca_file.empty()) {
    return Pass("ingest.mtls", kTitle,
                "off (optional): senders authenticate with ingestion keys; --tls-client-ca would also require "
                "client certificates");
  }
  if (::access(o.tls.client_ca_file.c_str(), R_OK) != 0) {
    return Fail("ingest.mtls", kTitle, "--tls-client-ca " + o.tls.client_ca_file + " is not readable",
                "point --tls-client-ca at a readable PEM CA bundle");
  }
  return Pass("ingest.mtls", kTitle, "senders need a client certificate signed by " + o.tls.client_ca_file);
}

}  // namespace

std::vector<CheckResult> CheckIngestion(const server::ServerOptions& options, const PolicyByRule& policy,
                                        const MetaFacts& meta, std::chrono::system_clock::time_point now) {
  return {Auth(policy), Keys(options, meta), Tls(options, now), Mtls(options)};
}

}  // namespace otelstack::doctor
