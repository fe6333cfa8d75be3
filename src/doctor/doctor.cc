#include "doctor/doctor.h"

#include "doctor/data_checks.h"
#include "doctor/ingest_checks.h"
#include "doctor/listener_checks.h"
#include "doctor/meta_facts.h"
#include "doctor/policy_rules.h"
#include "doctor/secret_checks.h"

namespace otelstack::doctor {

namespace {

template <typename T>
void Append(std::vector<CheckResult>* out, T&& more) {
  for (auto& r : more) out->push_back(std::move(r));
}

CheckResult Config(const DoctorInput& input) {
  constexpr char kTitle[] = "Configuration";
  const std::string source =
      input.config_file.empty() ? "flags, environment and defaults" : "flags, environment and " + input.config_file;
  if (!input.settings_status.ok()) {
    return Fail("config", kTitle, "serve would refuse these settings: " + input.settings_status.message(),
                "fix the setting named above");
  }
  if (!input.options.production) {
    return Warn("config", kTitle,
                "settings from " + source +
                    " load; OTELSTACK_ENV is not \"production\", so the server would start "
                    "even with the policy violations reported below",
                "set OTELSTACK_ENV=production: the server then refuses to start with an unsafe configuration");
  }
  return Pass("config", kTitle, "settings from " + source + " load; OTELSTACK_ENV=production");
}

}  // namespace

std::vector<CheckResult> RunDoctor(const DoctorInput& input, const DoctorProbes& probes) {
  std::vector<CheckResult> out;
  out.push_back(Config(input));
  if (!input.settings_status.ok()) {
    out.push_back(CheckConfigFileSecrets(input.config_file));
    return out;
  }
  const server::ServerOptions& o = input.options;
  const PolicyByRule policy = ClassifyPolicyViolations(o);
  const MetaFacts meta = ReadMetaFacts({.data_dir = o.data_dir, .database_url = o.meta_database_url}, probes.now);

  Append(&out, CheckListeners(o, policy));
  out.push_back(CheckSessionSecret(o.data_dir));
  Append(&out, CheckIngestion(o, policy, meta, probes.now));
  out.push_back(CheckEncryptionKey(o.data_dir));
  Append(&out, CheckClickHouse(o, policy, probes.clickhouse));
  out.push_back(CheckRetention(o, meta));
  out.push_back(CheckDataDirPermissions(o.data_dir));
  out.push_back(CheckConfigFileSecrets(input.config_file));
  out.push_back(CheckSecretEnvironment());
  Append(&out, CheckInstance(o, input.instance, probes.fetch, probes.now));
  return out;
}

}  // namespace otelstack::doctor
