// Doctor checks for the guide's "Network and port security": which listeners
// other machines can reach, and which of those speak plaintext.
//
//   ports.exposure   lists every listener; the OTLP ports and the app are
//                    meant to be reachable, the internal listener (/metrics,
//                    unauthenticated) is not: WARN when it binds a
//                    non-loopback address, FAIL for an unparsable address.
//   ports.plaintext  the production policy's listener rule: FAIL for each
//                    plaintext non-loopback listener unless TLS is on or
//                    --tls-terminated-upstream is declared.
#pragma once

#include <vector>

#include "doctor/check.h"
#include "doctor/policy_rules.h"
#include "server/server.h"

namespace otelstack::doctor {

std::vector<CheckResult> CheckListeners(const server::ServerOptions& options, const PolicyByRule& policy);

}  // namespace otelstack::doctor
