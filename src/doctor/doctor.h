// `otelstack doctor`: audits the configuration `otelstack serve` would run
// with (and optionally a running instance) against the production guide
// (docs/production.md), in the guide's order:
//
//   config                  the settings load as serve would load them; WARN
//                           when OTELSTACK_ENV is not "production" (the
//                           server would start despite the FAILs below)
//   ports.*                 listener_checks.h
//   session.secret          secret_checks.h
//   ingest.*                ingest_checks.h
//   encryption.key          secret_checks.h
//   clickhouse.*            clickhouse_checks.h
//   retention               data_checks.h
//   datadir.permissions     data_checks.h
//   secrets.config, .env    secret_checks.h
//   instance.*              instance_checks.h
//
// When the settings do not load (a bad --config file, a bad combination of
// flags) only `config` (FAIL, with serve's message) and secrets.config are
// reported: the other checks would describe a configuration serve refuses.
// Doctor never writes to the data directory except through
// meta::MetaStore::Open's migrations on an existing meta.db.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"
#include "doctor/check.h"
#include "doctor/clickhouse_checks.h"
#include "doctor/instance_checks.h"
#include "server/server.h"

namespace otelstack::doctor {

struct DoctorInput {
  server::ServerOptions options;  // as ResolveServeFlags left them
  std::string config_file;        // --config / OTELSTACK_CONFIG, may be empty
  Status settings_status;         // not OK: the settings do not load (message says why)
  InstanceTarget instance;
};

struct DoctorProbes {
  ClickHouseProbe* clickhouse = nullptr;  // required with --storage clickhouse
  HttpFetcher fetch;                      // required with an admin URL
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

std::vector<CheckResult> RunDoctor(const DoctorInput& input, const DoctorProbes& probes);

}  // namespace otelstack::doctor
