#include "doctor/policy_rules.h"

namespace otelstack::doctor {

PolicyByRule ClassifyPolicyViolations(const server::ServerOptions& options) {
  using Rule = server::PolicyViolation::Rule;
  PolicyByRule out;
  for (server::PolicyViolation& v : server::ProductionPolicyViolations(options)) {
    switch (v.rule) {
      case Rule::kPlaintextListener:
        out.listeners.push_back(std::move(v));
        break;
      case Rule::kIngestionAuth:
        out.ingestion.push_back(std::move(v));
        break;
      case Rule::kClickHouseUser:
        out.clickhouse.push_back(std::move(v));
        break;
      case Rule::kSessionSecret:
        out.other.push_back(std::move(v));
        break;
    }
  }
  return out;
}

}  // namespace otelstack::doctor
