#include "doctor/data_checks.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "store/schema/schema.h"

namespace otelstack::doctor {

namespace {

std::string OctalMode(mode_t mode) {
  char text[8];
  snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

CheckResult CheckRetention(const server::ServerOptions& options, const MetaFacts& meta) {
  constexpr char kTitle[] = "Retention (TTL)";
  std::string detail;
  bool all_default = true;
  for (Signal signal : kAllSignals) {
    const std::string name(SignalName(signal));
    const server::RetentionSetting& configured = options.retention[static_cast<size_t>(signal)];
    std::chrono::seconds value = configured.retention;
    std::string source = configured.source;
    for (const meta::RetentionOverride& o : meta.retention_overrides) {
      if (o.signal == name) {
        value = o.retention;
        source = "override in meta.db";
      }
    }
    if (source != "default") all_default = false;
    detail += (detail.empty() ? "" : ", ") + name + " " + meta::FormatRetention(value) + " (" + source + ")";
  }
  if (!meta.error.ok()) detail += "; overrides in meta.db unknown: " + meta.error.message();
  if (all_default) {
    return Warn("retention", kTitle, detail + ": the 3-day default is rarely what production wants",
                "choose how long to keep data: --retention 30d (or --retention-logs/-traces/-metrics), or "
                "`otelstack retention set` while the server runs");
  }
  return Pass("retention", kTitle, detail);
}

CheckResult CheckDataDirPermissions(const std::string& data_dir) {
  constexpr char kTitle[] = "Data directory permissions";
  struct stat st;
  if (::lstat(data_dir.c_str(), &st) != 0) {
    return Pass("datadir.permissions", kTitle, data_dir + " does not exist yet: the first start creates it 0700");
  }
  if (!S_ISDIR(st.st_mode)) {
    return Fail("datadir.permissions", kTitle, data_dir + " is not a directory", "point --data-dir at a directory");
  }
  std::vector<std::string> open;
  size_t open_count = 0, walked = 0;
  auto note = [&](const std::string& path, mode_t mode) {
    if ((mode & 077) == 0) return;
    if (++open_count <= 5) open.push_back(path + " (" + OctalMode(mode) + ")");
  };
  note(data_dir, st.st_mode);
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(data_dir, std::filesystem::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    struct stat entry;
    const std::string path = it->path().string();
    if (::lstat(path.c_str(), &entry) != 0 || S_ISLNK(entry.st_mode)) continue;
    ++walked;
    note(path, entry.st_mode);
  }
  if (ec) {
    return Warn("datadir.permissions", kTitle, "cannot walk " + data_dir + ": " + ec.message(),
                "run doctor as the user otelstack runs as");
  }
  if (open_count > 0) {
    std::string list;
    for (const std::string& p : open) list += (list.empty() ? "" : ", ") + p;
    if (open_count > open.size()) list += " and " + std::to_string(open_count - open.size()) + " more";
    return Fail("datadir.permissions", kTitle, "accessible by group or others: " + list, "chmod -R go-rwx " + data_dir);
  }
  if (st.st_uid != ::geteuid()) {
    return Warn("datadir.permissions", kTitle,
                data_dir + " is owned by uid " + std::to_string(st.st_uid) + ", doctor runs as uid " +
                    std::to_string(::geteuid()),
                "run otelstack (and doctor) as the data directory's owner");
  }
  return Pass("datadir.permissions", kTitle,
              data_dir + " is 0700 and none of its " + std::to_string(walked) + " entries is group/other-accessible");
}

}  // namespace otelstack::doctor
