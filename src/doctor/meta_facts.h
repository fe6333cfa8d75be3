// What the doctor needs from the metadata store, read once: how many
// ingestion keys are active and which retention overrides are stored.
//
// SQLite: the store is opened only when <data_dir>/meta.db exists, so that
// doctor never creates a data directory. PostgreSQL (--meta-database-url):
// opened like the server opens it (meta/meta_store_location.h). Opening
// applies pending migrations, as every otelstack command does; a running
// server may use the store at the same time.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"
#include "meta/meta_store_location.h"
#include "meta/retention_settings_repository.h"

namespace otelstack::doctor {

struct MetaFacts {
  bool exists = false;  // <data_dir>/meta.db exists (always true for PostgreSQL)
  Status error;         // not OK: opening or reading failed (the counts are 0)
  int active_keys = 0;
  int total_keys = 0;
  std::vector<meta::RetentionOverride> retention_overrides;
};

MetaFacts ReadMetaFacts(const meta::MetaStoreLocation& location, std::chrono::system_clock::time_point now);

}  // namespace otelstack::doctor
