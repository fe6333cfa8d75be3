#include "doctor/policy_rules.h"

#include <algorithm>

namespace otelstack::doctor {

namespace {

bool Contains(const std::vector<server::PolicyViolation>& list, const server::PolicyViolation& v) {
  return std::any_of(list.begin(), list.end(),
                     [&](const server::PolicyViolation& x) { return x.problem == v.problem; });
}

}  // namespace

PolicyByRule ClassifyPolicyViolations(const server::ServerOptions& options) {
  const std::vector<server::PolicyViolation> all = server::ProductionPolicyViolations(options);

  server::ServerOptions without_listeners = options;
  without_listeners.tls_terminated_upstream = true;  // the policy then accepts every listener
  server::ServerOptions without_ingest = options;
  without_ingest.insecure_ingest = false;
  server::ServerOptions without_clickhouse = options;
  without_clickhouse.clickhouse.reset();
  const auto rest_listeners = server::ProductionPolicyViolations(without_listeners);
  const auto rest_ingest = server::ProductionPolicyViolations(without_ingest);
  const auto rest_clickhouse = server::ProductionPolicyViolations(without_clickhouse);

  PolicyByRule out;
  for (const server::PolicyViolation& v : all) {
    if (!Contains(rest_listeners, v)) {
      out.listeners.push_back(v);
    } else if (!Contains(rest_ingest, v)) {
      out.ingestion.push_back(v);
    } else if (!Contains(rest_clickhouse, v)) {
      out.clickhouse.push_back(v);
    } else {
      out.other.push_back(v);
    }
  }
  return out;
}

}  // namespace otelstack::doctor
