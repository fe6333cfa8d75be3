// --meta-database-url, shared by every command that opens the metadata store
// (serve, keys, users, retention), so they agree on the flag, its variable
// and its help. What the value means and how the store is opened is
// meta/meta_store_location.h.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace otelstack::cli {

// Adds --meta-database-url (env OTELSTACK_META_DATABASE_URL) to `cmd`.
CLI::Option* AddMetaDatabaseUrlOption(CLI::App* cmd, std::string* url);

}  // namespace otelstack::cli
