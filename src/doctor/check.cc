#include "doctor/check.h"

namespace otelstack::doctor {

std::string_view CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPass:
      return "PASS";
    case CheckStatus::kWarn:
      return "WARN";
    case CheckStatus::kFail:
      return "FAIL";
    case CheckStatus::kSkip:
      return "SKIP";
  }
  return "?";
}

CheckResult Pass(std::string id, std::string title, std::string detail) {
  return {std::move(id), std::move(title), CheckStatus::kPass, std::move(detail), ""};
}

CheckResult Warn(std::string id, std::string title, std::string detail, std::string fix) {
  return {std::move(id), std::move(title), CheckStatus::kWarn, std::move(detail), std::move(fix)};
}

CheckResult Fail(std::string id, std::string title, std::string detail, std::string fix) {
  return {std::move(id), std::move(title), CheckStatus::kFail, std::move(detail), std::move(fix)};
}

CheckResult Skip(std::string id, std::string title, std::string why) {
  return {std::move(id), std::move(title), CheckStatus::kSkip, std::move(why), ""};
}

Summary Summarize(const std::vector<CheckResult>& results) {
  Summary s;
  for (const CheckResult& r : results) {
    switch (r.status) {
      case CheckStatus::kPass:
        ++s.pass;
        break;
      case CheckStatus::kWarn:
        ++s.warn;
        break;
      case CheckStatus::kFail:
        ++s.fail;
        break;
      case CheckStatus::kSkip:
        ++s.skip;
        break;
    }
  }
  return s;
}

int ExitCodeFor(const std::vector<CheckResult>& results) { return Summarize(results).fail > 0 ? 1 : 0; }

}  // namespace otelstack::doctor
