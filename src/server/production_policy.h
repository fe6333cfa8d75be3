// What OTELSTACK_ENV=production refuses to start with.
//
// Each rule comes from the production guide (docs/production.md):
//   - the session secret is missing, weak or a published default
//     (auth/session_secret.h decides what weak means);
//   - ingestion auth is off (--insecure-ingest);
//   - a listener bound to a non-loopback address serves plaintext, unless the
//     operator declared --tls-terminated-upstream (a proxy in front does TLS);
//   - the ClickHouse connection (ingestion or query user) is the `default`
//     user or has an empty password.
// Every violation says what is wrong and how to fix it, and never contains a
// secret. `otelstack doctor` reports the same rules among its checks.
#pragma once

#include <string>
#include <vector>

#include "server/server.h"

namespace otelstack::server {

struct PolicyViolation {
  // The rule broken, in the order above (doctor reports each under its own
  // check).
  enum class Rule { kSessionSecret, kIngestionAuth, kPlaintextListener, kClickHouseUser };
  Rule rule;
  std::string problem;  // what is wrong, naming the setting
  std::string fix;      // what to do about it
};

// The violations of `options` (empty: production may start). Reads the
// session secret from the environment as the server would.
std::vector<PolicyViolation> ProductionPolicyViolations(const ServerOptions& options);

// True for 127.0.0.0/8, ::1 and "localhost": addresses no other machine can
// reach.
bool IsLoopbackHost(const std::string& host);

}  // namespace otelstack::server
