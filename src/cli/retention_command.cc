#include "cli/retention_command.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <vector>

#include "cli/meta_store_flags.h"
#include "cli/time_args.h"
#include "meta/meta_store.h"
#include "meta/meta_store_location.h"
#include "meta/retention_settings_repository.h"
#include "store/manifest.h"

namespace otelstack::cli {

namespace {

std::string FormatUtc(std::chrono::system_clock::time_point t) {
  time_t seconds = std::chrono::system_clock::to_time_t(t);
  struct tm tm;
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The retention floor as an RFC 3339 time ("" for none). Floors are day starts.
std::string FormatFloor(uint64_t floor_ns) { return floor_ns == 0 ? "" : DayOf(floor_ns) + "T00:00:00Z"; }

int Fail(const Status& s) {
  std::cerr << "otelstack retention: " << s.ToString() << "\n";
  return 1;
}

struct Row {
  std::string signal;
  std::chrono::seconds retention{0};
  std::string source;  // "override", "server", "default"
  std::string detail;
  uint64_t floor_ns = 0;
};

}  // namespace

StatusOr<std::chrono::seconds> ParseRetention(const std::string& text) {
  auto d = ParseDuration(text);
  if (!d.ok()) return d.status();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*d);
  if (seconds != *d || !meta::ValidateRetention(seconds).ok()) {
    return Status::InvalidArgument("retention '" + text + "': use 0 (keep forever) or at least 1m, e.g. 72h, 3d");
  }
  return seconds;
}

RetentionCommand::RetentionCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("retention", "Show or change how long telemetry is kept (per signal, default 3 days)");
  cmd_->require_subcommand(1);
  show_ =
      cmd_->add_subcommand("show", "Print the effective retention per signal, where it comes from, and what is gone");
  show_->add_flag("--json", json_, "Print JSON lines");
  set_ = cmd_->add_subcommand(
      "set", "Override the retention of a signal (wins over serve flags, environment and config file)");
  unset_ = cmd_->add_subcommand("unset", "Remove an override set with `retention set`");
  for (CLI::App* sub : {set_, unset_}) {
    sub->add_option("--signal", signal_, "logs, traces, metrics or all")
        ->required()
        ->check(CLI::IsMember({"logs", "traces", "metrics", "all"}));
  }
  set_->add_option("duration", duration_, "e.g. 72h, 3d, 90m; 0 keeps data forever")->required();
  for (CLI::App* sub : {show_, set_, unset_}) {
    sub->add_option("--data-dir", data_dir_, "Data directory of the server")->envname("OTELSTACK_DATA_DIR");
    AddMetaDatabaseUrlOption(sub, &meta_database_url_);
  }
  cmd_->footer(
      "Whole UTC days are dropped once they end at or before now - retention, so data is kept for at least the\n"
      "retention and at most one day longer. Dropped data never comes back, even if the retention is raised later.");
}

int RetentionCommand::Run() {
  umask(077);
  if (show_->parsed()) return Show();
  if (set_->parsed()) return Set(false);
  if (unset_->parsed()) return Set(true);
  return 2;
}

int RetentionCommand::Set(bool unset) {
  std::chrono::seconds retention{0};
  if (!unset) {
    auto parsed = ParseRetention(duration_);
    if (!parsed.ok()) return Fail(parsed.status());
    retention = *parsed;
  }
  auto store = meta::OpenMetaStore({.data_dir = data_dir_, .database_url = meta_database_url_});
  if (!store.ok()) return Fail(store.status());
  std::vector<std::string> signals;
  if (signal_ == "all") {
    for (Signal s : kAllSignals) signals.emplace_back(SignalName(s));
  } else {
    signals.push_back(signal_);
  }
  auto now = std::chrono::system_clock::now();
  for (const std::string& signal : signals) {
    Status s = unset ? (*store)->retention_settings().ClearOverride(signal)
                     : (*store)->retention_settings().SetOverride(signal, retention, now);
    if (!s.ok()) return Fail(s);
    if (unset) {
      std::fprintf(stderr, "%s: override removed; the server's own setting applies again.\n", signal.c_str());
    } else {
      std::fprintf(stderr, "%s: retention set to %s%s (overrides the server's flags, environment and config file).\n",
                   signal.c_str(), meta::FormatRetention(retention).c_str(),
                   retention.count() == 0 ? " = keep forever" : "");
    }
  }
  std::fprintf(stderr, "A running server applies this within a few seconds.\n");
  return 0;
}

int RetentionCommand::Show() {
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir_, ec)) {
    return Fail(Status::NotFound("no data directory at " + data_dir_));
  }
  auto store = meta::OpenMetaStore({.data_dir = data_dir_, .database_url = meta_database_url_});
  if (!store.ok()) return Fail(store.status());
  auto overrides = (*store)->retention_settings().ListOverrides();
  if (!overrides.ok()) return Fail(overrides.status());
  auto recorded = (*store)->retention_settings().ListServerRetention();
  if (!recorded.ok()) return Fail(recorded.status());
  Manifest manifest;
  Status s = Manifest::Load(data_dir_ + "/store", &manifest);  // read-only; fine while the server runs
  if (!s.ok()) return Fail(s);

  std::vector<Row> rows;
  for (Signal signal : kAllSignals) {
    Row row;
    row.signal = std::string(SignalName(signal));
    row.floor_ns = manifest.RetentionFloor(signal);
    std::optional<meta::ServerRetention> server;
    for (const auto& r : *recorded) {
      if (r.signal == row.signal) server = r;
    }
    std::string server_text =
        server ? meta::FormatRetention(server->retention) + " from " + server->source : std::string();
    const meta::RetentionOverride* over = nullptr;
    for (const auto& o : *overrides) {
      if (o.signal == row.signal) over = &o;
    }
    if (over) {
      row.retention = over->retention;
      row.source = "override";
      row.detail = "otelstack retention set, " + FormatUtc(over->updated_at);
      if (server) row.detail += "; the server's " + server_text + " is ignored";
    } else if (server) {
      row.retention = server->retention;
      row.source = "server";
      row.detail = server->source + " (server setting since " + FormatUtc(server->recorded_at) + ")";
    } else {
      row.retention = meta::kDefaultRetention;
      row.source = "default";
      row.detail = "no server has started on this data directory yet";
    }
    rows.push_back(std::move(row));
  }

  if (!json_) std::printf("%-8s %-10s %-22s %s\n", "SIGNAL", "RETENTION", "DROPPED BEFORE", "SOURCE");
  for (const Row& row : rows) {
    std::string retention = meta::FormatRetention(row.retention);
    if (row.retention.count() == 0) retention += " (forever)";
    if (json_) {
      rapidjson::StringBuffer buf;
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      w.StartObject();
      w.Key("signal");
      w.String(row.signal.c_str());
      w.Key("retention");
      w.String(meta::FormatRetention(row.retention).c_str());
      w.Key("retention_seconds");
      w.Int64(row.retention.count());
      w.Key("source");
      w.String(row.source.c_str());
      w.Key("detail");
      w.String(row.detail.c_str());
      w.Key("dropped_before");
      w.String(FormatFloor(row.floor_ns).c_str());
      w.Key("dropped_before_ns");
      w.Uint64(row.floor_ns);
      w.EndObject();
      std::printf("%s\n", buf.GetString());
    } else {
      std::string floor = row.floor_ns == 0 ? "-" : FormatFloor(row.floor_ns);
      std::printf("%-8s %-10s %-22s %s: %s\n", row.signal.c_str(), retention.c_str(), floor.c_str(), row.source.c_str(),
                  row.detail.c_str());
    }
  }
  return 0;
}

}  // namespace otelstack::cli
