#include "store/manifest.h"

#include <xxhash.h>

#include <charconv>
#include <ctime>
#include <filesystem>
#include <sstream>

#include "common/file_util.h"

namespace otelstack {

namespace {
constexpr std::string_view kHeader = "otelstack-manifest 1";
constexpr char kFileName[] = "MANIFEST";

std::string ChecksumHex(std::string_view text) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH3_64bits(text.data(), text.size())));
  return buf;
}

bool ParseU64(std::string_view s, uint64_t* v) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    if (end > pos) words.push_back(line.substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}
}  // namespace

std::string PartEntry::RelativePath() const {
  std::string path(SignalName(signal));
  path += '/';
  path += day;
  path += '/';
  path += file_name;
  return path;
}

std::string DayOf(uint64_t time_ns) {
  time_t seconds = static_cast<time_t>(time_ns / 1000000000ULL);
  struct tm tm;
  gmtime_r(&seconds, &tm);
  char buf[48];  // room for any int year, month, day: keeps -Wformat-truncation quiet
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

std::string Manifest::Serialize() const {
  std::ostringstream out;
  out << kHeader << '\n';
  out << "next_file_id " << next_file_id << '\n';
  out << "wal_checkpoint " << wal_checkpoint << '\n';
  for (Signal signal : kAllSignals) {
    if (RetentionFloor(signal) == 0) continue;
    out << "retention_floor " << SignalName(signal) << ' ' << RetentionFloor(signal) << '\n';
  }
  for (const PartEntry& p : parts) {
    out << "part " << SignalName(p.signal) << ' ' << p.day << ' ' << p.file_name << ' ' << p.rows << ' ' << p.min_time
        << ' ' << p.max_time << ' ' << p.bytes << '\n';
  }
  std::string body = out.str();
  body += "checksum " + ChecksumHex(body) + "\n";
  return body;
}

Status Manifest::Parse(std::string_view text, Manifest* out) {
  *out = Manifest();
  size_t checksum_pos = text.rfind("checksum ");
  if (checksum_pos == std::string_view::npos) return Status::Corruption("manifest: no checksum line");
  std::string_view body = text.substr(0, checksum_pos);
  std::string_view stored = text.substr(checksum_pos + 9);
  while (!stored.empty() && (stored.back() == '\n' || stored.back() == ' ')) stored.remove_suffix(1);
  if (stored != ChecksumHex(body)) return Status::Corruption("manifest: checksum mismatch");

  // Without this a text of just "checksum <hash of nothing>" would parse as
  // an empty manifest, and Recover() would delete every part.
  if (!body.starts_with(std::string(kHeader) + "\n")) return Status::Corruption("manifest: unknown header");
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    auto bad = [&](std::string_view why) {
      return Status::Corruption("manifest line " + std::to_string(line_no) + ": " + std::string(why));
    };
    if (line_no == 1) {
      if (line != kHeader) return bad("unknown header");
      continue;
    }
    auto words = SplitWords(line);
    if (words.empty()) continue;
    if (words[0] == "next_file_id" && words.size() == 2) {
      if (!ParseU64(words[1], &out->next_file_id)) return bad("bad next_file_id");
    } else if (words[0] == "wal_checkpoint" && words.size() == 2) {
      if (!ParseU64(words[1], &out->wal_checkpoint)) return bad("bad wal_checkpoint");
    } else if (words[0] == "retention_floor" && words.size() == 3) {
      auto signal = ParseSignal(words[1]);
      if (!signal) return bad("unknown signal");
      uint64_t floor = 0;
      if (!ParseU64(words[2], &floor)) return bad("bad retention_floor");
      out->SetRetentionFloor(*signal, floor);
    } else if (words[0] == "part" && words.size() == 8) {
      PartEntry p;
      auto signal = ParseSignal(words[1]);
      if (!signal) return bad("unknown signal");
      p.signal = *signal;
      p.day = std::string(words[2]);
      p.file_name = std::string(words[3]);
      if (!ParseU64(words[4], &p.rows) || !ParseU64(words[5], &p.min_time) || !ParseU64(words[6], &p.max_time) ||
          !ParseU64(words[7], &p.bytes)) {
        return bad("bad part numbers");
      }
      out->parts.push_back(std::move(p));
    } else {
      return bad("unknown entry");
    }
  }
  return Status::OK();
}

Status Manifest::Load(const std::string& dir, Manifest* out) {
  std::string text;
  std::string path = dir + "/" + kFileName;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    // exists() is also false when it cannot tell (e.g. EACCES); treating that
    // as "no manifest" would make Recover() delete every part.
    if (ec) return Status::IOError("stat " + path + ": " + ec.message());
    *out = Manifest();
    return Status::OK();
  }
  OTELSTACK_RETURN_IF_ERROR(ReadFile(path, &text));
  return Parse(text, out).WithContext(path);
}

Status Manifest::Save(const std::string& dir) const {
  return WriteFileAtomic(dir + "/" + kFileName, Serialize(), 0600);
}

}  // namespace otelstack
