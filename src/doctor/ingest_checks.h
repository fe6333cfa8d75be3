// Doctor checks for the guide's "Secure ingestion".
//
//   ingest.auth   the production policy's ingestion rule: FAIL with
//                 --insecure-ingest.
//   ingest.keys   at least one active ingestion key in the metadata store,
//                 or one seeded by OTELSTACK_INGESTION_KEY[_FILE]; WARN when
//                 the first (or next) start has to generate one, or meta.db
//                 cannot be read.
//   ingest.tls    TLS on the OTLP listeners (certificate readable and not
//                 expiring within kCertificateWarnDays), or declared
//                 upstream; plaintext: FAIL when an OTLP listener is
//                 reachable from other machines, WARN on loopback only.
//   ingest.mtls   informational (PASS either way): whether OTLP senders must
//                 present a client certificate; FAIL if the CA file is
//                 unreadable (the server would not start).
#pragma once

#include <chrono>
#include <vector>

#include "doctor/check.h"
#include "doctor/meta_facts.h"
#include "doctor/policy_rules.h"
#include "server/server.h"

namespace otelstack::doctor {

std::vector<CheckResult> CheckIngestion(const server::ServerOptions& options, const PolicyByRule& policy,
                                        const MetaFacts& meta, std::chrono::system_clock::time_point now);

}  // namespace otelstack::doctor
