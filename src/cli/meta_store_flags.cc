#include "cli/meta_store_flags.h"

#include "meta/meta_store_location.h"

namespace otelstack::cli {

CLI::Option* AddMetaDatabaseUrlOption(CLI::App* cmd, std::string* url) {
  return cmd
      ->add_option("--meta-database-url", *url,
                   "PostgreSQL for the metadata (users, sessions, keys, settings) shared by several replicas, e.g. "
                   "postgresql://otelstack@db:5432/otelstack?sslmode=verify-full; password only from env "
                   "OTELSTACK_META_DATABASE_PASSWORD[_FILE]. Default: SQLite meta.db in the data directory")
      ->envname(meta::kMetaDatabaseUrlEnv);
}

}  // namespace otelstack::cli
