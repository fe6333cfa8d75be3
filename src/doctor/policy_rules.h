// The rules OTELSTACK_ENV=production refuses (server/production_policy.h),
// sorted by rule so that each doctor check reports its own.
//
// The policy returns one flat list. To attribute a violation to a rule
// without re-implementing the rules, the policy is evaluated again with that
// rule's input neutralised (e.g. insecure_ingest = false): the violations
// that disappear belong to the rule. The session secret rule has no such
// input (it reads the environment), so it gets whatever is left.
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
