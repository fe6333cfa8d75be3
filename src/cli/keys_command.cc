#include "cli/keys_command.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <sys/stat.h>

#include <iostream>

#include "cli/meta_store_flags.h"
#include "cli/time_args.h"
#include "common/file_util.h"
#include "meta/ingestion_keys.h"
#include "meta/master_key.h"
#include "meta/meta_store.h"
#include "meta/meta_store_location.h"
#include "query/row_json.h"

namespace otelstack::cli {

namespace {
std::string FormatTime(std::optional<meta::TimePoint> t) {
  if (!t) return "";
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t->time_since_epoch()).count();
  return query::FormatTimestamp(static_cast<uint64_t>(ns)).substr(0, 19) + "Z";
}
}  // namespace

KeysCommand::KeysCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("keys", "Manage ingestion keys (the OTLP 'authorization' header)");
  cmd_->require_subcommand(1);
  cmd_->add_option("--data-dir", data_dir_, "Data directory of the server")
      ->envname("OTELSTACK_DATA_DIR")
      ->capture_default_str();
  AddMetaDatabaseUrlOption(cmd_, &meta_database_url_);
  list_ = cmd_->add_subcommand("list", "List keys (never shows raw keys)");
  list_->add_flag("--json", json_, "Print JSON lines");
  create_ = cmd_->add_subcommand("create", "Create a key and print it once");
  create_->add_option("--name", name_, "A name to recognise the key by");
  rotate_ = cmd_->add_subcommand("rotate", "Replace a key; the old one keeps working for the grace period");
  rotate_->add_option("id", id_, "Key id (see keys list)")->required();
  rotate_->add_option("--grace", grace_, "How long the old key stays valid, e.g. 24h, 0s")->capture_default_str();
  revoke_ = cmd_->add_subcommand("revoke", "Revoke a key at once");
  revoke_->add_option("id", id_, "Key id (see keys list)")->required();
  reveal_ = cmd_->add_subcommand("reveal", "Print a key again (decrypted with the master key)");
  reveal_->add_option("id", id_, "Key id (see keys list)")->required();
  for (CLI::App* sub : {list_, create_, rotate_, revoke_, reveal_}) {
    sub->add_option("--data-dir", data_dir_, "Data directory of the server")->envname("OTELSTACK_DATA_DIR");
    AddMetaDatabaseUrlOption(sub, &meta_database_url_);
  }
}

int KeysCommand::Run() {
  auto fail = [](const Status& s) {
    std::cerr << "otelstack keys: " << s.ToString() << "\n";
    return 1;
  };
  umask(077);
  Status s = EnsureDir(data_dir_, 0700);
  if (!s.ok()) return fail(s);
  const meta::MetaStoreLocation location{.data_dir = data_dir_, .database_url = meta_database_url_};
  auto master = meta::LoadMasterKeyFor(location);
  if (!master.ok()) return fail(master.status());
  auto store = meta::OpenMetaStore(location);
  if (!store.ok()) return fail(store.status());
  meta::IngestionKeys keys(&(*store)->ingestion_keys(), master->bytes);

  if (list_->parsed()) {
    auto infos = keys.List();
    if (!infos.ok()) return fail(infos.status());
    if (!json_) std::printf("%-6s %-32s %-21s %-21s %-21s %s\n", "ID", "NAME", "CREATED", "LAST USED", "EXPIRES", "STATE");
    for (const auto& k : *infos) {
      std::string state = k.revoked_at ? "revoked" : (k.ActiveAt(std::chrono::system_clock::now()) ? "active" : "expired");
      if (json_) {
        rapidjson::StringBuffer buf;
        rapidjson::Writer<rapidjson::StringBuffer> w(buf);
        w.StartObject();
        w.Key("id"); w.Int64(k.id);
        w.Key("name"); w.String(k.name.c_str());
        w.Key("created"); w.String(FormatTime(k.created_at).c_str());
        w.Key("last_used"); w.String(FormatTime(k.last_used_at).c_str());
        w.Key("expires"); w.String(FormatTime(k.expires_at).c_str());
        w.Key("revoked"); w.Bool(k.revoked_at.has_value());
        w.EndObject();
        std::printf("%s\n", buf.GetString());
      } else {
        std::printf("%-6lld %-32s %-21s %-21s %-21s %s\n", static_cast<long long>(k.id), k.name.c_str(),
                    FormatTime(k.created_at).c_str(), FormatTime(k.last_used_at).c_str(),
                    FormatTime(k.expires_at).c_str(), state.c_str());
      }
    }
    return 0;
  }
  if (create_->parsed()) {
    auto created = keys.Create(name_);
    if (!created.ok()) return fail(created.status());
    std::fprintf(stderr, "Created ingestion key %lld (%s). It is shown only now:\n",
                 static_cast<long long>(created->info.id), created->info.name.c_str());
    std::printf("%s\n", created->raw.c_str());
    return 0;
  }
  if (rotate_->parsed()) {
    auto grace = ParseDuration(grace_);
    if (!grace.ok()) return fail(grace.status());
    auto created = keys.Rotate(id_, std::chrono::duration_cast<std::chrono::seconds>(*grace));
    if (!created.ok()) return fail(created.status());
    std::fprintf(stderr, "Key %lld replaced by key %lld; the old key stays valid for %s. New key:\n",
                 static_cast<long long>(id_), static_cast<long long>(created->info.id), grace_.c_str());
    std::printf("%s\n", created->raw.c_str());
    return 0;
  }
  if (reveal_->parsed()) {
    auto raw = keys.Reveal(id_);
    if (!raw.ok()) return fail(raw.status());
    std::printf("%s\n", raw->c_str());
    return 0;
  }
  if (revoke_->parsed()) {
    s = keys.Revoke(id_);
    if (!s.ok()) return fail(s);
    std::fprintf(stderr, "Key %lld revoked.\n", static_cast<long long>(id_));
    return 0;
  }
  return 2;
}

}  // namespace otelstack::cli
