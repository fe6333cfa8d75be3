#include "doctor/report.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>

namespace otelstack::doctor {

std::string RenderTable(const std::vector<CheckResult>& results) {
  size_t id_width = 0;
  for (const CheckResult& r : results) id_width = std::max(id_width, r.id.size());
  std::string out;
  for (const CheckResult& r : results) {
    out += std::string(CheckStatusName(r.status)) + "  " + r.id + std::string(id_width - r.id.size(), ' ') + "  " +
           r.title;
    if (!r.detail.empty()) out += ": " + r.detail;
    out += "\n";
    if (!r.fix.empty() && (r.status == CheckStatus::kWarn || r.status == CheckStatus::kFail)) {
      out += "      " + std::string(id_width, ' ') + "fix: " + r.fix + "\n";
    }
  }
  Summary s = Summarize(results);
  out.append("\n").append(std::to_string(s.pass)).append(" passed, ").append(std::to_string(s.warn));
  out.append(" warnings, ").append(std::to_string(s.fail)).append(" failed, ").append(std::to_string(s.skip));
  out.append(" skipped\n");
  return out;
}

std::string RenderJson(const std::vector<CheckResult>& results) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  auto string = [&](const std::string& text) { w.String(text.data(), static_cast<rapidjson::SizeType>(text.size())); };
  w.StartObject();
  w.Key("checks");
  w.StartArray();
  for (const CheckResult& r : results) {
    w.StartObject();
    w.Key("id");
    string(r.id);
    w.Key("status");
    string(std::string(CheckStatusName(r.status)));
    w.Key("title");
    string(r.title);
    w.Key("detail");
    string(r.detail);
    w.Key("fix");
    string(r.fix);
    w.EndObject();
  }
  w.EndArray();
  Summary s = Summarize(results);
  w.Key("summary");
  w.StartObject();
  w.Key("pass");
  w.Int(s.pass);
  w.Key("warn");
  w.Int(s.warn);
  w.Key("fail");
  w.Int(s.fail);
  w.Key("skip");
  w.Int(s.skip);
  w.EndObject();
  w.Key("ok");
  w.Bool(s.fail == 0);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace otelstack::doctor
