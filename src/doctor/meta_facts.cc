#include "doctor/meta_facts.h"

#include <sys/stat.h>


namespace otelstack::doctor {

MetaFacts ReadMetaFacts(const meta::MetaStoreLocation& location, std::chrono::system_clock::time_point now) {
  MetaFacts facts;
  struct stat st;
  facts.exists =
      location.shared() || ::stat((location.data_dir + "/" + meta::kMetaDbFileName).c_str(), &st) == 0;
  if (!facts.exists) return facts;
  auto store = meta::OpenMetaStore(location);
  if (!store.ok()) {
    facts.error = store.status();
    return facts;
  }
  auto keys = (*store)->ingestion_keys().List();
  if (!keys.ok()) {
    facts.error = keys.status();
    return facts;
  }
  facts.total_keys = static_cast<int>(keys->size());
  for (const meta::IngestionKeyInfo& key : *keys) facts.active_keys += key.ActiveAt(now) ? 1 : 0;
  auto overrides = (*store)->retention_settings().ListOverrides();
  if (!overrides.ok()) {
    facts.error = overrides.status();
    return facts;
  }
  facts.retention_overrides = std::move(*overrides);
  return facts;
}

}  // namespace otelstack::doctor
