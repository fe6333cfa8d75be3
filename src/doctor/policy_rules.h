// The rules OTELSTACK_ENV=production refuses (server/production_policy.h),
// sorted by rule (PolicyViolation::rule) so that each doctor check reports
// its own.
#pragma once

#include <vector>

#include "server/production_policy.h"
#include "server/server.h"

namespace otelstack::doctor {

struct PolicyByRule {
  std::vector<server::PolicyViolation> listeners;   // plaintext non-loopback listeners
  std::vector<server::PolicyViolation> ingestion;   // --insecure-ingest
  std::vector<server::PolicyViolation> clickhouse;  // default user, empty passwords
  std::vector<server::PolicyViolation> other;       // the session secret
};

PolicyByRule ClassifyPolicyViolations(const server::ServerOptions& options);

}  // namespace otelstack::doctor
